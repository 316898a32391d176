"""The one transition function: guards, permissions, per-state ACL, history, events."""
import datetime as dt

import pytest
from pyramid.authorization import ACLHelper, Authenticated, Everyone

from silat.interfaces import IWorkflowEvent
from silat.resources.dossier import Dossier
from silat.security.localroles import grant
from silat.workflow import WorkflowError, available, initialize, transition


class FakeRequest:
    """Only what the engine reads from a request: a user, a registry and
    a permission check through the real ACL helper and principals."""

    def __init__(self, registry, principals, username):
        self.registry = registry
        self.principals = principals
        self.user = type("U", (), {"username": username})()

    def has_permission(self, permission, context):
        from silat.security.localroles import local_role_principals
        found = [Everyone, Authenticated, *self.principals]
        found += local_role_principals(context, found)
        return ACLHelper().permits(context, found, permission)


@pytest.fixture
def dossier(seeded, db):
    conn = db.open()
    site = conn.root()["silat"]
    item = Dossier("SILAT-2026-000001", "IMB", site["layanan"]["IMB"].latest.number, "pemohon")
    site["berkas"].add(item.registration_number, item)
    initialize(item)
    grant(item, "user:pemohon", "owner")
    yield item
    conn.transaction_manager.abort()
    conn.close()


def test_walk_and_history_chain(app, dossier):
    events = []
    app.registry.registerHandler(events.append, (IWorkflowEvent,))
    owner = FakeRequest(app.registry, ["user:pemohon", "role:pemohon"], "pemohon")
    verifier = FakeRequest(app.registry, ["user:v", "role:verifikator"], "v")
    assert [t.name for t in available(dossier, owner)] == ["submit", "withdraw"]
    assert transition(dossier, "submit", owner) == "submitted"

    with pytest.raises(WorkflowError) as refused:            # not the owner's to take
        transition(dossier, "verify", owner)
    assert refused.value.status == 403
    with pytest.raises(WorkflowError) as refused:            # nothing checked yet
        transition(dossier, "verify", verifier)
    assert refused.value.status == 409 and refused.value.code == "guard_failed"
    with pytest.raises(WorkflowError) as refused:            # a reason is needed
        dossier.checklist = {"bukti_lunas_pbb": {"valid": False, "reason": "kadaluwarsa"}}
        transition(dossier, "return", verifier)
    assert refused.value.status == 422
    assert transition(dossier, "return", verifier, comment="PBB belum lunas") == "returned"
    assert transition(dossier, "resubmit", owner) == "submitted"
    dossier.checklist = {"bukti_lunas_pbb": {"valid": True}}
    assert transition(dossier, "verify", verifier) == "verified"
    assert [e.new_state for e in events] == ["submitted", "returned", "submitted", "verified"]
    entries = list(dossier.history)
    assert [e["data"]["transition"] for e in entries] == ["submit", "return", "resubmit", "verify"]
    assert entries[1]["comment"] == "PBB belum lunas" and entries[1]["actor"] == "v"
    assert dossier.history.verify() is None


def test_state_acl_limits_global_roles(app, dossier):
    owner = FakeRequest(app.registry, ["user:pemohon"], "pemohon")
    stranger = FakeRequest(app.registry, ["user:other", "role:pemohon"], "other")
    verifier = FakeRequest(app.registry, ["user:v", "role:verifikator"], "v")
    assert owner.has_permission("view_dossier", dossier)
    assert not stranger.has_permission("view_dossier", dossier)
    assert not verifier.has_permission("view_dossier", dossier)      # a draft is private
    transition(dossier, "submit", owner)
    assert verifier.has_permission("view_dossier", dossier)
    assert not owner.has_permission("edit_dossier", dossier)


def test_unknown_transition_and_wrong_state(app, dossier):
    owner = FakeRequest(app.registry, ["user:pemohon"], "pemohon")
    with pytest.raises(WorkflowError) as refused:
        transition(dossier, "fly", owner)
    assert refused.value.status == 404
    with pytest.raises(WorkflowError) as refused:
        transition(dossier, "resubmit", owner)
    assert refused.value.status == 409 and refused.value.code == "invalid_state"


def test_tampered_history_is_detected(app, dossier):
    owner = FakeRequest(app.registry, ["user:pemohon"], "pemohon")
    transition(dossier, "submit", owner)
    transition(dossier, "withdraw", owner, comment="salah layanan")
    entry = dossier.history._entries[0]
    entry["comment"] = "diubah diam-diam"
    assert dossier.history.verify() == (0, "entry content was changed")

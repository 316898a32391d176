"""Dossiers made directly in ZODB (the intake wizard is another package's),
then driven through the real app: API tokens, logged-in pages, real SMTP."""
import datetime as dt

import pytest

from silat.catalog.model import Duration
from silat.resources.dossier import Dossier
from silat.security.principals import user_principal
from silat.workflow import initialize, transition
from silat.workflow.history import grant_local_role
from tests.web import api_token, bearer
from silat.permits.fees import FeeAssessment
from silat.recommendations.model import Recommendation

SERVICE = "IMB"          # DISTARU recommends; the officer checks Bukti Lunas PBB


def add_revision(site, code=SERVICE, **changes):
    """A new revision of a service's standard, in effect since 2020."""
    service = site["layanan"][code]
    fields = {**service.latest.fields(), **changes}
    return service.add_revision(fields, dt.date(2020, 1, 1), "test").number


def new_dossier(site, number, owner="pemohon", code=SERVICE, revision=None, email="pemohon@demo.silat.invalid"):
    service = site["layanan"][code]
    dossier = Dossier(number, code, revision or service.latest.number, owner)
    dossier.applicant = {"name": "Budi Santoso", "email": email, "phone": "081234567890"}
    site["berkas"].add(number, dossier)
    initialize(dossier)
    dossier.history.append(owner, "created", "")
    grant_local_role(dossier, user_principal(owner), "owner", owner)
    return dossier


def mark_requirements(dossier, valid, reason=""):
    dossier.checklist = {r.key: {"valid": valid, "reason": reason} for r in dossier.requirements()}


def give_recommendation(dossier, code="DISTARU", decision="recommended"):
    """What a signed recommendation leaves (the recommendations package)."""
    folder = dossier["rekomendasi"]
    if code not in folder:
        folder.add(code, Recommendation(code, "verifikator"))
    folder[code].decision = decision


def assess_fee(dossier, amount=150000):
    """What an SKRD leaves (the permits package)."""
    number = f"skrd-{len(dossier['retribusi']) + 1}"
    dossier["retribusi"].add(number, FeeAssessment(number, amount, {"kind": "fixed", "amount": amount},
                                                   {}, "penandatangan", None))


def settle_fees(dossier):
    for item in dossier["retribusi"].values():
        item.payments = item.payments + ({"amount": item.outstanding(), "channel": "test"},)


def check_pbb(dossier):
    """What the permits package's PBB check leaves on a dossier."""
    dossier.pbb_check = {"paid": True}


# what makes each state reachable from the one before, as the system would
PATH = (
    ("submit", None), ("verify", lambda d: mark_requirements(d, True)),
    ("request_review", None), ("approve", give_recommendation),
    ("assess_fee", assess_fee), ("confirm_payment", settle_fees), ("issue", check_pbb),
)


def walk(registry, dossier, until):
    """Take the PATH transitions as system jobs until ``dossier`` is in ``until``."""
    for name, prepare in PATH:
        if dossier.state == until:
            return
        if prepare is not None:
            prepare(dossier)
        transition(dossier, name, registry=registry, check_permission=False, actor="system")
    assert dossier.state == until


@pytest.fixture
def signing_ca(settings):
    """The development signing certificate (the permits package signs on issue)."""
    from silat.permits.signing import generate_dev_ca, paths
    generate_dev_ca(settings)
    return paths(settings)


@pytest.fixture
def make_dossier(signing_ca, app, seeded, edit_site):
    """``make_dossier(number, state="draft", **kw)`` commits a dossier."""
    def _make(number, state="draft", **kw):
        with edit_site() as site:
            dossier = new_dossier(site, number, **kw)
            if state in ("rejected", "withdrawn", "returned"):
                before = {"rejected": "verified", "withdrawn": "draft", "returned": "submitted"}[state]
                walk(app.registry, dossier, before)
                if state == "returned":
                    mark_requirements(dossier, False, "kedaluwarsa")
                name = {"rejected": "reject", "withdrawn": "withdraw", "returned": "return"}[state]
                transition(dossier, name, registry=app.registry, check_permission=False,
                           actor="system", comment="alasan")
            else:
                walk(app.registry, dossier, state)
        return number
    return _make


@pytest.fixture
def tokens(testapp, seeded):
    """``tokens(user)`` -> Authorization headers of a demo account (cached)."""
    cache = {}

    def _get(user):
        if user not in cache:
            cache[user] = bearer(api_token(testapp, user, seeded))
        return cache[user]
    return _get


@pytest.fixture
def read_site(edit_site):
    """``with read_site() as site`` (committed; for assertions)."""
    return edit_site


WORKING = Duration(10, "working_days")

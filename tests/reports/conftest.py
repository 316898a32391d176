"""A constructed set of dossiers with known timings, driven through the real
``transition()`` at chosen moments (the history and the SLA clock read a
clock this fixture sets), committed to a real FileStorage.

October 2026 has no public holiday, so its working days are Mon-Fri.
Service IMB (served by DPMPTSP, DISTARU recommends) gets a revision with
a promised time of 10 working days; SETDA-05 (served by SETDA) has 10
working days and no fee in the seeds.

| dossier | story | days | on time |
|---|---|---|---|
| A | submit Thu 1 Oct, review 2 Oct (DISTARU signs 6 Oct), SKRD 150,000 paid 7 Oct, issued 8 Oct | 5 | yes (due 15 Oct) |
| B | submit 1 Oct, DISTARU signs 16 Oct (10 working days), issued Tue 20 Oct | 13 | no |
| C | submit 1 Oct, returned 2 Oct, resubmitted 9 Oct (5 days paused, due moves to 22 Oct), issued 21 Oct | 9 | yes |
| D | front office; submit Mon 5 Oct, verified 6 Oct, rejected 7 Oct | 2 | yes |
| E | submit 5 Oct, withdrawn 6 Oct | - | - |
| F | submit 12 Oct, in review at DISTARU since 12 Oct: overdue now | - | - |
| G | submit 12 Oct, returned 13 Oct: paused now, not overdue | - | - |
| H | SETDA-05, kecamatan 3275020; submit Mon 2 Nov, issued Wed 4 Nov | 2 | yes |
"""
import datetime as dt
import os
import shutil
import types

import pytest
import transaction

from silat.catalog.model import Duration
from silat.permits.fees import FeeAssessment
from silat.recommendations.model import Recommendation
from silat.workflow import transition
from silat.workflow.calendar import WIB
from tests.workflow.conftest import add_revision, check_pbb, mark_requirements, new_dossier
from tests.workflow.conftest import tokens  # noqa: F401 (a fixture)

KEC_A, KEC_B = "3275010", "3275020"
FEE = 150000


def at(month, day, hour=9):
    return dt.datetime(2026, month, day, hour, 0, tzinfo=WIB)


class Clock:
    """What ``now`` is for the history and the SLA clock while building."""

    def __init__(self):
        self.now = at(10, 1)

    def __call__(self):
        return self.now.astimezone(dt.timezone.utc)


def install_clock(monkeypatch):
    from silat.resources import history
    from silat.workflow import sla
    now = Clock()

    class FrozenDatetime(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return now().astimezone(tz) if tz else now().replace(tzinfo=None)

    monkeypatch.setattr(history, "dt", types.SimpleNamespace(datetime=FrozenDatetime, timezone=dt.timezone))
    monkeypatch.setattr(sla, "utcnow", now)
    return now


def _take(registry, clock, dossier, when, name, comment=""):
    clock.now = when
    jar = dossier._p_jar or dossier.__parent__._p_jar
    # each step commits, as each request would: permit numbers are taken in
    # a short transaction of their own (permits/numbering.py) that must see
    # what came before
    jar.transaction_manager.commit()
    jar.transaction_manager.begin()
    transition(dossier, name, registry=registry, check_permission=False, actor="system",
               comment=comment or ("alasan" if name in ("return", "reject", "withdraw") else ""))
    jar.transaction_manager.commit()
    jar.transaction_manager.begin()


def _recommend(dossier, asked, signed, code="DISTARU"):
    folder = dossier["rekomendasi"]       # request_review opened it
    if code not in folder:
        folder.add(code, Recommendation(code, "verifikator"))
    rec = folder[code]
    rec.requested_at = asked.astimezone(dt.timezone.utc)
    rec.decision = "recommended"
    rec.signed_at = signed.astimezone(dt.timezone.utc)


def _fee(dossier, amount=FEE):
    dossier["retribusi"].add("skrd-1", FeeAssessment("skrd-1", amount, {"kind": "fixed", "amount": amount},
                                                    {}, "penandatangan", None))


def _pay(dossier):
    for item in dossier["retribusi"].values():
        item.payments = item.payments + ({"amount": item.outstanding(), "channel": "test"},)


def build_dataset(site, registry, clock):
    """Make dossiers A-H (see the module docstring); returns their numbers."""
    revision = add_revision(site, completion_time=Duration(10, "working_days"))
    setda = add_revision(site, code="SETDA-05", completion_time=Duration(10, "working_days"),
                         requirements=())     # nothing to upload in this test
    numbers = {}

    def make(letter, kec=KEC_A, code="IMB", rev=revision, filed_by=None):
        number = f"SILAT-2026-9000{ord(letter) - 64:02d}"
        clock.now = at(9, 30)
        dossier = new_dossier(site, number, code=code, revision=rev)
        dossier.location = {"kecamatan": kec}
        if filed_by:
            dossier.filed_by = filed_by
        numbers[letter] = number
        return dossier

    def through_review(d, submit, review, asked, signed, pay, issue, returned=None):
        take = lambda when, name, comment="": _take(registry, clock, d, when, name, comment)  # noqa: E731
        take(submit, "submit")
        if returned:
            mark_requirements(d, False, "kedaluwarsa")
            take(returned[0], "return")
            take(returned[1], "resubmit")
        mark_requirements(d, True)
        take(review, "verify")
        take(review, "request_review")
        _recommend(d, asked, signed)
        take(signed, "approve")
        _fee(d)
        take(signed, "assess_fee")
        _pay(d)
        take(pay, "confirm_payment")
        check_pbb(d)
        take(issue, "issue")

    through_review(make("A"), at(10, 1), at(10, 2), at(10, 2), at(10, 6), at(10, 7), at(10, 8))
    through_review(make("B"), at(10, 1), at(10, 2), at(10, 2), at(10, 16), at(10, 19), at(10, 20))
    through_review(make("C"), at(10, 1), at(10, 12), at(10, 12), at(10, 14), at(10, 19), at(10, 21),
                   returned=(at(10, 2), at(10, 9)))
    d = make("D", filed_by="loket")
    _take(registry, clock, d, at(10, 5), "submit")
    mark_requirements(d, True)
    _take(registry, clock, d, at(10, 6), "verify")
    _take(registry, clock, d, at(10, 7), "reject")
    e = make("E")
    _take(registry, clock, e, at(10, 5), "submit")
    _take(registry, clock, e, at(10, 6), "withdraw")
    f = make("F")
    _take(registry, clock, f, at(10, 12), "submit")
    mark_requirements(f, True)
    _take(registry, clock, f, at(10, 12), "verify")
    _take(registry, clock, f, at(10, 12), "request_review")
    g = make("G")
    _take(registry, clock, g, at(10, 12), "submit")
    mark_requirements(g, False, "kedaluwarsa")
    _take(registry, clock, g, at(10, 13), "return")
    h = make("H", kec=KEC_B, code="SETDA-05", rev=setda)
    _take(registry, clock, h, at(11, 2), "submit")
    mark_requirements(h, True)
    _take(registry, clock, h, at(11, 3), "verify")
    _take(registry, clock, h, at(11, 3), "approve")
    check_pbb(h)
    _take(registry, clock, h, at(11, 4), "issue")
    return numbers


@pytest.fixture(scope="session")
def dataset_template(tmp_path_factory, seeded_template):
    """The seeded site with dossiers A-H, built once per session."""
    from silat import main
    from silat.permits.signing import generate_dev_ca
    from silat.resources.site import ZODB_ROOT_KEY
    var = tmp_path_factory.mktemp("reports") / "var"
    shutil.copytree(seeded_template, var)
    settings = {"zodbconn.uri": f"file://{var}/Data.fs?blobstorage_dir={var}/blobs",
                "silat.secret_file": str(var / "secret"), "silat.var_dir": str(var),
                "silat.search.background": "false", "silat.argon2.time_cost": "1",
                "silat.argon2.memory_cost": "1024", "silat.argon2.parallelism": "1"}
    generate_dev_ca(settings)
    application = main({"__file__": "test"}, **settings)
    db = application.registry._zodb_databases[""]
    tm = transaction.TransactionManager(explicit=True)
    conn = db.open(transaction_manager=tm)
    with pytest.MonkeyPatch.context() as patch, tm:
        numbers = build_dataset(conn.root()[ZODB_ROOT_KEY], application.registry, install_clock(patch))
    conn.close()
    db.close()
    return var, numbers


@pytest.fixture
def app(settings, dataset_template):
    """Every test here starts from a copy of the dataset's database."""
    from silat import main
    template, _numbers = dataset_template
    var = settings["silat.var_dir"]
    for name in ("Data.fs", "secret"):
        shutil.copy(template / name, os.path.join(var, name))
    for name in ("blobs", "signing", "index"):     # the index too: no rebuild at start
        if (template / name).exists():
            shutil.copytree(template / name, os.path.join(var, name))
    application = main({"__file__": "test"}, **settings)
    yield application
    for db in application.registry._zodb_databases.values():
        db.close()


@pytest.fixture
def dataset(dataset_template):
    """Registration numbers of dossiers A-H (letter -> number)."""
    return dataset_template[1]

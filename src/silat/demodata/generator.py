"""Plan and play back ``N`` dossiers through the real code paths."""
import collections
import datetime as dt
import io
import random
from types import SimpleNamespace

import time_machine
from pyramid.request import Request

from silat.catalog.loader import kecamatan
from silat.demodata import names
from silat.intake import applications as A
from silat.intake import uploads
from silat.intake import verification as V
from silat.intake.schemas import application_schema
from silat.permits import fees, pbb
from silat.recommendations import services as R
from silat.security.permissions import FRONT_OFFICE
from silat.workflow import transition

# Target state -> weight: ten years of a city's dossiers are mostly closed.
STATES = (("issued", 62), ("rejected", 7), ("withdrawn", 5), ("draft", 4), ("submitted", 5),
          ("returned", 3), ("verified", 3), ("in_review", 5), ("awaiting_payment", 3),
          ("approved", 3))
FINAL = {"issued", "rejected", "withdrawn"}
YEARS = 10
OPEN_DAYS = 45            # open dossiers were filed within the last weeks
UTC = dt.timezone.utc


class SystemRequest(Request):
    """A request acting as one generated user: allowed every step (the
    generator plays each role in turn); front-office filing on demand."""
    front_office = False

    def has_permission(self, permission, context=None):
        return self.front_office if permission == FRONT_OFFICE else True


def make_request(registry, conn, user, front_office=False):
    base = registry.settings.get("silat.public_url") or "http://localhost:6543"
    request = SystemRequest.blank("/", base_url=base)
    request.registry = registry
    request._primary_zodb_conn = conn
    request.user = user
    request.context = None
    request.front_office = front_office
    return request


def actor(username, title, agency=None, roles=()):
    return SimpleNamespace(username=username, title=title, agency=agency, roles=tuple(roles),
                           email=f"{username}@demo.silat.invalid", active=True,
                           email_confirmed=True)


OFFICE = {"loket": actor("loket", "Petugas Loket (demo)", roles=("front_office",)),
          "verifikator": actor("verifikator", "Verifikator Berkas (demo)", roles=("verifikator",)),
          "penandatangan": actor("penandatangan", "Kepala DPMPTSP (demo)",
                                 roles=("penandatangan",))}


class Plan:
    """One dossier to make: its target state, service, dates and people."""
    __slots__ = ("index", "state", "code", "filed", "applicant", "location", "walk_in",
                 "owner", "returns", "rnd_seed")


def weighted_services(services):
    """Common permits weigh more: IMB and trading/business permits lead."""
    common = {"IMB": 40, "SIUP": 30, "TDP": 25, "IZIN-GANGGUAN": 15, "REKLAME": 12, "TDG": 6,
              "TDUP": 6, "IUJK": 5}

    def weight(code):
        if code in common:
            return common[code]
        return 1 if code.startswith(("REK-", "SETDA-")) else 3
    return [(code, weight(code)) for code in services]


def plan(n, seed, site, until):
    """The ``n`` dossiers to make, in filing order (so numbers follow dates)."""
    rnd = random.Random(seed)
    services = sorted(code for code, svc in site["layanan"].items()
                      if getattr(svc, "current", None) is not None)
    codes, cweights = zip(*weighted_services(services))
    states, sweights = zip(*STATES)
    kec = kecamatan()
    with_recs = {c for c in services if site["layanan"][c].current.recommendations_from}
    with_fee = {c for c in services if getattr(site["layanan"][c].current.fee, "kind", "free") != "free"}
    with_docs = {c for c in services if any(r.provided_by == "applicant"
                                            for r in site["layanan"][c].current.requirements or ())}
    end = dt.datetime.combine(until, dt.time(9, 0), UTC)
    out = []
    for i in range(n):
        p = Plan()
        p.index, p.rnd_seed = i, rnd.randrange(2 ** 32)
        p.state = rnd.choices(states, sweights)[0]
        pool = codes
        if p.state == "returned" and with_docs:
            pool = sorted(with_docs)
        elif p.state == "in_review" and with_recs:
            pool = sorted(with_recs)
        elif p.state == "awaiting_payment":
            pool = sorted(with_fee) or None
            if pool is None:                 # no fee configured anywhere: cannot wait for payment
                p.state, pool = "approved", codes
        p.code = rnd.choices(codes, cweights)[0] if pool is codes else rnd.choice(pool)
        span = (OPEN_DAYS * 86400) if p.state not in FINAL else (YEARS * 365 * 86400)
        back = rnd.randrange(30 * 86400 if p.state in FINAL else 3600, span)
        filed = end - dt.timedelta(seconds=back)
        # office hours, WIB (UTC+7): 08:00-15:00
        p.filed = filed.replace(hour=rnd.randint(1, 8), minute=rnd.randrange(60))
        female, name = names.person(rnd)
        k = rnd.choice(kec)
        company = rnd.random() < 0.35
        bname, btype = names.business(rnd, name)
        born = dt.date(1960, 1, 1) + dt.timedelta(days=rnd.randrange(365 * 40))
        nik = (f"3275{rnd.randint(1, 12):02d}{born.day + (40 if female else 0):02d}"
               f"{born.month:02d}{born.year % 100:02d}{rnd.randint(1, 9999):04d}")
        login = f"{name.split()[0].lower()}.{name.split()[-1].lower()}{i % 97}"
        p.applicant = {
            "kind": "company" if company else "person",
            "name": bname if company else name,
            "identity_number": f"{rnd.randrange(10 ** 12, 10 ** 13)}" if company else nik,
            "email": f"{login}@contoh.co.id", "phone": f"08{rnd.randrange(10 ** 9, 10 ** 10)}",
            "address": f"{names.street_address(rnd)}, {rnd.choice(k['kelurahan'])}, "
                       f"{k['name']}, Kota Bekasi",
            "business_name": bname, "business_type": btype}
        p.location = {"address": names.street_address(rnd), "kecamatan": k["code"],
                      "kelurahan": rnd.choice(k["kelurahan"]),
                      "nop": f"3275{rnd.randrange(10 ** 14):014d}"}   # asked where PBB is checked
        p.walk_in = rnd.random() < 0.3
        p.owner = actor(f"pemohon.{login}", name, roles=("pemohon",))
        p.returns = rnd.random() < 0.2
        out.append(p)
    out.sort(key=lambda p: (p.filed, p.index))
    return out


def pdf_document(number, applicant, requirement):
    """A small real PDF naming the dossier and requirement: one font and one
    text object (a third less for pypdf to read back, in ``uploads.inspect``
    and in the search index, than a bold title in a font of its own)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, pageCompression=0, invariant=1)
    text = c.beginText(72, 770)
    text.setFont("Helvetica", 12, leading=17)
    text.textLines([requirement.name[:80], f"Berkas {number} - {applicant['name']}",
                    f"Alamat: {applicant['address'][:90]}", "Dokumen contoh (data demo SILAT)."])
    c.drawText(text)
    c.showPage()
    c.save()
    return out.getvalue()


class Generator:
    """Plays each planned dossier through intake, verification, review,
    fees and permit issue, at its simulated dates."""

    def __init__(self, registry, conn, site):
        self.registry, self.conn, self.site = registry, conn, site
        self.settings = registry.settings
        self.limit = uploads.max_bytes(self.settings)
        self.counts = collections.Counter()
        self.permits = 0
        self.retries = 0

    def tally(self):
        """What has been made so far (restored when a batch is made again)."""
        return collections.Counter(self.counts), self.permits

    def restore(self, saved):
        self.counts, self.permits = collections.Counter(saved[0]), saved[1]

    def request(self, user, front_office=False):
        return make_request(self.registry, self.conn, user, front_office)

    def at(self, when):
        """Run a step at ``when``, never later than the ceiling (a moment
        before the real now: ZODB transaction ids must not run ahead)."""
        return time_machine.travel(min(when, self.ceiling), tick=False)

    def make(self, p):
        rnd = random.Random(p.rnd_seed)
        site = self.site
        service, standard = A.current_standard(site, p.code)
        when = p.filed
        filer = OFFICE["loket"] if p.walk_in else p.owner
        req = self.request(filer, front_office=p.walk_in)
        data = application_schema(standard).deserialize({
            "applicant": p.applicant, "location": p.location,
            "fields": {f: str(rnd.randint(36, 900)) for f in _formula_fields(standard)}})
        with self.at(when):
            dossier = A.create_application(req, service, standard, data)
            docs = A.uploadable(dossier)
            partial = p.state == "draft" and rnd.random() < 0.5
            for r in docs[: max(0, len(docs) - 1)] if partial else docs:
                self.upload(req, dossier, r)
        state = p.state
        if state == "draft":
            return self.done(dossier)
        if state == "withdrawn" and rnd.random() < 0.4:
            when = self.step(when, rnd, 0.2, 3)
            with self.at(when):
                transition(dossier, "withdraw", req, comment="Pemohon membatalkan permohonan.")
            return self.done(dossier)
        when = self.step(when, rnd, 0.01, 1)
        with self.at(when):
            A.submit(req, dossier, channel="counter" if p.walk_in else "web")
        if state == "submitted":
            return self.done(dossier)
        officer = self.request(OFFICE["verifikator"])
        returnable = [r for r in V.checkable(dossier) if r.key in dossier["dokumen"]]
        if returnable and (state == "returned" or (p.returns and state != "withdrawn")):
            when = self.step(when, rnd, 1, 4)
            with self.at(when):
                bad = rnd.choice(returnable)
                V.save_checklist(officer, dossier, {bad.key: (False, "Dokumen tidak terbaca, "
                                                              "mohon unggah ulang.")})
                V.return_to_applicant(officer, dossier)
            if state == "returned":
                return self.done(dossier)
            when = self.step(when, rnd, 1, 5)
            with self.at(when):
                self.upload(req, dossier, bad)
                A.submit(req, dossier)
        if state == "withdrawn":
            when = self.step(when, rnd, 1, 5)
            with self.at(when):
                transition(dossier, "withdraw", req, comment="Usaha tidak jadi dibuka.")
            return self.done(dossier)
        if state == "rejected" and rnd.random() < 0.3:
            return self.reject(dossier, when, rnd)
        when = self.step(when, rnd, 1, 4)
        with self.at(when):
            V.save_checklist(officer, dossier, {r.key: (True, "") for r in V.checkable(dossier)})
            V.complete(officer, dossier)
        if state == "verified":
            return self.done(dossier)
        decider = self.request(OFFICE["penandatangan"])
        if standard.recommendations_from:
            when = self.step(when, rnd, 0.1, 2)
            with self.at(when):
                transition(dossier, "request_review", officer)
            recs = sorted(dossier["rekomendasi"].values(), key=lambda r: r.agency_code)
            give = recs if state != "in_review" else recs[: rnd.randrange(len(recs))]
            for rec in give:
                when = self.step(when, rnd, 2, 10)
                with self.at(when):
                    self.recommend(rec, rnd, rejecting=state == "rejected")
            if state == "in_review":
                return self.done(dossier)
        elif state == "in_review":
            return self.done(dossier)
        if state == "rejected":
            return self.reject(dossier, when, rnd)
        when = self.step(when, rnd, 0.5, 3)
        with self.at(when):
            transition(dossier, "approve", decider)
            if dossier.fee_outstanding() > 0:
                transition(dossier, "assess_fee", decider)
        if state == "awaiting_payment" or (state == "approved" and rnd.random() < 0.5):
            return self.done(dossier)
        if dossier.fee_outstanding() > 0:
            when = self.step(when, rnd, 1, 14)
            with self.at(when):
                for item in dossier["retribusi"].values():
                    fees.record_payment(item, item.outstanding(), when.date(),
                                        f"BANK-{dossier.registration_number}-{item.number}"[:64],
                                        "bank", "system", registry_=self.registry)
        if state == "approved":
            return self.done(dossier)
        if pbb.requires_pbb(dossier) and not pbb.pbb_settled(dossier):
            self.check_pbb(dossier, when, rnd)
        when = self.step(when, rnd, 0.5, 5)
        with self.at(when):
            transition(dossier, "issue", decider)
        self.permits += 1
        return self.done(dossier)

    def check_pbb(self, dossier, when, rnd):
        """The Bapenda record of the land's PBB (imported as its CSV is),
        then the officer's check of the proof against it."""
        nop = (dossier.location or {}).get("nop") or f"3275{rnd.randrange(10 ** 14):014d}"
        when = min(when, self.ceiling)
        paid = min(when.date(), max(dt.date(when.year, 1, 2),
                                    (when - dt.timedelta(days=rnd.randint(5, 200))).date()))
        csv = ("nop,tahun,nama_wajib_pajak,jumlah,tanggal_bayar\n"
               f"{nop},{when.year},{dossier.applicant['name']},{rnd.randint(150, 5000) * 1000},"
               f"{paid.isoformat()}\n")
        with self.at(when):
            report = pbb.import_records(self.site, csv, "bapenda")
            if not report.ok:
                raise RuntimeError(f"PBB record refused: {report.errors}")
            pbb.check_dossier(dossier, pbb.CsvPbbRecords(), nop, when.year, "verifikator")

    def reject(self, dossier, when, rnd):
        when = self.step(when, rnd, 0.5, 5)
        with self.at(when):
            transition(dossier, "reject", self.request(OFFICE["penandatangan"]),
                       comment=rnd.choice(("Lokasi tidak sesuai rencana tata ruang.",
                                           "Persyaratan teknis tidak terpenuhi.",
                                           "Rekomendasi teknis OPD tidak mendukung.")))
        return self.done(dossier)

    def recommend(self, rec, rnd, rejecting=False):
        head = actor(f"kepala.{rec.agency_code.lower()}", f"Kepala {rec.agency_code} (demo)",
                     agency=rec.agency_code, roles=("kepala_opd",))
        req = self.request(head)
        req.context = rec.dossier
        if rejecting:
            R.sign(rec, req, "not_recommended", (), "Tidak memenuhi ketentuan teknis.")
        elif rnd.random() < 0.3:
            R.sign(rec, req, "conditional", ("Wajib menyediakan lahan parkir.",
                                             "Wajib menjaga kebersihan lingkungan."), "")
        else:
            R.sign(rec, req, "recommended", (), "")

    def upload(self, req, dossier, requirement):
        data = pdf_document(dossier.registration_number, dossier.applicant, requirement)
        inspected = uploads.inspect(io.BytesIO(data), f"{requirement.key}.pdf", self.limit,
                                    requirement.file_types)
        A.store_document(req, dossier, requirement, inspected)

    def step(self, when, rnd, lo, hi):
        """A later moment: ``lo``-``hi`` days on, in office hours, never past now."""
        later = when + dt.timedelta(days=rnd.uniform(lo, hi))
        if later.hour > 8 or later.hour < 1:
            later = later.replace(hour=rnd.randint(1, 8)) + dt.timedelta(days=1 if later.hour > 8 else 0)
        return min(later, self.ceiling)

    def done(self, dossier):
        self.counts[dossier.state] += 1
        return dossier


def _formula_fields(standard):
    rule = standard.fee
    return tuple(rule.fields()) if rule is not None else ()


# What a planned dossier costs to make, roughly (an issued permit is
# rendered and signed): used to give the workers of ``silat demo --procs``
# equal shares.
COST = {"issued": 1.0, "rejected": 0.4, "approved": 0.3, "in_review": 0.3, "withdrawn": 0.2,
        "returned": 0.2}
OTHER_COST = 0.05


def share(plans, k, procs):
    """The ``k``-th of ``procs`` contiguous runs of ``plans`` (in filing
    order) of about equal cost, cut between filing years when there are
    enough years: a year's registration numbers then all come from one
    worker, in filing order."""
    import bisect
    import itertools
    cum = list(itertools.accumulate((COST.get(p.state, OTHER_COST) for p in plans), initial=0.0))
    years = [i for i in range(1, len(plans)) if plans[i].filed.year != plans[i - 1].filed.year]
    cuts = [0]
    for j in range(1, procs):
        target = cum[-1] * j / procs
        if len(years) >= procs - 1:
            options = [i for i in years if i > cuts[-1]] or [len(plans)]
            cuts.append(min(options, key=lambda i: abs(cum[i] - target)))
        else:
            cuts.append(max(cuts[-1], min(len(plans), bisect.bisect_left(cum, target))))
    cuts.append(len(plans))
    return plans[cuts[k]:cuts[k + 1]]

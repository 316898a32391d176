"""Archive records kept by the archivist (``/arsip``), all in one
``ArchiveStore`` on the archive container:

- the retention schedule (Jadwal Retensi Arsip) per service code:
  active years, inactive years, final disposition (permanen / musnah);
  services without a rule are "to be configured";
- the physical location of each dossier's paper originals;
- the loan register;
- destruction proposals (daftar usul musnah), their approval by an
  archivist other than the proposer, and the record of every destroyed
  dossier (what, when, by whose decision), which outlives the dossier.

A closed dossier's archive state follows from its closing date and its
service's rule: aktif -> inaktif -> permanen | usul musnah -> musnah.
"""
import datetime as dt

from BTrees.IOBTree import IOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent

from silat.i18n import _

DISPOSITIONS = {"permanen": _("Permanen"), "musnah": _("Musnah")}
STATES = {
    "terbuka": _("Belum ditutup"),
    "aktif": _("Aktif"),
    "inaktif": _("Inaktif"),
    "permanen": _("Permanen"),
    "usul_musnah": _("Usul musnah"),
    "musnah": _("Musnah"),
}


class ArchiveError(ValueError):
    """A refused archive action; ``message`` is a translation string."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def utcnow():
    return dt.datetime.now(dt.timezone.utc)


class RetentionRule(Persistent):
    def __init__(self, active_years, inactive_years, disposition, by):
        if disposition not in DISPOSITIONS:
            raise ArchiveError(_("Nasib akhir harus permanen atau musnah."))
        if not (0 <= int(active_years) <= 100 and 0 <= int(inactive_years) <= 100):
            raise ArchiveError(_("Masa retensi harus antara 0 dan 100 tahun."))
        self.active_years = int(active_years)
        self.inactive_years = int(inactive_years)
        self.disposition = disposition
        self.by = by
        self.at = utcnow()


class Loan(Persistent):
    def __init__(self, id, number, borrower, unit, purpose, borrowed_on, due_on, by):
        self.id, self.number, self.borrower, self.unit = id, number, borrower, unit
        self.purpose, self.borrowed_on, self.due_on, self.by = purpose, borrowed_on, due_on, by
        self.returned_on = None
        self.received_by = None

    def overdue(self, today):
        return self.returned_on is None and today > self.due_on


class Proposal(Persistent):
    """A destruction proposal (daftar usul musnah)."""

    def __init__(self, id, items, by):
        self.id = id
        self.items = tuple(items)      # dicts: number, service, title, year, closed, rule
        self.proposed_by = by
        self.proposed_at = utcnow()
        self.approved_by = None
        self.approved_at = None
        self.executed_by = None
        self.executed_at = None

    @property
    def status(self):
        if self.executed_at:
            return "dilaksanakan"
        return "disetujui" if self.approved_at else "diusulkan"

    @property
    def numbers(self):
        return [item["number"] for item in self.items]


class ArchiveStore(Persistent):
    def __init__(self):
        self.retention = OOBTree()     # service code -> RetentionRule
        self.locations = OOBTree()     # registration number -> {building, room, shelf, box}
        self.loans = IOBTree()         # id -> Loan
        self.proposals = IOBTree()     # id -> Proposal
        self.destroyed = OOBTree()     # registration number -> dict (the destruction record)

    # -- retention --
    def set_rule(self, service_code, active_years, inactive_years, disposition, by):
        rule = RetentionRule(active_years, inactive_years, disposition, by)
        self.retention[service_code] = rule
        return rule

    # -- locations --
    def set_location(self, number, building, room, shelf, box, by):
        self.locations[number] = {"building": building, "room": room, "shelf": shelf, "box": box,
                                  "by": by, "at": utcnow().isoformat()}

    # -- loans --
    def lend(self, number, borrower, unit, purpose, borrowed_on, due_on, by):
        if due_on < borrowed_on:
            raise ArchiveError(_("Tanggal kembali tidak boleh sebelum tanggal pinjam."))
        if any(loan.number == number and loan.returned_on is None for loan in self.loans.values()):
            raise ArchiveError(_("Berkas ${n} masih dipinjam.", mapping={"n": number}))
        key = self.loans.maxKey() + 1 if len(self.loans) else 1
        loan = self.loans[key] = Loan(key, number, borrower, unit, purpose, borrowed_on, due_on, by)
        return loan

    def give_back(self, loan_id, returned_on, by):
        loan = self.loans.get(loan_id)
        if loan is None:
            raise ArchiveError(_("Peminjaman tidak ditemukan."))
        if loan.returned_on is not None:
            raise ArchiveError(_("Berkas ini sudah dikembalikan."))
        loan.returned_on, loan.received_by = returned_on, by
        return loan

    def overdue(self, today):
        return [loan for loan in self.loans.values() if loan.overdue(today)]

    def open_loans(self):
        return [loan for loan in self.loans.values() if loan.returned_on is None]

    # -- destruction --
    def propose(self, items, by):
        if not items:
            raise ArchiveError(_("Tidak ada berkas yang dapat diusulkan musnah."))
        pending = {n for p in self.proposals.values() if not p.executed_at for n in p.numbers}
        items = [i for i in items if i["number"] not in pending]
        if not items:
            raise ArchiveError(_("Semua berkas ini sudah ada dalam usulan yang belum dilaksanakan."))
        key = self.proposals.maxKey() + 1 if len(self.proposals) else 1
        proposal = self.proposals[key] = Proposal(key, items, by)
        return proposal

    def approve(self, proposal_id, by):
        proposal = self._proposal(proposal_id)
        if proposal.approved_at:
            raise ArchiveError(_("Usulan ini sudah disetujui."))
        if by == proposal.proposed_by:
            raise ArchiveError(_("Usulan musnah harus disetujui arsiparis lain, bukan pengusulnya."))
        proposal.approved_by, proposal.approved_at = by, utcnow()
        return proposal

    def _proposal(self, proposal_id):
        proposal = self.proposals.get(proposal_id)
        if proposal is None:
            raise ArchiveError(_("Usulan musnah tidak ditemukan."))
        return proposal


def get_store(archive):
    store = getattr(archive, "store", None)
    if store is None:
        store = archive.store = ArchiveStore()
    return store


def _final(dossier):
    from silat.workflow import workflow_for
    try:
        return workflow_for(dossier).states[dossier.state].final
    except (KeyError, AttributeError):
        return False


def closed_on(dossier):
    """The date the dossier reached its final state (None while open)."""
    if not _final(dossier):
        return None
    closed = None
    for entry in dossier.history:
        if entry.get("action") == "transition" and entry.get("data", {}).get("new_state") == dossier.state:
            closed = entry["at"]
    if closed:
        return dt.datetime.fromisoformat(closed).date()
    return dossier.modified.date() if getattr(dossier, "modified", None) else None


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:      # 29 February
        return day.replace(year=day.year + years, day=28)


def archive_state(dossier, rule, today):
    """(state, active_until, inactive_until) of a dossier under ``rule``."""
    closed = closed_on(dossier)
    if closed is None:
        return "terbuka", None, None
    if rule is None:
        return "aktif", None, None
    active_end = _add_years(closed, rule.active_years)
    inactive_end = _add_years(active_end, rule.inactive_years)
    if today < active_end:
        return "aktif", active_end, inactive_end
    if today < inactive_end:
        return "inaktif", active_end, inactive_end
    return ("permanen" if rule.disposition == "permanen" else "usul_musnah"), active_end, inactive_end


def proposal_item(dossier, rule):
    standard_title = dossier.service_code
    try:
        standard = dossier.standard()
        standard_title, klas = standard.name, standard.classification_code or ""
    except Exception:
        klas = ""
    return {"number": dossier.registration_number, "service": dossier.service_code,
            "title": standard_title, "classification": klas,
            "year": dossier.created.year, "closed": closed_on(dossier).isoformat(),
            "rule": f"{rule.active_years}+{rule.inactive_years}"}


def destroy(site, proposal_id, by, today=None):
    """Carry out an approved proposal: remove each dossier (its documents
    go with it; blob files are reclaimed at the next pack) and keep a
    destruction record. Returns the numbers destroyed."""
    from silat.search import reindex
    store = get_store(site["arsip"])
    proposal = store._proposal(proposal_id)
    if not proposal.approved_at:
        raise ArchiveError(_("Usulan musnah belum disetujui arsiparis."))
    if proposal.executed_at:
        raise ArchiveError(_("Usulan ini sudah dilaksanakan."))
    today = today or dt.date.today()
    done = []
    for item in proposal.items:
        number = item["number"]
        dossier = site["berkas"].get(number)
        if dossier is None:
            continue
        rule = store.retention.get(dossier.service_code)
        state = archive_state(dossier, rule, today)[0]
        if state != "usul_musnah":
            raise ArchiveError(_("Berkas ${n} tidak lagi berstatus usul musnah.", mapping={"n": number}))
        if any(loan.number == number and loan.returned_on is None for loan in store.loans.values()):
            raise ArchiveError(_("Berkas ${n} masih dipinjam.", mapping={"n": number}))
        reindex(dossier)          # queued: the index drops it after commit
        site["berkas"].remove(number)
        store.locations.pop(number, None)
        store.destroyed[number] = dict(item, destroyed_at=utcnow().isoformat(), executed_by=by,
                                       decided_by=proposal.approved_by, proposed_by=proposal.proposed_by,
                                       proposal=proposal.id,
                                       documents=len(dossier["dokumen"]) if "dokumen" in dossier else 0,
                                       history_entries=len(dossier.history))
        done.append(number)
    proposal.executed_by, proposal.executed_at = by, utcnow()
    return done

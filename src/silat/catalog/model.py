"""Service types and their versioned standards (standar pelayanan).

A ServiceType lives in ``site["layanan"]`` under its code and keeps every
revision of its standard in an IOBTree keyed by revision number. A
revision is immutable: editing stores a new one with an effective date.
``current`` is the newest revision in effect today; ``revision(n)`` lets
a dossier keep the one it was filed under.
"""
import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass

from BTrees.IOBTree import IOBTree
from persistent import Persistent
from zope.interface import implementer

from silat.catalog.fees import FeeRule, make_rule
from silat.catalog.interfaces import IServiceType, IStandardRevision
from silat.i18n import _

CATEGORIES = {
    "perizinan_jasa_usaha": _("Perizinan Jasa Usaha"),
    "perizinan_tertentu": _("Perizinan Tertentu"),
    "non_perizinan": _("Non Perizinan"),
    "rekomendasi_teknis": _("Rekomendasi Teknis"),
    "layanan_sekretariat": _("Layanan Sekretariat"),
}
TIME_UNITS = {"minutes": _("menit"), "hours": _("jam"), "days": _("hari"),
              "working_days": _("hari kerja"), "months": _("bulan")}
VALIDITY_UNITS = {"days": _("hari"), "months": _("bulan"), "years": _("tahun")}
PROVIDERS = {"applicant": _("Diunggah pemohon"), "officer": _("Diperiksa petugas")}
FEE_KINDS = {"free": _("Gratis"), "fixed": _("Tarif tetap"), "formula": _("Dihitung dengan rumus")}

# The 14 components of a service standard, in the order of the seeds (002).
COMPONENTS = (
    ("legal_basis", _("Dasar Hukum")),
    ("requirements", _("Persyaratan")),
    ("procedure", _("Sistem, Mekanisme dan Prosedur")),
    ("completion_time", _("Jangka Waktu Penyelesaian")),
    ("fee", _("Biaya/Tarif")),
    ("product", _("Produk Pelayanan")),
    ("facilities", _("Sarana dan Prasarana")),
    ("staff_competence", _("Kompetensi Pelaksana")),
    ("internal_supervision", _("Pengawasan Internal")),
    ("complaint_channels", _("Penanganan Pengaduan, Saran dan Masukan")),
    ("staff_count", _("Jumlah Pelaksana")),
    ("service_guarantee", _("Jaminan Pelayanan")),
    ("security_guarantee", _("Jaminan Keamanan dan Keselamatan Pelayanan")),
    ("performance_evaluation", _("Evaluasi Kinerja Pelaksana")),
)
TEXT_COMPONENTS = ("product", "facilities", "staff_competence", "internal_supervision",
                   "complaint_channels", "staff_count", "service_guarantee",
                   "security_guarantee", "performance_evaluation")
EXTRA = (
    ("validity", _("Masa Berlaku Produk")),
    ("classification_code", _("Kode Klasifikasi Arsip")),
)
LABELS = dict(COMPONENTS + EXTRA)
# Fields that may be "to be configured" (null), in display order.
CONFIGURABLE = tuple(name for name, _label in COMPONENTS + EXTRA)
FIELDS = ("name", "category", "agency", "recommendations_from") + CONFIGURABLE + (
    "to_configure", "notes", "source")
NOT_CONFIGURED = _("Belum ditetapkan (perlu dikonfigurasi)")


@dataclass(frozen=True)
class Duration:
    amount: int
    unit: str
    per: str = None

    def plain(self):
        out = {"amount": self.amount, "unit": self.unit}
        if self.per:
            out["per"] = self.per
        return out


@dataclass(frozen=True)
class Requirement:
    key: str
    name: str
    mandatory: bool = True
    file_types: tuple = None
    provided_by: str = "applicant"

    def plain(self):
        out = asdict(self)
        out["file_types"] = list(self.file_types) if self.file_types else None
        return out


@dataclass(frozen=True)
class Step:
    step: str
    actor: str = None
    time: str = None
    output: str = None

    def plain(self):
        return asdict(self)


class CatalogError(ValueError):
    """Seed or export data that cannot be a standard; ``args[0]`` says why."""


def _text(value):
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = "\n".join(str(v) for v in value)
    value = str(value).strip()
    return value or None


def _duration(data, units):
    if not data:
        return None
    if data.get("unit") not in units:
        raise CatalogError(f"unknown unit {data.get('unit')!r}")
    return Duration(int(data["amount"]), data["unit"], _text(data.get("per")))


def normalize(entry):
    """The stored form (immutable values) of one standard's fields."""
    out = {
        "name": _text(entry.get("name")),
        "category": entry.get("category"),
        "agency": entry.get("agency"),
        "recommendations_from": tuple(entry.get("recommendations_from") or ()),
        "legal_basis": tuple(_text(x) for x in entry.get("legal_basis") or () if _text(x)) or None,
        "completion_time": _duration(entry.get("completion_time"), TIME_UNITS),
        "validity": _duration(entry.get("validity"), VALIDITY_UNITS),
        "classification_code": _text(entry.get("classification_code")),
        "fee": make_rule(entry.get("fee")),
        "notes": tuple(_text(x) for x in entry.get("notes") or () if _text(x)),
        "source": _text(entry.get("source")),
    }
    if out["category"] not in CATEGORIES:
        raise CatalogError(f"unknown category {out['category']!r}")
    if not out["name"] or not out["agency"]:
        raise CatalogError("name and agency are required")
    reqs = entry.get("requirements")
    out["requirements"] = tuple(
        Requirement(r["key"], _text(r["name"]), bool(r.get("mandatory", True)),
                    tuple(r["file_types"]) if r.get("file_types") else None,
                    r.get("provided_by") or "applicant") for r in reqs) if reqs else None
    steps = entry.get("procedure")
    out["procedure"] = tuple(
        Step(_text(s["step"]), _text(s.get("actor")), _text(s.get("time")), _text(s.get("output")))
        for s in steps) if steps else None
    for name in TEXT_COMPONENTS:
        out[name] = _text(entry.get(name))
    listed = set(entry.get("to_configure") or ())
    out["to_configure"] = tuple(f for f in CONFIGURABLE if f in listed or out[f] is None)
    return out


def _plain_value(value):
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, (Duration, Requirement, Step, FeeRule)):
        return value.plain()
    if isinstance(value, (tuple, list)):
        return [_plain_value(v) for v in value]
    raise TypeError(type(value))


def plain(fields):
    """JSON/YAML-ready copy of a standard's fields (the seed file's shape)."""
    return {name: _plain_value(fields.get(name)) for name in FIELDS}


def digest(fields):
    """A fingerprint of a standard's content (not of its revision metadata)."""
    data = json.dumps(plain(fields), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@implementer(IStandardRevision)
class StandardRevision(Persistent):
    """One immutable revision: all fields + number, effective date, author, note."""

    def __init__(self, number, fields, effective_date, author, note="", sources=None):
        values = {name: fields.get(name) for name in FIELDS}
        values.update(number=number, effective_date=effective_date, author=author,
                      note=note or "", created=dt.datetime.now(dt.timezone.utc),
                      sources=dict(sources or {}))
        self.__dict__.update(values)

    def __setattr__(self, name, value):
        if name.startswith(("_p_", "_v_")):
            return super().__setattr__(name, value)
        raise AttributeError("a standard revision is immutable: add a new revision")

    def __delattr__(self, name):
        raise AttributeError("a standard revision is immutable")

    def fields(self):
        return {name: getattr(self, name, None) for name in FIELDS}

    def plain(self):
        return plain(self.fields())

    def digest(self):
        found = getattr(self, "_v_digest", None)
        if found is None:
            found = self._v_digest = digest(self.fields())
        return found

    def is_configured(self, name):
        """False when the component is still to be configured (may be partly filled)."""
        return name not in (self.to_configure or ())


@implementer(IServiceType)
class ServiceType(Persistent):
    """A kind of service; its standard is the sequence of its revisions."""

    __name__ = None
    __parent__ = None
    seed_digest = None     # content fingerprint of the seed entry last loaded

    def __init__(self, code):
        self.code = code
        self.revisions = IOBTree()

    @property
    def latest(self):
        """The newest revision, whatever its effective date."""
        return self.revisions[self.revisions.maxKey()] if len(self.revisions) else None

    @property
    def current(self):
        return self.current_on(dt.date.today())

    @property
    def title(self):
        """The current revision's name, kept per day and newest revision
        (revisions are only ever added): the portal lists every service's
        title on each page."""
        revisions = self.revisions
        key = (dt.date.today(), revisions.maxKey() if revisions else None)
        cached = getattr(self, "_v_title", None)
        if cached is None or cached[0] != key:
            rev = self.current or self.latest
            cached = self._v_title = (key, rev.name if rev is not None else self.code)
        return cached[1]

    def current_on(self, day):
        for number in reversed(list(self.revisions.keys())):
            rev = self.revisions[number]
            if rev.effective_date <= day:
                return rev
        return None

    def revision(self, number):
        return self.revisions[int(number)]

    def provenance(self, rev):
        """Per component, where ``rev``'s value comes from: ``(kind, basis, date)``.

        ``kind`` is seed, regulation or admin; ``date`` the effective date of
        the revision since which the value is unchanged."""
        older = [r for r in self.history() if r.number <= rev.number]
        out = {}
        for name in CONFIGURABLE:
            value, since = getattr(rev, name, None), rev
            for candidate in older[1:]:
                if getattr(candidate, name, None) != value:
                    break
                since = candidate
            basis = (getattr(since, "sources", None) or {}).get(name)
            kind = ("seed" if since.author == "seed" else
                    "regulation" if since.author == "referensi" else "admin")
            out[name] = (kind, basis, since.effective_date)
        return out

    def history(self):
        """Revisions, newest first."""
        return [self.revisions[n] for n in reversed(list(self.revisions.keys()))]

    def add_revision(self, fields, effective_date, author, note="", sources=None):
        """``sources``: component -> basis text of the values this revision sets."""
        number = self.revisions.maxKey() + 1 if len(self.revisions) else 1
        rev = StandardRevision(number, fields, effective_date, author, note, sources)
        self.revisions[number] = rev
        return rev

"""What pages and PDFs show of a standard: the 14 components as display
items, durations and fees as text, and the catalog search."""
import re
from dataclasses import dataclass

from silat.catalog.fees import FeeRule
from silat.present import rupiah
from silat.catalog.model import CATEGORIES, COMPONENTS, EXTRA, FEE_KINDS, NOT_CONFIGURED, \
    PROVIDERS, TIME_UNITS, VALIDITY_UNITS, Duration, Requirement, Step
from silat.i18n import _


SOURCE_KINDS = {"seed": _("data awal (dokumen seed)"), "regulation": _("peraturan"),
                "admin": _("administrator")}


def value_lines(value, translate=str):
    """Any stored component value as lines of text (for suggestions)."""
    if isinstance(value, Duration):
        return [duration_text(value, translate)]
    if isinstance(value, FeeRule):
        return [fee_text(value, translate)]
    if isinstance(value, Requirement):
        return [requirement_text(value, translate)]
    if isinstance(value, Step):
        return [step_text(value)]
    if isinstance(value, (tuple, list)):
        return [line for item in value for line in value_lines(item, translate)]
    return [str(value)]


@dataclass
class Component:
    number: int            # 1-14 for the components of the standard, None for extras
    name: str
    label: object          # translation string
    kind: str              # text | list | requirements | procedure
    value: object          # str, list of str, or the requirement/step records
    configured: bool       # False: still to be configured (value may be partial)
    source: tuple = None   # (kind label, basis or None, effective date) where it comes from

    @property
    def empty(self):
        return self.value in (None, "", (), [])


def duration_text(duration, translate=str):
    """``14 hari``, ``30 menit per kegiatan``; None when not configured."""
    if duration is None:
        return None
    units = {**VALIDITY_UNITS, **TIME_UNITS}
    text = f"{duration.amount} {translate(units.get(duration.unit, duration.unit))}"
    return f"{text} {translate(_('per'))} {duration.per}" if duration.per else text


def fee_text(fee, translate=str):
    if fee is None:
        return None
    if fee.kind == "free":
        return translate(_("Tidak dipungut biaya (gratis)"))
    if fee.kind == "fixed":
        return rupiah(fee.amount)
    return translate(_("Dihitung dengan rumus: ${formula} (rupiah)",
                       mapping={"formula": fee.formula}))


def requirement_text(req, translate=str):
    """One requirement on one line, for the PDF."""
    parts = [translate(_("wajib") if req.mandatory else _("tidak wajib")),
             translate(PROVIDERS.get(req.provided_by, req.provided_by)).lower()]
    if req.file_types:
        parts.append(", ".join(t.upper() for t in req.file_types))
    return f"{req.name} ({'; '.join(parts)})"


def step_text(step):
    extra = [x for x in (step.actor, step.time, step.output) if x]
    return f"{step.step}" + (f" [{' | '.join(extra)}]" if extra else "")


def components(rev, translate=str, service=None):
    """The 14 components then validity and classification, for display
    (with where each comes from when ``service`` is given)."""
    origin = service.provenance(rev) if service is not None else {}
    out = []
    for number, (name, label) in enumerate(COMPONENTS + EXTRA, 1):
        value = getattr(rev, name, None)
        kind = "text"
        if name == "legal_basis":
            kind, value = "list", list(value or ())
        elif name in ("requirements", "procedure"):
            kind, value = name, list(value or ())
        elif name in ("completion_time", "validity"):
            value = duration_text(value, translate)
        elif name == "fee":
            value = fee_text(value, translate)
        source = origin.get(name)
        if source is not None:
            source = (SOURCE_KINDS[source[0]], source[1], source[2])
        out.append(Component(number if number <= len(COMPONENTS) else None, name, label, kind,
                             value, rev.is_configured(name), source))
    return out


def category_label(code):
    return CATEGORIES.get(code, code)


def fee_kind_label(fee):
    return FEE_KINDS.get(fee.kind) if fee is not None else NOT_CONFIGURED


def _words(text):
    """Lower-case words (letters and digits), so 'IMB' is a word of its own."""
    return re.findall(r"[0-9a-z]+", (text or "").lower())


def _matches(word, words):
    """A query word matches a word that starts with it: 'imb' finds 'IMB'
    but not 'Limbah'."""
    return any(w.startswith(word) for w in words)


def find_services(site, q="", agency="", category="", day=None):
    """``[(service, revision)]`` in effect on ``day`` matching the filters.

    ``q`` matches every word against code, name, agency code and name and
    category; ``agency`` is the code of the issuing agency."""
    words = _words(q)
    agencies = site["opd"]
    found = []
    for service in site["layanan"].values():
        rev = service.current_on(day) if day else service.current
        if rev is None:
            continue
        if category and rev.category != category:
            continue
        if agency and agency != rev.agency:
            continue
        if words:
            owner = agencies.get(rev.agency)
            haystack = _words(" ".join([service.code, rev.name, rev.agency,
                                        owner.title if owner is not None else "",
                                        str(CATEGORIES.get(rev.category, ""))]))
            if not all(_matches(w, haystack) for w in words):
                continue
        found.append((service, rev))
    return found

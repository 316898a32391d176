"""Public reference facts (``catalog/data/reference/``) in the catalog.

``permit-requirements.yaml`` is a verbatim copy of the facts gathered
from public legal sources; ``scope.yaml`` says, per permit, which of them
are national regulation or Kota Bekasi's own rule (they become values of
the standard, in a new dated revision by ``referensi``, with their basis
recorded per component) and which come from another region (they are
only offered to the administrator as suggestions).

A value is applied only where the standard's component is still empty,
so the seeds' values and every admin edit are kept; where the component
already holds something else, the fact is offered as a suggestion too.
Loading is idempotent: each service remembers the fingerprint of the
facts last applied (``reference_digest``).
"""
import datetime as dt
import functools
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

import yaml
from persistent.mapping import PersistentMapping

from silat.catalog.fees import make_rule
from silat.catalog.model import Duration, Requirement, Step, _plain_value

AUTHOR = "referensi"
NOTE = "Dimuat dari data referensi hukum publik (catalog/data/reference)"
COMPONENTS = ("requirements", "product", "validity", "fee", "procedure", "legal_basis")
FILE_TYPES = ("pdf", "jpg", "jpeg", "png")
# A requirement named with one of these conditions is not mandatory for everyone.
CONDITIONAL = re.compile(r"\b(jika|bila|apabila|non-perseorangan|badan hukum|sesuai skala)\b|>",
                         re.IGNORECASE)


@dataclass(frozen=True)
class Suggestion:
    """A fact from another region's list, offered to the administrator."""

    component: str
    value: object           # the stored form (see model.normalize)
    source: str

    @property
    def key(self):
        data = json.dumps([self.component, _plain_value(self.value), self.source],
                          sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Fact:
    """One component's value for one service, with whose rule it is."""

    component: str
    value: object
    scope: str              # national | city
    basis: str


def _read(name):
    text = resources.files("silat.catalog").joinpath("data", "reference", name).read_text("utf-8")
    return yaml.safe_load(text) or []


def key_of(name, taken):
    """A requirement key (``[a-z][a-z0-9_]*``, unique in ``taken``) from its name."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_name.lower())
    key = "_".join(words)[:40].strip("_") or "dokumen"
    key = key if key[0].isalpha() else f"d_{key}"
    unique, n = key, 2
    while unique in taken:
        unique, n = f"{key}_{n}", n + 1
    taken.add(unique)
    return unique


def requirements_of(names):
    taken = set()
    return tuple(Requirement(key_of(name, taken), name.strip(), not CONDITIONAL.search(name),
                             FILE_TYPES, "applicant") for name in names)


def _value(component, entry, spec):
    """The stored form of ``component`` from a reference ``entry``, or None."""
    if component == "requirements":
        names = entry.get(spec.get("from") or "requirements") or ()
        return requirements_of(names) if names else None
    if component == "product":
        text = spec.get("text") or entry.get("product")
        return text.strip() if text and text.strip() != "tidak ditemukan" else None
    if component == "validity":
        return Duration(int(spec["amount"]), spec["unit"]) if spec.get("amount") else None
    if component == "fee":
        return make_rule({"kind": spec["kind"]}) if spec.get("kind") else None
    if component == "procedure":
        steps = entry.get("procedure") or ()
        return tuple(Step(s.strip()) for s in steps) or None
    if component == "legal_basis":
        return tuple(x.strip() for x in entry.get("legal_basis") or ()) or None
    raise ValueError(component)


@functools.lru_cache(maxsize=1)
def facts():
    """``{service code: ([Fact], [Suggestion])}`` from the packaged files."""
    entries = {e["permit"]: e for e in _read("permit-requirements.yaml")}
    out = {}
    for decision in _read("scope.yaml"):
        entry = entries[decision["permit"]]
        found, offered = [], []
        for component, spec in (decision.get("values") or {}).items():
            value = _value(component, entry, spec)
            if value is not None:
                found.append(Fact(component, value, spec["scope"], spec.get("basis")))
        for component, spec in (decision.get("suggest") or {}).items():
            value = _value(component, entry, spec)
            if value is not None:
                offered.append(Suggestion(component, value, spec["source"]))
        for code in decision["services"]:
            out[code] = (tuple(found), tuple(offered))
    return out


def unmapped():
    """Reference permits that no catalog service takes (for the report)."""
    mapped = {d["permit"] for d in _read("scope.yaml")}
    return [e["permit"] for e in _read("permit-requirements.yaml") if e["permit"] not in mapped]


def _digest(found, offered):
    data = [[f.component, _plain_value(f.value), f.scope, f.basis] for f in found]
    data += [[s.component, _plain_value(s.value), s.source] for s in offered]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()


def suggestions(service):
    """The suggestions still open for a service, in component order."""
    stored = getattr(service, "suggestions", None) or {}
    return [s for c in COMPONENTS for s in stored.get(c, ())]


def _offer(service, suggestion):
    if getattr(service, "suggestions", None) is None:
        service.suggestions = PersistentMapping()
    current = service.suggestions.get(suggestion.component, ())
    if suggestion.key not in {s.key for s in current}:
        service.suggestions[suggestion.component] = current + (suggestion,)


def apply_to(service, found, offered, today):
    """Apply one service's facts; returns the components set (may be empty)."""
    latest = service.latest
    fields = latest.fields()
    sources, changed = {}, []
    for fact in found:
        stored = fields.get(fact.component)
        if fact.component == "legal_basis":
            merged = tuple(stored or ()) + tuple(x for x in fact.value if x not in (stored or ()))
            if merged != tuple(stored or ()):
                fields["legal_basis"], sources["legal_basis"] = merged, fact.basis
                changed.append("legal_basis")
        elif stored is None:
            fields[fact.component], sources[fact.component] = fact.value, fact.basis
            changed.append(fact.component)
        elif stored != fact.value:
            _offer(service, Suggestion(fact.component, fact.value, fact.basis))
    for suggestion in offered:
        if fields.get(suggestion.component) != suggestion.value:
            _offer(service, suggestion)
    if changed:
        fields["to_configure"] = tuple(c for c in fields["to_configure"]
                                       if c not in changed or c == "legal_basis")
        service.add_revision(fields, today, AUTHOR, NOTE, sources=sources)
    return changed


def load(site, report, apply=True, today=None):
    """Apply the reference facts to every mapped service (idempotent)."""
    today = today or dt.date.today()
    catalog = site["layanan"]
    for code, (found, offered) in sorted(facts().items()):
        service = catalog.get(code)
        if service is None or service.latest is None:
            continue
        digest = _digest(found, offered)
        label = f"layanan/{code}"
        if getattr(service, "reference_digest", None) == digest:
            report.unchanged_reference.append(label)
            continue
        if not apply:
            report.reference.append(label)
            continue
        changed = apply_to(service, found, offered, today)
        service.reference_digest = digest
        service.auto_digest = service.latest.digest()
        report.reference.append(f"{label}: {', '.join(changed) or 'usulan saja'}")


def accept(service, key, author, today=None):
    """Take the suggestion ``key`` as the component's value (a new revision)."""
    found = next((s for s in suggestions(service) if s.key == key), None)
    if found is None:
        return None
    fields = service.latest.fields()
    fields[found.component] = found.value
    fields["to_configure"] = tuple(c for c in fields["to_configure"] if c != found.component)
    rev = service.add_revision(fields, today or dt.date.today(), author,
                               f"Usulan diterima: {found.source}",
                               sources={found.component: f"usulan: {found.source}"})
    service.suggestions[found.component] = tuple(
        s for s in service.suggestions[found.component] if s.key != key)
    return rev

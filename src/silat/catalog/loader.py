"""Load the seeded catalog (``catalog/data/*.yaml``) into the site, and
export it back in the same shape.

Loading is idempotent and never overwrites an admin's edit silently:
each stored agency and service remembers the fingerprint of the seed
entry it was last loaded from (``seed_digest``).

- stored content equals the seed: *unchanged*;
- stored content is still what the last load wrote, the seed changed:
  *updated* (an agency is updated in place, a service gets a new revision
  by ``seed``);
- stored content was edited since and differs from the seed: *differs*,
  reported with the fields concerned and kept as stored.
"""
import datetime as dt
import functools
import hashlib
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from silat.catalog import reference
from silat.catalog.model import FIELDS, CatalogError, ServiceType, digest, normalize, plain
from silat.resources.agency import Agency

SEED_AUTHOR = "seed"
SEED_NOTE = "Dimuat dari data awal (catalog/data/services.yaml)"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path_or_name, data_dir=None):
    if data_dir:
        text = Path(data_dir, path_or_name).read_text("utf-8")
    else:
        text = resources.files("silat.catalog").joinpath("data", path_or_name).read_text("utf-8")
    return yaml.load(text, Loader=_Loader) or []


@functools.lru_cache(maxsize=8)
def _packaged(name):
    return _read(name)


def read_data(name, data_dir=None):
    """Parse a data file; the packaged ones are cached (treat as read-only)."""
    return _read(name, data_dir) if data_dir else _packaged(name)


def _cached_unless_dir(build):
    """Cache ``build()`` for the packaged data, never for a ``data_dir``."""
    cached = functools.lru_cache(maxsize=1)(lambda: build(None))

    @functools.wraps(build)
    def wrapper(data_dir=None):
        return build(data_dir) if data_dir else cached()
    return wrapper


def agency_fields(entry):
    return {"title": entry["name"].strip(), "kind": entry.get("kind") or "dinas",
            "recommender": bool(entry.get("is_opd_recommender")),
            "officials": tuple({"position": o.get("position"), "name": o.get("name")}
                               for o in entry.get("officials") or ())}


def agency_digest(fields):
    data = dict(fields, officials=[dict(o) for o in fields["officials"]])
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def stored_agency_fields(agency):
    return {"title": agency.title, "kind": agency.kind, "recommender": bool(agency.recommender),
            "officials": tuple({"position": o.get("position"), "name": o.get("name")}
                               for o in agency.officials)}


@_cached_unless_dir
def seed_agencies(data_dir=None):
    """``((code, fields, digest, source), ...)`` from agencies.yaml."""
    out = []
    for entry in read_data("agencies.yaml", data_dir):
        fields = agency_fields(entry)
        out.append((entry["code"], fields, agency_digest(fields), entry.get("source")))
    return tuple(out)


@_cached_unless_dir
def seed_services(data_dir=None):
    """``((code, fields, digest), ...)`` from services.yaml, validated."""
    agencies = {code for code, *_rest in seed_agencies(data_dir)}
    out, seen = [], set()
    for entry in read_data("services.yaml", data_dir):
        code = entry.get("code")
        try:
            fields = normalize(entry)
        except (CatalogError, KeyError, TypeError, ValueError) as exc:
            raise CatalogError(f"services.yaml {code}: {exc}") from exc
        unknown = {fields["agency"], *fields["recommendations_from"]} - agencies
        if unknown:
            raise CatalogError(f"services.yaml {code}: unknown agency {sorted(unknown)}")
        if code in seen:
            raise CatalogError(f"services.yaml: duplicate code {code}")
        seen.add(code)
        out.append((code, fields, digest(fields)))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def kecamatan():
    """The kecamatan of the city with their kelurahan (for address fields)."""
    return tuple({"code": k["code"], "name": k["name"], "kelurahan": tuple(k["kelurahan"])}
                 for k in read_data("kecamatan.yaml"))


@dataclass
class LoadReport:
    added: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    differs: list = field(default_factory=list)   # edited since the last load: kept as stored
    reference: list = field(default_factory=list)            # reference facts applied
    unchanged_reference: list = field(default_factory=list)  # reference facts already applied

    def summary(self):
        lines = [f"catalog: {len(self.added)} added, {len(self.updated)} updated from the seed, "
                 f"{len(self.unchanged)} unchanged, "
                 f"{len(self.differs)} differ from the seed (kept as stored)"]
        lines += [f"  updated: {item}" for item in self.updated]
        lines += [f"  differs: {item}" for item in self.differs]
        lines.append(f"reference: {len(self.reference)} standards given public legal facts, "
                     f"{len(self.unchanged_reference)} already up to date")
        lines += [f"  reference: {item}" for item in self.reference]
        return lines


def _changed(old, new):
    return ", ".join(k for k in new if old.get(k) != new.get(k))


def load_agencies(site, report, apply=True, data_dir=None):
    directory = site["opd"]
    for code, fields, seed, source in seed_agencies(data_dir):
        existing = directory.get(code)
        label = f"opd/{code}"
        if existing is None:
            report.added.append(label)
            if apply:
                agency = directory.add(code, Agency(
                    code, fields["title"], fields["kind"], fields["officials"],
                    fields["recommender"]))
                agency.seed_digest, agency.source = seed, source
            continue
        stored = stored_agency_fields(existing)
        stored_digest = agency_digest(stored)
        if stored_digest == seed:
            report.unchanged.append(label)
            if apply and getattr(existing, "seed_digest", None) != seed:
                existing.seed_digest = seed
        elif stored_digest == getattr(existing, "seed_digest", None):
            report.updated.append(f"{label}: {_changed(stored, fields)}")
            if apply:
                existing.title, existing.kind = fields["title"], fields["kind"]
                existing.officials = fields["officials"]
                existing.recommender = fields["recommender"]
                existing.seed_digest, existing.source = seed, source
        else:
            report.differs.append(f"{label}: {_changed(stored, fields)}")


def load_services(site, report, apply=True, data_dir=None, today=None):
    catalog = site["layanan"]
    today = today or dt.date.today()
    for code, fields, seed in seed_services(data_dir):
        existing = catalog.get(code)
        label = f"layanan/{code}"
        if existing is None:
            report.added.append(label)
            if apply:
                service = catalog.add(code, ServiceType(code))
                service.add_revision(fields, today, SEED_AUTHOR, SEED_NOTE)
                service.seed_digest = seed
            continue
        latest = existing.latest
        stored_digest = latest.digest()
        automatic = stored_digest == getattr(existing, "auto_digest", None)
        if stored_digest == seed or (automatic and existing.seed_digest == seed):
            # the seed's content, alone or with the reference facts applied on top
            report.unchanged.append(label)
            if apply and existing.seed_digest != seed:
                existing.seed_digest = seed
        elif stored_digest in (existing.seed_digest, getattr(existing, "auto_digest", None)):
            # not edited since the last automatic load (seed or reference facts)
            last_seed = next((r for r in existing.history() if r.author == SEED_AUTHOR), latest)
            report.updated.append(f"{label}: {_changed(last_seed.plain(), plain(fields))}")
            if apply:
                existing.add_revision(fields, today, SEED_AUTHOR, SEED_NOTE)
                existing.seed_digest = seed
                existing.reference_digest = None     # re-apply the facts on the new seed
        else:
            # name what the admin changed: against the last automatic load, not the raw seed
            auto = next((r for r in existing.history()
                         if r.digest() == getattr(existing, "auto_digest", None)), None)
            if auto is not None and existing.seed_digest == seed:
                changed = _changed(latest.plain(), auto.plain())
            else:
                changed = _changed(latest.plain(), plain(fields))
            report.differs.append(f"{label}: {changed} "
                                  f"(revisi {latest.number} oleh {latest.author})")


def load(site, apply=True, data_dir=None):
    """Load agencies and services; with ``apply=False`` only report."""
    data_dir = str(data_dir) if data_dir else None
    report = LoadReport()
    load_agencies(site, report, apply, data_dir)
    load_services(site, report, apply, data_dir)
    reference.load(site, report, apply)
    return report


def export(site):
    """``{"agencies": [...], "services": [...]}`` in the seed files' shape."""
    agencies = []
    for agency in site["opd"].values():
        agencies.append({"code": agency.code, "name": agency.title, "kind": agency.kind,
                         "is_opd_recommender": bool(agency.recommender),
                         "officials": [dict(o) for o in agency.officials],
                         "source": getattr(agency, "source", None)})
    services = []
    for service in site["layanan"].values():
        latest = service.latest
        if latest is not None:
            services.append({"code": service.code, **latest.plain()})
    return {"agencies": agencies, "services": services}


def dump_yaml(data):
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


__all__ = ["FIELDS", "LoadReport", "export", "load", "read_data"]

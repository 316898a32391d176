"""What each kind of content puts in the index.

Indexing works on *roots*: a dossier (with its permit and its
recommendations) or a complaint. ``documents(root)`` returns every index
document of one root; re-indexing a root replaces all of them. Content of
other packages is picked up by interface and read through documented
attribute names with ``getattr``, so a package that lands later needs no
change here.

Public (issued-permit) documents are built from public data only: permit
number, service, holder (business or person name), kecamatan, dates,
state. Never the NIK, phone, email or home address.
"""
import datetime as dt

from pyramid.authorization import Everyone
from pyramid.traversal import resource_path

from silat import interfaces as I
from silat.search.extract import documents_text, file_text
from silat.search.security import allowed_principals
from silat.security import permissions as P

# Keys of dossier data that hold private data of a person.
PRIVATE_KEYS = ("nik", "ktp", "npwp", "telepon", "phone", "hp", "email", "alamat", "address",
                "tanggal_lahir", "birth", "identity", "kk")
EXCERPT = 400


def is_private_key(key):
    key = str(key).lower()
    return any(part in key for part in PRIVATE_KEYS)


def complaint_iface():
    return getattr(I, "IComplaint", None)


def is_root(obj):
    if I.IDossier.providedBy(obj):
        return True
    iface = complaint_iface()
    return iface is not None and iface.providedBy(obj)


def find_root_of(obj):
    """The indexable root at or above ``obj`` (or None)."""
    node = obj
    for _depth in range(12):
        if node is None:
            return None
        if is_root(node):
            return node
        node = getattr(node, "__parent__", None)
    return None


def iter_roots(site):
    """Every indexable root of the site, dossiers first."""
    yield from site["berkas"].values()
    iface = complaint_iface()
    if iface is not None and "pengaduan" in site:
        for item in site["pengaduan"].values():
            if iface.providedBy(item):
                yield item


def root_uid(obj):
    if I.IDossier.providedBy(obj):
        return f"dossier:{obj.registration_number}"
    return f"complaint:{getattr(obj, 'number', obj.__name__)}"


def stamp(obj):
    """Changes whenever the root (or its permit) is changed and committed."""
    parts = [str(getattr(obj, "state", "")), _iso(getattr(obj, "modified", None)),
             (obj._p_serial or b"").hex()]
    permit = getattr(obj, "permit", None)
    if permit is not None:
        parts.append(str(getattr(permit, "state", "")))
        parts.append((getattr(permit, "_p_serial", None) or b"").hex())
    return "|".join(parts)


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else ""


def _datetime(value):
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    try:
        return _datetime(dt.datetime.fromisoformat(str(value)))
    except ValueError:
        return None


def _text(value):
    if value is None:
        return ""
    if isinstance(value, dict):
        return " ".join(_text(v) for k, v in value.items() if not is_private_key(k))
    if isinstance(value, (list, tuple, set)):
        return " ".join(_text(v) for v in value)
    return str(value)


def _service(obj):
    """(code, title, agency, classification) of a dossier's service."""
    code = getattr(obj, "service_code", "") or ""
    title, agency, klas = code, "", ""
    try:
        rev = obj.standard()
        title, agency, klas = rev.name or code, rev.agency or "", rev.classification_code or ""
    except Exception:   # a service removed from the catalog must not stop indexing
        pass
    return code, title, agency, klas


def applicant_name(dossier):
    applicant = getattr(dossier, "applicant", None) or {}
    for key in ("name", "nama", "full_name", "title"):
        if applicant.get(key):
            return str(applicant[key])
    return ""


def business_name(dossier):
    for source in (getattr(dossier, "fields", None) or {}, getattr(dossier, "applicant", None) or {}):
        for key in ("nama_usaha", "business_name", "company", "company_name", "nama_perusahaan",
                    "nama_badan_usaha", "usaha"):
            if source.get(key):
                return str(source[key])
    return ""


def _identity(dossier):
    applicant = getattr(dossier, "applicant", None) or {}
    found = [str(applicant[k]) for k in ("nik", "nib", "identity_number", "npwp") if applicant.get(k)]
    return " ".join(found)


def kecamatan_of(dossier):
    """The kecamatan's name (a stored code is turned into the name)."""
    location = getattr(dossier, "location", None) or {}
    value = str(location.get("kecamatan") or "")
    if value.startswith("KEC-"):
        from silat.catalog.loader import kecamatan
        for item in kecamatan():
            if item["code"] == value:
                return item["name"]
    return value


def permit_number(permit):
    for name in ("number", "permit_number", "nomor"):
        value = getattr(permit, name, None)
        if value:
            return str(value)
    return ""


def permit_issued_at(permit):
    for name in ("issued_at", "issued", "signed_at", "created"):
        value = getattr(permit, name, None)
        if value:
            return _datetime(value)
    return None


def permit_valid_until(permit):
    for name in ("valid_until", "expires", "expires_at"):
        value = getattr(permit, name, None)
        if value is not None:
            return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)
    return ""


def permit_holder(permit, dossier):
    """The public name of a permit's holder: the business name, else the
    person's name. A holder snapshot (dict) also holds the identity
    number and address: only its name keys are ever read."""
    for name in ("holder", "holder_name"):
        value = getattr(permit, name, None)
        if isinstance(value, dict):
            for key in ("business_name", "company", "nama_usaha", "name", "nama"):
                if value.get(key):
                    return str(value[key])
        elif isinstance(value, str) and value:
            return value
    return business_name(dossier) or applicant_name(dossier)


def permit_token(permit):
    for name in ("verification_token", "token", "qr_token", "verify_token"):
        value = getattr(permit, name, None)
        if isinstance(value, str) and value:
            return value
    return ""


def expected_uids(root):
    """The uids ``documents(root)`` produces, without reading any text."""
    uid = root_uid(root)
    found = [uid]
    if I.IDossier.providedBy(root):
        permit = getattr(root, "permit", None)
        if permit is not None and permit_number(permit):
            found.append(f"permit:{permit_number(permit)}")
        if "rekomendasi" in root:
            found += [f"recommendation:{root.registration_number}:{code}"
                      for code in root["rekomendasi"].keys()]
    return found


def documents(root):
    if I.IDossier.providedBy(root):
        return dossier_documents(root)
    return [complaint_document(root)]


def dossier_documents(dossier):
    number = dossier.registration_number
    uid, path = root_uid(dossier), resource_path(dossier)
    code, service_title, agency, klas = _service(dossier)
    created = _datetime(dossier.created)
    kecamatan = kecamatan_of(dossier)
    docs_text, doc_titles, scans = documents_text(dossier)
    field_text = _text(getattr(dossier, "fields", None) or {})
    body = " ".join(x for x in (field_text, " ".join(doc_titles), docs_text) if x)
    names = " ".join(x for x in (applicant_name(dossier), business_name(dossier)) if x)
    permit = getattr(dossier, "permit", None)
    pnumber = permit_number(permit) if permit is not None else ""
    common = {"root": uid, "stamp": stamp(dossier), "service": code, "agency": agency,
              "klasifikasi": klas, "kecamatan": kecamatan, "kecamatan_name": kecamatan,
              "layanan": f"{service_title} {code}", "service_title": service_title}
    out = [dict(common, uid=uid, kind="dossier", path=path,
                allowed=" ".join(allowed_principals(dossier, P.VIEW_DOSSIER)),
                nomor=f"{number} {pnumber}".strip(), title=f"{service_title} - {number}",
                pemohon=names, identity=_identity(dossier), text=body,
                excerpt=body[:EXCERPT], state=str(dossier.state or ""),
                year=str(created.year) if created else "", date=created, scan_only=scans)]
    if permit is not None and pnumber:
        issued = permit_issued_at(permit)
        out.append(dict(
            common, uid=f"permit:{pnumber}", kind="permit", public="y", path=path,
            allowed=Everyone, nomor=pnumber, permit_number=pnumber,
            title=f"{service_title} - {pnumber}", holder=permit_holder(permit, dossier),
            pemohon=permit_holder(permit, dossier), text=f"{service_title} {permit_holder(permit, dossier)}",
            state=str(getattr(permit, "state", "") or "active"), identity="",
            year=str(issued.year) if issued else "", date=issued, issued_at=issued,
            valid_until=permit_valid_until(permit), excerpt=permit_token(permit), scan_only=0))
    if "rekomendasi" in dossier:
        for code_, rec in dossier["rekomendasi"].items():
            decision = getattr(rec, "decision", None)
            letter = str(getattr(rec, "letter_number", "") or "")
            text = _text([getattr(rec, n, "") for n in ("notes", "conditions", "reasons", "text")])
            letter_file = getattr(rec, "letter", None)
            if letter_file is not None and getattr(letter_file, "blob", None) is not None:
                text += " " + file_text("application/pdf", letter_file.blob.open,
                                        getattr(letter_file, "text", None))[0]
            out.append(dict(
                common, uid=f"recommendation:{number}:{code_}", kind="recommendation",
                path=resource_path(rec), agency=code_,
                allowed=" ".join(allowed_principals(rec, P.VIEW_DOSSIER)),
                nomor=f"{number} {letter}".strip(), title=f"Rekomendasi {code_} - {number}",
                pemohon=names, identity="", text=text, excerpt=text[:EXCERPT],
                state=str(decision or getattr(rec, "status", "") or "requested"),
                year=str(created.year) if created else "", date=_datetime(
                    getattr(rec, "signed_at", None) or getattr(rec, "requested_at", None)) or created,
                scan_only=0))
    return out


def complaint_document(item):
    created = _datetime(getattr(item, "created", None))
    reporter = getattr(item, "reporter", None) or {}
    body = _text([getattr(item, "subject", ""), getattr(item, "body", "")])
    return {
        "uid": root_uid(item), "root": root_uid(item), "kind": "complaint",
        "stamp": stamp(item), "path": resource_path(item),
        "allowed": " ".join(allowed_principals(item, (P.VIEW_DOSSIER, P.HANDLE_COMPLAINTS))),
        "nomor": str(getattr(item, "number", "") or ""), "title": str(getattr(item, "subject", "")),
        "pemohon": str(reporter.get("name", "")), "identity": "", "text": body,
        "excerpt": body[:EXCERPT], "state": str(getattr(item, "state", "") or ""),
        "year": str(created.year) if created else "", "date": created, "service": "", "agency": "",
        "kecamatan": "", "klasifikasi": "", "scan_only": 0,
    }


# -- the public register ---------------------------------------------------

def public_root(uid):
    """An opaque key of a root in the public register (the registration
    number is not public): used only to replace a root's entries."""
    import hashlib
    return hashlib.sha256(uid.encode("utf-8")).hexdigest()[:24]


def public_documents(docs):
    """The public register's documents among a root's index documents:
    issued permits only, projected onto the public fields (see
    ``schema.make_public_schema``; any other field would be refused by
    Whoosh, so nothing else can reach the register)."""
    out = []
    for doc in docs:
        if doc.get("kind") != "permit" or not doc.get("permit_number"):
            continue
        out.append({
            "uid": doc["uid"], "root": public_root(doc["root"]),
            "nomor": doc["permit_number"], "permit_number": doc["permit_number"],
            "holder": doc.get("holder") or "", "layanan": doc.get("layanan") or "",
            "service": doc.get("service") or "", "service_title": doc.get("service_title") or "",
            "kecamatan": doc.get("kecamatan") or "", "kecamatan_name": doc.get("kecamatan") or "",
            "issued_at": doc.get("issued_at"), "valid_until": doc.get("valid_until") or "",
            "state": doc.get("state") or "", "token": doc.get("excerpt") or ""})
    return out

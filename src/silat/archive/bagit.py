"""Export dossiers as a BagIt package (RFC 8493) in a zip file.

Layout: ``bagit.txt``, ``bag-info.txt``, ``manifest-sha256.txt``,
``tagmanifest-sha256.txt`` and ``data/<registration number>/`` holding
``metadata.json``, ``history.json``, every version of every document
(``dokumen/<requirement>/v<n>-<filename>``), the permit (``izin.json``)
and recommendation letters. The zip is produced as a stream of chunks
(nothing is held in memory but the current chunk), with a progress
callback, so a year of one service can be exported from a shell or
downloaded from the workbench.
"""
import datetime as dt
import hashlib
import json
import zipfile

CHUNK = 1 << 16


class _Sink:
    """A write-only, unseekable file: zipfile streams into it."""

    def __init__(self):
        self.parts = []

    def write(self, data):
        self.parts.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self):
        data = b"".join(self.parts)
        self.parts = []
        return data


def _json(value):
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str).encode("utf-8")


def _safe(name):
    keep = "".join(c if c.isalnum() or c in "._-" else "_" for c in str(name))
    return keep.strip("._") or "berkas"


def dossier_metadata(dossier, archive_info=None):
    from silat.search.adapters import permit_number
    permit = getattr(dossier, "permit", None)
    data = {
        "registration_number": dossier.registration_number,
        "service_code": dossier.service_code,
        "service_revision": dossier.service_revision,
        "state": dossier.state,
        "owner": dossier.owner,
        "applicant": dict(dossier.applicant or {}),
        "location": dict(dossier.location or {}),
        "fields": dict(dossier.fields or {}),
        "created": dossier.created.isoformat(),
        "modified": dossier.modified.isoformat() if dossier.modified else None,
        "due_date": str(dossier.due_date) if dossier.due_date else None,
        "permit_number": permit_number(permit) if permit is not None else None,
    }
    if archive_info:
        data["archive"] = archive_info
    return data


def dossier_files(dossier, archive_info=None):
    """(relative path, opener or bytes) of everything exported for one dossier."""
    base = _safe(dossier.registration_number)
    yield f"{base}/metadata.json", _json(dossier_metadata(dossier, archive_info))
    yield f"{base}/history.json", _json([dict(e) for e in dossier.history])
    if "dokumen" in dossier:
        for key, document in dossier["dokumen"].items():
            for version in document:
                name = f"{base}/dokumen/{_safe(key)}/v{version.number}-{_safe(version.filename)}"
                yield name, version.open
    permit = getattr(dossier, "permit", None)
    if permit is not None:
        info = {k: getattr(permit, k, None) for k in ("number", "service_code", "issued_at",
                                                       "valid_until", "state", "registration_number")}
        yield f"{base}/izin.json", _json(info)
        stored = getattr(permit, "pdf", None) or getattr(permit, "document", None)
        if stored is not None and getattr(stored, "blob", None) is not None:
            yield f"{base}/izin.pdf", stored.blob.open
    if "rekomendasi" in dossier:
        for code, rec in dossier["rekomendasi"].items():
            info = {k: getattr(rec, k, None) for k in ("agency_code", "decision", "letter_number",
                                                        "requested_at", "signed_at", "notes", "reasons")}
            yield f"{base}/rekomendasi/{_safe(code)}.json", _json(info)
            letter = getattr(rec, "letter", None)
            if letter is not None and getattr(letter, "blob", None) is not None:
                yield f"{base}/rekomendasi/{_safe(code)}.pdf", letter.blob.open
    yield from _more_files(dossier, base)


def _stored(item):
    blob = getattr(item, "blob", None)
    return blob.open if blob is not None else None


def _more_files(dossier, base):
    """Inspection reports (BAP) and photos, SKRDs, and the letters of the
    dossier and its permit: every document of the dossier's tree."""
    if "inspeksi" in dossier:
        for name, item in dossier["inspeksi"].items():
            if getattr(item, "bap", None) is not None and _stored(item.bap):
                yield f"{base}/inspeksi/{_safe(name)}/bap.pdf", _stored(item.bap)
            for n, photo in enumerate(getattr(item, "photos", ()) or (), 1):
                if _stored(photo):
                    yield f"{base}/inspeksi/{_safe(name)}/foto-{n}-{_safe(photo.filename)}", _stored(photo)
    if "retribusi" in dossier:
        for name, item in dossier["retribusi"].items():
            if getattr(item, "pdf", None) is not None and _stored(item.pdf):
                yield f"{base}/retribusi/{_safe(name)}.pdf", _stored(item.pdf)
    owners = (("surat", dossier), ("izin-surat", getattr(dossier, "permit", None)))
    for folder, owner in owners:
        for n, letter in enumerate(getattr(owner, "letters", ()) or (), 1):
            if _stored(letter):
                yield f"{base}/{folder}/{n}-{_safe(getattr(letter, 'kind', 'surat'))}.pdf", _stored(letter)


def stream_bag(dossiers, info, progress=None, archive_info=None):
    """Yield the bytes of a zipped bag of ``dossiers`` (an iterable)."""
    sink = _Sink()
    manifest = []
    count = octets = 0
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as bag:
        for dossier in dossiers:
            extra = archive_info(dossier) if archive_info else None
            for relpath, source in dossier_files(dossier, extra):
                digest = hashlib.sha256()
                with bag.open(f"data/{relpath}", "w", force_zip64=True) as out:
                    if isinstance(source, bytes):
                        digest.update(source)
                        octets += len(source)
                        out.write(source)
                    else:
                        with source() as handle:
                            while True:
                                chunk = handle.read(CHUNK)
                                if not chunk:
                                    break
                                digest.update(chunk)
                                octets += len(chunk)
                                out.write(chunk)
                                yield sink.take()
                manifest.append((digest.hexdigest(), f"data/{relpath}"))
                yield sink.take()
            count += 1
            if progress:
                progress(count)
        tags = {
            "bagit.txt": b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
            "manifest-sha256.txt": "".join(f"{h}  {p}\n" for h, p in manifest).encode("utf-8"),
        }
        bag_info = dict(info, **{"Bagging-Date": dt.date.today().isoformat(),
                                 "Payload-Oxum": f"{octets}.{len(manifest)}",
                                 "Bag-Count": "1 of 1"})
        tags["bag-info.txt"] = "".join(f"{k}: {v}\n" for k, v in bag_info.items()).encode("utf-8")
        for name, data in tags.items():
            bag.writestr(name, data)
        tagmanifest = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in tags.items())
        bag.writestr("tagmanifest-sha256.txt", tagmanifest.encode("utf-8"))
    yield sink.take()


def year_of_service(site, service_code, year):
    """Dossiers filed in ``year`` for ``service_code`` (by the year in the
    registration number, a key range of /berkas)."""
    folder = site["berkas"]
    for number in folder.keys(min=f"SILAT-{year}-", max=f"SILAT-{year}-\uffff"):
        dossier = folder[number]
        if dossier.service_code == service_code:
            yield dossier

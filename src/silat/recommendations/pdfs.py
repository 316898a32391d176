"""PDFs of the recommendation work: the letter, the disposition sheet
(lembar disposisi) and the site-inspection report (BAP)."""
import io

from reportlab.lib.units import mm
from reportlab.platypus import Image, Spacer

from silat.pdf import Letterhead, build_pdf, bullets, grid_table, key_value_table, para
from silat.recommendations.model import DECISIONS

WIDTH = 174 * mm


def _t(request, message):
    return request.localizer.translate(message) if request is not None else str(message)


def letterhead(agency):
    return Letterhead(agency.title, address=getattr(agency, "address", "") or "")


def _date(value):
    if value is None:
        return "-"
    months = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
              "September", "Oktober", "November", "Desember")
    if hasattr(value, "astimezone") and hasattr(value, "hour"):
        from silat.workflow.calendar import WIB
        value = value.astimezone(WIB).date()
    return f"{value.day} {months[value.month - 1]} {value.year}"


def applicant_rows(dossier, with_identity=False):
    applicant = dossier.applicant or {}
    location = dossier.location or {}
    rows = [("Nomor registrasi", dossier.registration_number),
            ("Jenis layanan", dossier.standard().name),
            ("Pemohon", applicant.get("name") or "-")]
    if applicant.get("business_name"):
        rows.append(("Nama usaha", applicant["business_name"]))
    place = ", ".join(x for x in (location.get("address"), location.get("kelurahan"),
                                  _kecamatan(location.get("kecamatan"))) if x)
    rows.append(("Lokasi", place or "-"))
    return rows


def _kecamatan(code):
    if not code:
        return ""
    try:
        from silat.catalog.loader import kecamatan
        for k in kecamatan():
            if k["code"] == code:
                return "Kecamatan " + k["name"]
    except Exception:   # noqa: BLE001
        pass
    return code


def recommendation_letter(rec, dossier, agency, request=None):
    decision = _t(request, DECISIONS[rec.decision])
    story = [
        key_value_table([("Nomor", rec.letter_number), ("Sifat", "Penting"),
                         ("Perihal", f"Rekomendasi Teknis {dossier.standard().name}")],
                        [35 * mm, 139 * mm]),
        Spacer(1, 5 * mm),
        para("Kepada Yth. Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu "
             "Kota Bekasi di Bekasi"),
        Spacer(1, 4 * mm),
        para("Menindaklanjuti permintaan rekomendasi teknis melalui SILAT atas permohonan "
             "berikut, dengan ini kami sampaikan hasil kajian teknis:"),
        Spacer(1, 3 * mm),
        key_value_table(applicant_rows(dossier), [45 * mm, 129 * mm]),
        Spacer(1, 4 * mm),
        para("Keputusan", "heading"),
        para(decision, bold=True),
    ]
    if rec.conditions:
        story += [para("Syarat", "heading"), bullets(rec.conditions, style="body")]
    if rec.reasons:
        story += [para("Alasan", "heading"), para(rec.reasons)]
    if rec.notes:
        story += [para("Catatan teknis", "heading"), para(rec.notes)]
    story += [
        Spacer(1, 8 * mm),
        para(f"Bekasi, {_date(rec.signed_at)}"),
        para(f"a.n. Kepala {agency.title}" if rec.signed_by_title and not _is_head(request, agency)
             else f"Kepala {agency.title}"),
        Spacer(1, 4 * mm),
        para("Ditandatangani secara elektronik", "muted"),
        para(rec.signed_by_title or rec.signed_by, bold=True),
    ]
    return build_pdf(story, title=f"Rekomendasi {rec.letter_number}", letterhead=letterhead(agency),
                     subject=f"Rekomendasi teknis {dossier.registration_number}",
                     footer=f"SILAT - {dossier.registration_number}")


def _is_head(request, agency):
    if request is None:
        return True
    from silat.security import permissions as P
    return request.has_permission(P.APPROVE_RECOMMENDATION, agency)


def disposition_sheet(dossier, agency, chain_items, users, rec=None):
    name = lambda u: getattr(users.get(u), "title", u) if u else "-"   # noqa: E731
    rows = []
    for level, item in chain_items:
        status = ("Selesai " + _date(item.done_at)) if item.done_at else (
            ("Dibaca " + _date(item.read_at)) if item.read_at else "Belum dibaca")
        rows.append([("  " * level) + name(item.from_user), name(item.to_user),
                     item.instruction + (f"\n(Tindak lanjut: {item.done_note})" if item.done_note else ""),
                     _date(item.due), status])
    story = [
        para("LEMBAR DISPOSISI", "title"),
        key_value_table(applicant_rows(dossier) + [
            ("Diterima", _date(rec.requested_at) if rec else "-"),
            ("Batas waktu rekomendasi", _date(rec.due_date) if rec else "-")],
            [45 * mm, 129 * mm]),
        Spacer(1, 5 * mm),
        grid_table(["Dari", "Kepada", "Isi disposisi", "Batas waktu", "Status"], rows,
                   [30 * mm, 30 * mm, 62 * mm, 24 * mm, 28 * mm]),
    ]
    return build_pdf(story, title=f"Lembar disposisi {dossier.registration_number}",
                     letterhead=letterhead(agency), footer=f"SILAT - {dossier.registration_number}")


def inspection_report(item, dossier, agency, request=None, images=()):
    story = [
        para("BERITA ACARA PEMERIKSAAN LAPANGAN", "title"),
        para(f"Nomor registrasi {dossier.registration_number}", "subtitle"),
        para(f"Pada hari ini, {_date(item.date)}, tim teknis {agency.title} telah melakukan "
             "peninjauan lapangan atas permohonan berikut:"),
        Spacer(1, 3 * mm),
        key_value_table(applicant_rows(dossier), [45 * mm, 129 * mm]),
        para("Tim pemeriksa", "heading"),
        bullets(item.team, style="body"),
        para("Hasil pemeriksaan", "heading"),
        para(item.findings),
    ]
    if images:
        story.append(para("Dokumentasi", "heading"))
        for data in images:
            image = Image(io.BytesIO(data))
            ratio = min(120 * mm / image.drawWidth, 80 * mm / image.drawHeight)
            image.drawWidth, image.drawHeight = image.drawWidth * ratio, image.drawHeight * ratio
            story += [image, Spacer(1, 3 * mm)]
    story += [Spacer(1, 6 * mm), para("Demikian berita acara ini dibuat dengan sebenarnya."),
              Spacer(1, 6 * mm)]
    story += [para(f"{i}. {member} ..................", "body") for i, member in enumerate(item.team, 1)]
    return build_pdf(story, title=f"BAP {item.__name__}", letterhead=letterhead(agency),
                     footer=f"SILAT - {dossier.registration_number}")

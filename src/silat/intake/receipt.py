"""The receipt (tanda terima) PDF of a submitted application.

The QR code is embedded as a PNG image (qrcode + Pillow), not as vector
paths: a raster QR prints crisply at this size, and a test can take the
image back out of the PDF (pypdf) and decode it (zxing-cpp), which
reportlab's vector QR does not allow here (renderPM needs rlPyCairo).
"""
import io
from urllib.parse import urlencode

import qrcode
from reportlab.lib.units import mm
from reportlab.platypus import Image, Spacer, Table, TableStyle

from silat.catalog.present import duration_text
from silat.i18n import _
from silat.intake.applications import due_date
from silat.intake.identity import mask
from silat.intake.schemas import kecamatan_name
from silat.pdf import Letterhead, build_pdf, grid_table, key_value_table, para
from silat.resources.site import get_site
from silat.workflow import state_title

WIDTH = 174 * mm


def tracking_url(request, dossier):
    query = urlencode({"nomor": dossier.registration_number, "kode": dossier.tracking_code})
    return f"{request.application_url}/lacak?{query}"


def qr_png(data):
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(data)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return out.getvalue()


def _date(value):
    return value.strftime("%d-%m-%Y") if value else "-"


def render_receipt(request, dossier):
    translate = request.localizer.translate
    site = get_site(request)
    standard = dossier.standard()
    agency = site["opd"].get(standard.agency)
    agency_title = agency.title if agency is not None else standard.agency
    applicant = dossier.applicant
    submitted = getattr(dossier, "submitted", None)
    due = due_date(dossier)
    location = dossier.location
    rows = [
        (translate(_("Nomor registrasi")), dossier.registration_number),
        (translate(_("Kode lacak")), dossier.tracking_code),
        (translate(_("Layanan")), f"{standard.name} ({dossier.service_code})"),
        (translate(_("Pemohon")), applicant.get("name", "")),
        (translate(_("NIK/NIB")), mask(applicant.get("identity_number", ""))),
        (translate(_("Lokasi")), ", ".join(x for x in (
            location.get("address"), location.get("kelurahan"),
            kecamatan_name(location.get("kecamatan", ""))) if x)),
        (translate(_("Tanggal diterima")), _date(submitted)),
        (translate(_("Janji penyelesaian")), _date(due) + (
            f" ({duration_text(standard.completion_time, translate)})"
            if standard.completion_time else "")),
        (translate(_("Status")), translate(state_title(dossier))),
    ]
    documents = []
    for number, req in enumerate(dossier.requirements(), 1):
        if req.provided_by != "applicant":
            continue
        doc = dossier["dokumen"].get(req.key)
        latest = doc.latest if doc is not None else None
        documents.append([str(number), req.name,
                          latest.filename if latest else translate(_("(tidak diserahkan)")),
                          f"v{latest.number}" if latest else "-",
                          latest.sha256[:12] if latest else "-"])
    url = tracking_url(request, dossier)
    qr = Image(io.BytesIO(qr_png(url)), width=34 * mm, height=34 * mm)
    footer_table = Table([[qr, [para(translate(_(
        "Pindai kode QR atau buka ${url} lalu masukkan nomor registrasi dan kode lacak "
        "untuk mengikuti proses permohonan. Simpan tanda terima ini; kode lacak hanya "
        "diberikan kepada pemohon.", mapping={"url": f"{request.application_url}/lacak"})),
        "small")]]], colWidths=[38 * mm, WIDTH - 38 * mm])
    footer_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story = [
        para(translate(_("TANDA TERIMA BERKAS PERMOHONAN")), "title"),
        para(agency_title, "subtitle"),
        key_value_table(rows, [45 * mm, WIDTH - 45 * mm]),
        Spacer(1, 5 * mm),
        para(translate(_("Dokumen yang diterima")), "heading"),
        grid_table([translate(_("No")), translate(_("Persyaratan")), translate(_("Nama berkas")),
                    translate(_("Versi")), "SHA-256"], documents,
                   [10 * mm, 62 * mm, 58 * mm, 14 * mm, 30 * mm]),
        Spacer(1, 6 * mm),
        footer_table,
    ]
    dpmptsp = site["opd"].get("DPMPTSP")
    letterhead = Letterhead(dpmptsp.title if dpmptsp is not None else "DPMPTSP KOTA BEKASI")
    return build_pdf(story, title=f"Tanda terima {dossier.registration_number}",
                     letterhead=letterhead, running_header=dossier.registration_number,
                     footer=f"SILAT - {dossier.registration_number}",
                     page_label=lambda n, total: translate(_(
                         "Halaman ${n} dari ${total}", mapping={"n": n, "total": total})))

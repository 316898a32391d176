"""PDFs of the decision: the permit, the SKRD and the decision letters
(rejection, cancellation, freezing, revocation)."""
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from silat.present import rupiah
from silat.pdf import Letterhead, build_pdf, bullets, key_value_table, para, qr_flowable
from silat.recommendations.pdfs import _date, _kecamatan

WIDTH = 174 * mm


def object_location(location):
    location = location or {}
    return ", ".join(x for x in (location.get("address"), location.get("kelurahan") and
                                 "Kelurahan " + location["kelurahan"],
                                 _kecamatan(location.get("kecamatan")), "Kota Bekasi") if x)


def _validity_rows(permit):
    """The validity row; none when the standard does not set a validity
    (the seeds leave it to be configured: the permit claims nothing)."""
    if permit.valid_until is None:
        return []
    return [("Masa berlaku", f"{_date(permit.issued_at)} s.d. {_date(permit.valid_until)}")]


def _normal(text):
    return "".join(ch for ch in str(text).lower() if ch.isalnum())


def legal_basis(standard, signatory):
    """The standard's legal basis and the signing delegation decree, each once."""
    out, seen = [], []
    for item in list(standard.legal_basis or ()) + [signatory.basis]:
        key = _normal(item)
        if not key or any(key in other or other in key for other in seen):
            continue
        seen.append(key)
        out.append(item)
    return out


def permit_pdf(permit, dossier, agency, signatory, verify_url):
    standard = dossier.standard()
    holder = permit.holder or {}
    legal = legal_basis(standard, signatory)
    story = [
        para(f"KEPUTUSAN {signatory.position.upper()}", "title"),
        para(f"NOMOR: {permit.number}", "subtitle"),
        para("TENTANG", "subtitle"),
        para(standard.name.upper(), "title"),
        Spacer(1, 3 * mm),
        para("Mengingat", "heading"),
        bullets(legal, style="cell"),
        para("Memperhatikan", "heading"),
        bullets([f"Permohonan nomor registrasi {dossier.registration_number}"] +
                [f"Rekomendasi teknis {c} nomor {n}" for c, n in permit.recommendation_numbers],
                style="cell"),
        para("MEMUTUSKAN", "title"),
        para(f"Menetapkan: memberikan {standard.name} kepada:"),
        Spacer(1, 2 * mm),
        key_value_table([("Nama pemegang izin", holder.get("name") or "-"),
                         ("Nama usaha", holder.get("business_name") or "-"),
                         ("Lokasi objek", object_location(permit.location)),
                         ("Tanggal terbit", _date(permit.issued_at))] + _validity_rows(permit),
                        [50 * mm, 124 * mm]),
    ]
    if permit.conditions:
        story += [para("Dengan ketentuan sebagai berikut", "heading"),
                  bullets([f"{text} ({code})" for code, text in permit.conditions], style="cell")]
    story += [para("Keputusan ini berlaku sejak tanggal ditetapkan dan dapat dibekukan atau "
                   "dicabut apabila pemegang izin tidak memenuhi ketentuan.")]
    signature = [para(f"Ditetapkan di Bekasi pada tanggal {_date(permit.issued_at)}"),
                 para(signatory.position, bold=True), Spacer(1, 3 * mm),
                 para("Ditandatangani secara elektronik", "muted"),
                 para(permit.signer_title, bold=True)]
    qr = [qr_flowable(verify_url, size=26 * mm), para("Pindai untuk memeriksa keaslian", "small"),
          para(f"Kode verifikasi: {permit.token}", "small")]
    table = Table([[qr, signature]], colWidths=[60 * mm, 114 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [Spacer(1, 3 * mm), table]
    return build_pdf(story, title=f"Izin {permit.number}", author="SILAT DPMPTSP Kota Bekasi",
                     letterhead=Letterhead(agency.title), subject=standard.name,
                     footer=f"Verifikasi: {verify_url}")


def skrd_pdf(item, dossier, issuer):
    story = [
        para("SURAT KETETAPAN RETRIBUSI DAERAH (SKRD)", "title"),
        para(f"Nomor: {item.number}", "subtitle"),
        key_value_table([("Nomor registrasi", dossier.registration_number),
                         ("Jenis layanan", dossier.standard().name),
                         ("Wajib retribusi", (dossier.applicant or {}).get("name") or "-"),
                         ("Lokasi objek", object_location(dossier.location)),
                         ("Dasar perhitungan", item.rule.get("formula") or item.rule.get("kind")),
                         ("Jumlah retribusi", rupiah(item.amount)),
                         ("Jatuh tempo", _date(item.due_date))], [50 * mm, 124 * mm]),
        Spacer(1, 4 * mm),
        para("Pembayaran dilakukan melalui kas daerah dengan mencantumkan nomor SKRD. "
             "Izin diterbitkan setelah retribusi lunas."),
    ]
    return build_pdf(story, title=f"SKRD {item.number}", letterhead=Letterhead(issuer.title),
                     footer=f"SILAT - {dossier.registration_number}")


LETTER_TITLES = {
    "rejection": "SURAT PENOLAKAN PERMOHONAN",
    "cancellation": "SURAT PEMBATALAN PERMOHONAN",
    "freeze": "SURAT PEMBEKUAN IZIN",
    "revocation": "SURAT PENCABUTAN IZIN",
}
LETTER_TEXT = {
    "rejection": "Dengan ini diberitahukan bahwa permohonan tersebut DITOLAK dengan alasan:",
    "cancellation": "Dengan ini diberitahukan bahwa permohonan tersebut DIBATALKAN dengan alasan:",
    "freeze": "Dengan ini izin tersebut DIBEKUKAN dengan alasan:",
    "revocation": "Dengan ini izin tersebut DICABUT dengan alasan:",
}


def decision_letter(kind, number, dossier, agency, reason, signer_title, when, permit=None):
    rows = [("Nomor registrasi", dossier.registration_number),
            ("Jenis layanan", dossier.standard().name),
            ("Pemohon", (dossier.applicant or {}).get("name") or "-")]
    if permit is not None:
        rows.insert(0, ("Nomor izin", permit.number))
    story = [para(LETTER_TITLES[kind], "title"), para(f"Nomor: {number}", "subtitle"),
             key_value_table(rows, [50 * mm, 124 * mm]), Spacer(1, 4 * mm),
             para(LETTER_TEXT[kind]), para(reason or "-", bold=True), Spacer(1, 8 * mm),
             para(f"Bekasi, {_date(when)}"), para(signer_title or "-", bold=True)]
    return build_pdf(story, title=f"{LETTER_TITLES[kind].title()} {number}",
                     letterhead=Letterhead(agency.title), footer=f"SILAT - {dossier.registration_number}")

"""The PPID's answer letter (grant or refusal with its exemption reason)."""
from reportlab.lib.units import mm

from silat.i18n import _
from silat.pdf import Letterhead, build_pdf, key_value_table, para


def answer_letter(obj, t):
    granted = obj.outcome == "grant"
    story = [
        key_value_table([
            (t(_("Nomor")), obj.number),
            (t(_("Perihal")), t(_("Pemberitahuan tertulis atas permohonan informasi publik"))),
            (t(_("Informasi yang diminta")), obj.subject),
            (t(_("Keputusan")), t(_("Informasi diberikan")) if granted else t(_("Ditolak (informasi dikecualikan)"))),
            (t(_("Tanggal keputusan")), obj.decided_on.strftime("%d-%m-%Y")),
        ], [50 * mm, 120 * mm]),
        para(t(_("Jawaban")) if granted else t(_("Alasan pengecualian")), "heading"),
        para(obj.decision),
        para(t(_("Pejabat Pengelola Informasi dan Dokumentasi (PPID)"))),
    ]
    return build_pdf(story, title=t(_("Surat Jawaban Permohonan Informasi")),
                     letterhead=Letterhead("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"))

"""The reply letter and the invitation to a joint review (reportlab)."""
from silat.i18n import _
from silat.pdf import Letterhead, build_pdf, key_value_table, para
from reportlab.lib.units import mm

LETTERHEAD = Letterhead("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu")


def reply_letter(complaint, t):
    story = [
        key_value_table([(t(_("Nomor")), complaint.reply_number),
                         (t(_("Perihal")), t(_("Jawaban atas pengaduan ${n}", mapping={"n": complaint.number})))],
                        [40 * mm, 130 * mm]),
        para(t(_("Kepada Yth. pelapor pengaduan ${n}", mapping={"n": complaint.number}))),
        para(t(_("Pokok pengaduan: ${s}", mapping={"s": complaint.subject}))),
        para(complaint.reply_text),
        para(t(_("Koordinator Bidang Pengendalian DPMPTSP"))),
    ]
    return build_pdf(story, title=t(_("Surat Balasan Pengaduan")), letterhead=LETTERHEAD)


def invitation_letter(complaint, t):
    story = [
        key_value_table([(t(_("Nomor")), complaint.invitation_number),
                         (t(_("Perihal")), t(_("Undangan telaah bersama pengaduan ${n}",
                                                mapping={"n": complaint.number})))],
                        [40 * mm, 130 * mm]),
        para(t(_("Kepada Yth. Pimpinan: ${a}", mapping={"a": ", ".join(complaint.invited)}))),
        para(t(_("Mohon kehadiran untuk telaah bersama atas pengaduan: ${s}",
                 mapping={"s": complaint.subject}))),
        para(t(_("Koordinator Bidang Pengendalian DPMPTSP"))),
    ]
    return build_pdf(story, title=t(_("Surat Undangan Telaah Bersama")), letterhead=LETTERHEAD)

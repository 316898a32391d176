"""The destruction list (daftar usul musnah) as a PDF."""
from reportlab.lib.units import mm

from silat.pdf import Letterhead, build_pdf, grid_table, para


def proposal_pdf(proposal, translate):
    story = [para(translate("DAFTAR USUL MUSNAH ARSIP"), "title"),
             para(translate("Nomor usulan") + f": {proposal.id}"),
             para(translate("Diusulkan oleh") + f": {proposal.proposed_by}, "
                  f"{proposal.proposed_at:%Y-%m-%d}")]
    if proposal.approved_at:
        story.append(para(translate("Disetujui oleh") + f": {proposal.approved_by}, "
                          f"{proposal.approved_at:%Y-%m-%d}"))
    rows = [(str(i), item["number"], item["title"], item["classification"], str(item["year"]),
             item["closed"], item["rule"]) for i, item in enumerate(proposal.items, 1)]
    header = ["No", translate("Nomor berkas"), translate("Layanan"), translate("Klasifikasi"),
              translate("Tahun"), translate("Ditutup"), translate("Retensi (aktif+inaktif)")]
    story.append(grid_table(header, rows, [10 * mm, 36 * mm, 50 * mm, 18 * mm, 14 * mm, 22 * mm, 24 * mm]))
    return build_pdf(story, title=f"Daftar usul musnah {proposal.id}",
                     letterhead=Letterhead("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
                     running_header="Daftar usul musnah")

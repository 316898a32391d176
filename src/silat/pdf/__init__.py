"""reportlab building blocks shared by every PDF SILAT renders (service
standards, receipts, letters, permits): the letterhead page template,
paragraph styles, tables and QR codes. Keep this package generic: it
knows nothing about catalogs or dossiers."""
from silat.pdf.page import Letterhead, build_pdf
from silat.pdf.qr import qr_flowable
from silat.pdf.styles import styles
from silat.pdf.tables import grid_table, key_value_table
from silat.pdf.text import bullets, para

__all__ = ["Letterhead", "build_pdf", "bullets", "grid_table", "key_value_table", "para",
           "qr_flowable", "styles"]

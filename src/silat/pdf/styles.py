"""Paragraph styles (built-in Helvetica: enough for Bahasa Indonesia)."""
import functools

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle, StyleSheet1

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
FONT_ITALIC = "Helvetica-Oblique"
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#198754")     # the site's green


@functools.lru_cache(maxsize=1)
def styles():
    """The shared style sheet: body, small, cell, cell_bold, title, subtitle,
    heading, letterhead_gov, letterhead_agency, letterhead_address, muted."""
    sheet = StyleSheet1()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13)
    sheet.add(body)
    sheet.add(ParagraphStyle("small", parent=body, fontSize=8, leading=10))
    sheet.add(ParagraphStyle("muted", parent=body, fontSize=8, leading=10, textColor=MUTED))
    sheet.add(ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5))
    sheet.add(ParagraphStyle("cell_bold", parent=body, fontName=FONT_BOLD, fontSize=9,
                             leading=11.5))
    sheet.add(ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=14, leading=18,
                             alignment=TA_CENTER, spaceAfter=4))
    sheet.add(ParagraphStyle("subtitle", parent=body, fontSize=11, leading=14,
                             alignment=TA_CENTER, spaceAfter=8))
    sheet.add(ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=11,
                             leading=14, spaceBefore=8, spaceAfter=4))
    sheet.add(ParagraphStyle("letterhead_gov", parent=body, fontName=FONT_BOLD, fontSize=12,
                             leading=15, alignment=TA_CENTER))
    sheet.add(ParagraphStyle("letterhead_agency", parent=body, fontName=FONT_BOLD,
                             fontSize=13, leading=16, alignment=TA_CENTER))
    sheet.add(ParagraphStyle("letterhead_address", parent=body, fontSize=8.5, leading=10.5,
                             alignment=TA_CENTER))
    return sheet

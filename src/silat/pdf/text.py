"""Paragraphs from untrusted text: always escaped, newlines kept."""
from xml.sax.saxutils import escape

from reportlab.platypus import Paragraph

from silat.pdf.styles import styles


def markup(text):
    """Escape ``text`` for a Paragraph and keep its line breaks."""
    return escape(str(text)).replace("\n", "<br/>")


def para(text, style="body", bold=False):
    """A Paragraph of plain ``text`` (never interpreted as markup)."""
    body = markup(text)
    return Paragraph(f"<b>{body}</b>" if bold else body, styles()[style])


def bullets(items, style="cell", numbered=True):
    """One Paragraph listing ``items`` as ``1. ...`` lines (or ``- ...``)."""
    lines = [f"{i}. {markup(item)}" if numbered else f"- {markup(item)}"
             for i, item in enumerate(items, 1)]
    return Paragraph("<br/>".join(lines), styles()[style])

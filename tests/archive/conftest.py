"""Fixtures for the archive tests: closed dossiers with documents."""
import hashlib
import io

import pytest

from silat.catalog.model import Requirement
from silat.resources.attachment import add_document_version
from silat.resources.dossier import Dossier
from silat.search import reindex
from silat.security.localroles import grant


def pdf_bytes(text):
    from reportlab.pdfgen.canvas import Canvas
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 720, text)
    canvas.save()
    return out.getvalue()


@pytest.fixture
def closed_dossier(edit_site, tmp_path):
    """``closed_dossier(number, state="issued", service="IMB", document=True)``."""
    def _make(number, state="issued", service="IMB", document=True):
        with edit_site() as site:
            dossier = Dossier(number, service, site["layanan"][service].latest.number, "pemohon")
            dossier.applicant = {"name": "Budi Santoso", "identity_number": "3275010101900001"}
            dossier.location = {"kecamatan": "Bekasi Barat"}
            site["berkas"].add(number, dossier)
            dossier.state = state
            dossier.history.append("penandatangan", "transition", "", transition="issue",
                                   old_state="approved", new_state=state)
            grant(dossier, "user:pemohon", "owner")
            if document:
                data = pdf_bytes(f"Surat pernyataan {number}")
                path = tmp_path / f"{number}.pdf"
                path.write_bytes(data)
                requirement = Requirement("surat_pernyataan", "Surat pernyataan")
                add_document_version(dossier, requirement, str(path), "surat.pdf", "application/pdf",
                                     len(data), hashlib.sha256(data).hexdigest(), "pemohon")
            reindex(dossier)
        return number
    return _make

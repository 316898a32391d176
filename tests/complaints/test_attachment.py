"""A complaint's evidence follows the intake upload rules."""
from webtest import Upload

from silat.pdf import build_pdf, para
from tests.web import login


def _csrf(page):
    return page.html.find("input", {"name": "csrf_token"})["value"]


def test_attachment_checked_and_downloadable(testapp, make_user, edit_site):
    make_user("analis", "analis_pengaduan")
    form = testapp.get("/pengaduan/ajukan")
    fields = {"csrf_token": _csrf(form), "subject": "Pungutan liar", "body": "Bukti terlampir"}
    bad = testapp.post("/pengaduan/ajukan", {**fields, "lampiran": Upload("bukti.pdf", b"bukan pdf")},
                       status=422)
    assert bad.html.find(class_="text-danger")
    with edit_site() as site:
        assert len(site["pengaduan"]) == 0          # a refused upload files nothing
    pdf = build_pdf([para("Kuitansi")], title="bukti")
    done = testapp.post("/pengaduan/ajukan", {**fields, "lampiran": Upload("bukti.pdf", pdf)})
    number = done.html.find(class_="silat-number").text
    assert "/masuk" in testapp.get(f"/pengaduan/{number}/lampiran", status=303).location  # not public
    login(testapp, "analis", "Rahasia-2026x")
    assert testapp.get(f"/pengaduan/{number}/lampiran").body == pdf

"""``/berkas/<another applicant's number>`` and every page inside it answer
like an unknown number (issue 10, "Headers and small leaks")."""
import webtest

from tests.permits import flow
from tests.web import login

NUMBER = "SILAT-2026-900001"
UNKNOWN = "SILAT-2026-999999"
SUBVIEWS = ("", "/ajukan", "/cek-pbb", "/keputusan", "/riwayat", "/surat", "/tanda-terima",
            "/transisi", "/ubah", "/unggah", "/verifikasi", "/dokumen", "/dokumen/ktp",
            "/izin")


def answer(testapp, path):
    res = testapp.get(path, expect_errors=True)
    return res.status_int, res.headers.get("Location", "").split("came_from=")[0]


def test_another_applicants_dossier_answers_like_an_unknown_number(app, seeded, edit_site,
                                                                   make_user):
    with edit_site() as site:
        flow.configure_service(site, code="IMB", recommendations=(), formula=None)
        flow.file_dossier(site, app.registry, number=NUMBER, code="IMB", owner="pemohon")
    other_password = make_user("pemohon.lain", "pemohon")
    other = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    login(other, "pemohon.lain", other_password)
    anonymous = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    for sub in SUBVIEWS:
        hidden, unknown = answer(other, f"/berkas/{NUMBER}{sub}"), answer(other, f"/berkas/{UNKNOWN}{sub}")
        assert hidden == unknown == (404, ""), sub
        assert answer(anonymous, f"/berkas/{NUMBER}{sub}") == \
            answer(anonymous, f"/berkas/{UNKNOWN}{sub}"), sub
        assert answer(anonymous, f"/berkas/{UNKNOWN}{sub}")[0] == 303
    # the owner still opens it; a sub-view they may not use stays 403
    owner = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    login(owner, "pemohon", seeded)
    assert owner.get(f"/berkas/{NUMBER}").status_int == 200
    assert owner.get(f"/berkas/{NUMBER}/keputusan", expect_errors=True).status_int == 403

"""The citizen pages in Indonesian by default and in English by the switch."""

PAGES = {"/pengaduan/ajukan": ("Ajukan Pengaduan", "File a Complaint"),
         "/pengaduan/lacak": ("Lacak Pengaduan", "Track a Complaint"),
         "/informasi/ajukan": ("Permohonan Informasi Publik", "Public Information Request"),
         "/informasi/register": ("Register Permohonan Informasi Publik", "Register of Public Information Requests"),
         "/survei/kiosk": ("Survei Kepuasan Masyarakat", "Public Satisfaction Survey")}


def test_pages_in_both_languages(testapp):
    for url, (indonesian, english) in PAGES.items():
        assert testapp.get(url).html.h1.text.strip() == indonesian
    testapp.set_cookie("silat_lang", "en")
    for url, (indonesian, english) in PAGES.items():
        assert testapp.get(url).html.h1.text.strip() == english

"""Build deform (peppercorn) POST bodies for forms whose sequence items a
browser would add with JavaScript."""
import datetime as dt


def mapping(name, *items):
    return [("__start__", f"{name}:mapping"), *flat(items), ("__end__", f"{name}:mapping")]


def sequence(name, *items):
    return [("__start__", f"{name}:sequence"), *flat(items), ("__end__", f"{name}:sequence")]


def checkboxes(name, *values):
    return sequence(name, *[("checkbox", v) for v in values])


def flat(items):
    out = []
    for item in items:
        if isinstance(item, list):
            out.extend(item)
        else:
            out.append(item)
    return out


def csrf_of(page):
    return page.forms["deform"]["csrf_token"].value


def service_post(page, *, code="IZIN-UJI", name="Izin Uji Coba", category="perizinan_tertentu",
                 agency="DPMPTSP", recommenders=("DISTARU",), requirements=None, steps=None,
                 time=("5", "working_days"), fee=("fixed", "150000", ""),
                 classification="503", effective_date=None, note="dibuat oleh uji",
                 extra=()):
    """The fields the admin "Tambah Layanan" form posts."""
    if effective_date is None:
        effective_date = dt.date.today().isoformat()
    if requirements is None:
        requirements = [("ktp", "KTP pemohon", True, ("pdf", "jpg"), "applicant"),
                        ("cek_lokasi", "Pemeriksaan lokasi", True, (), "officer")]
    if steps is None:
        steps = [("Pemohon mengajukan permohonan", "Pemohon", "10 menit", "Tanda terima"),
                 ("Petugas memeriksa berkas", "Petugas", "1 hari", "Berita acara")]
    reqs = [mapping("requirement", ("key", k), ("name", n),
                    *([("mandatory", "true")] if m else []), checkboxes("file_types", *types),
                    ("provided_by", p)) for k, n, m, types, p in requirements]
    proc = [mapping("step", ("step", s), ("actor", a), ("time", t), ("output", o))
            for s, a, t, o in steps]
    fields = [("_charset_", "UTF-8"), ("__formid__", "deform"), ("csrf_token", csrf_of(page))]
    if code is not None:
        fields.append(("code", code))
    fields += [("name", name), ("category", category), ("agency", agency),
               *checkboxes("recommendations_from", *recommenders),
               *sequence("legal_basis", ("item", "Undang-Undang Nomor 25 Tahun 2009 tentang "
                                                 "Pelayanan Publik")),
               *sequence("requirements", *reqs), *sequence("procedure", *proc),
               *mapping("completion_time", ("amount", time[0]), ("unit", time[1]), ("per", "")),
               *mapping("fee", ("kind", fee[0]), ("amount", fee[1]), ("formula", fee[2])),
               ("product", "Surat izin uji"), ("facilities", "Ruang pelayanan"),
               *mapping("validity", ("amount", "5"), ("unit", "years")),
               ("classification_code", classification), *checkboxes("to_configure"),
               ("notes", ""), ("effective_date", effective_date), ("note", note),
               *extra, ("simpan", "simpan")]
    return fields

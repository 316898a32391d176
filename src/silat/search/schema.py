"""The Whoosh schema: what is searched, what is shown, what filters.

Kept small (ARCHITECTURE.md, performance budget): long text is indexed
but not stored; only what a result line shows is stored; every facet and
sort key is a column (``sortable``), so facets and date sorting never
read stored documents.

Every document carries ``allowed``: the principals that may view it
(Plone's allowedRolesAndUsers). Officer queries filter on it.
``public`` is ``y`` only on issued-permit documents, whose fields hold
public data only (no NIK, phone, email or home address).
"""
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from silat.search.analysis import name_analyzer, number_analyzer, text_analyzer

class DateColumn(DATETIME):
    """A date kept as a column (sorting, the date arrays of
    ``search.columns``) and stored, but not indexed as terms: dates are
    filtered on the arrays, and Whoosh's eight range terms per date were a
    quarter of a rebuild's postings. (Pickled in the index: keep the name.)"""
    indexed = False


# Fields a user may name in the search box (alias -> field).
USER_FIELDS = {
    "nomor": "nomor",
    "pemohon": "pemohon",
    "pemegang": "pemohon",
    "layanan": "layanan",
    "isi": "text",
    "judul": "title",
    "kecamatan": "kecamatan_name",
    "usaha": "pemohon",
}
DEFAULT_FIELDS = ("nomor", "title", "pemohon", "layanan", "text")
FACETS = ("service", "agency", "state", "year", "kecamatan")
PUBLIC_FIELDS = ("permit_number", "service", "service_title", "holder", "kecamatan",
                 "issued_at", "valid_until", "state")


def make_schema():
    return Schema(
        uid=ID(unique=True, stored=True),          # "dossier:SILAT-2026-000123"
        root=ID(stored=True),                      # uid of the queued root it came from
        kind=ID(stored=True, sortable=True),       # dossier, permit, recommendation, complaint
        public=ID(),                               # "y" on public (issued permit) documents
        allowed=KEYWORD(),                         # principals that may view it
        path=STORED(),                             # traversal path, for links
        stamp=STORED(),                            # change stamp, compared by verify
        # searched
        nomor=TEXT(analyzer=number_analyzer(), stored=True),
        title=TEXT(analyzer=text_analyzer(), stored=True),
        pemohon=TEXT(analyzer=name_analyzer()),
        identity=KEYWORD(),                        # NIK/NIB (space separated): officer search only, never stored
        layanan=TEXT(analyzer=text_analyzer()),
        kecamatan_name=TEXT(analyzer=name_analyzer()),
        text=TEXT(analyzer=text_analyzer()),
        excerpt=STORED(),                          # the start of the text, for snippets
        # facets and sorting (columns)
        service=ID(stored=True, sortable=True),
        agency=ID(stored=True, sortable=True),
        state=ID(stored=True, sortable=True),
        year=ID(stored=True, sortable=True),
        kecamatan=ID(stored=True, sortable=True),
        klasifikasi=ID(stored=True, sortable=True),
        date=DateColumn(stored=True, sortable=True),   # filed / issued
        # public permit list fields
        permit_number=STORED(),
        service_title=STORED(),
        holder=STORED(),
        issued_at=DateColumn(stored=True, sortable=True),
        valid_until=STORED(),
        scan_only=STORED(),                        # documents that are scans without text
    )


# The public register (``/portal/izin``, its feed, ``GET /api/v1/permits``):
# a separate index of issued permits with these fields only. It never
# receives dossier text, NIK, phone, email, address or private names.
PUBLIC_USER_FIELDS = ("nomor", "holder", "layanan", "kecamatan_name")
PUBLIC_ALIASES = {"holder": ["pemohon", "pemegang", "usaha"], "kecamatan_name": ["kecamatan"]}
PUBLIC_FILTERS = ("service", "kecamatan")      # the portal's filters (columns)


def make_public_schema():
    return Schema(
        uid=ID(unique=True, stored=True),          # "permit:<permit number>"
        root=ID(),                                 # opaque key of the dossier (adapters.public_root)
        nomor=TEXT(analyzer=number_analyzer()),
        holder=TEXT(analyzer=name_analyzer(), stored=True),
        layanan=TEXT(analyzer=text_analyzer()),
        kecamatan_name=TEXT(analyzer=name_analyzer()),
        permit_number=STORED(),
        service=ID(stored=True, sortable=True),
        service_title=STORED(),
        kecamatan=ID(stored=True, sortable=True),
        issued_at=DATETIME(stored=True, sortable=True),
        valid_until=STORED(),
        state=ID(stored=True, sortable=True),
        token=STORED(),                            # verification token printed on the permit
    )

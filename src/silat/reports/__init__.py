"""Dashboard, periodic reports, public statistics and the stats API.

Figures come from counters kept at transition time (``tallies``), never
from walking every dossier: ``facts`` says what one dossier contributes,
``figures`` sums the counters for a set of filters, ``views`` shows them
(``/dasbor``, ``/opd/<CODE>/dasbor``, ``/statistik``), ``pdfreport``
renders the periodic report, ``exports`` writes CSV and XLSX, ``api``
answers ``GET /api/v1/stats`` (documented in ``openapi.yaml``).
"""


def includeme(config):
    from silat.reports.api import ROUTES
    for name, pattern in ROUTES:
        config.add_api_route(name, pattern)
    config.scan(__name__)

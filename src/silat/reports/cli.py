"""``silat report monthly|quarterly|yearly``: the periodic report as a PDF file."""
import datetime as dt
import sys

from silat.i18n import DEFAULT_LOCALE
from silat.reports import figures as F
from silat.reports.pdfreport import report_pdf
from silat.workflow.calendar import local_date
from silat.workflow.sla import utcnow

KINDS = {"monthly": ("--month", "2026-10"), "quarterly": ("--quarter", "2026-Q4"),
         "yearly": ("--year", "2026")}


def register(sub):
    p = sub.add_parser("report", help="periodic reports (PDF)")
    kinds = p.add_subparsers(dest="report_kind", required=True, metavar="KIND")
    for kind, (flag, example) in KINDS.items():
        k = kinds.add_parser(kind, help=f"the {kind} report")
        k.add_argument(flag, dest="period", required=True, help=f"period, e.g. {example}")
        k.add_argument("--agency", default="", help="only this agency's figures (its code)")
        k.add_argument("-o", "--output", default=None, help="PDF file (default: laporan-PERIOD.pdf)")
        k.add_argument("--lang", default=DEFAULT_LOCALE, help="id (default) or en")
        k.set_defaults(run=run_report)


def run_report(env, args):
    today = local_date(utcnow())
    try:
        filters = F.Filters.parse({"period": args.period, "agency": args.agency}, today)
    except F.FilterError as bad:
        print(f"silat report: {bad}", file=sys.stderr)
        return 2
    from pyramid.i18n import make_localizer
    from pyramid.interfaces import ITranslationDirectories
    localizer = make_localizer(args.lang, env.registry.queryUtility(ITranslationDirectories, default=[]))
    with env.site() as site:
        body = report_pdf(site, filters, today, env.registry, localizer.translate)
    path = args.output or f"laporan-{args.period}.pdf"
    with open(path, "wb") as out:
        out.write(body)
    print(f"{path}: {len(body)} bytes ({filters.period_label})")
    return 0

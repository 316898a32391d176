"""``silat sweep``: remove the closed marks from the worklist indexes
(``silat.resources.marks``); a daily job, one short transaction per list."""
from silat.resources import marks
from silat.resources.apart import commit_apart
from silat.resources.site import ZODB_ROOT_KEY


def worklists(site):
    """(name, tree) of every open-mark list of the site."""
    from silat.intake.index import intake_index
    from silat.permits.registry import registry
    from silat.recommendations.services import open_requests
    from silat.workflow.sla import watchlist
    yield "sla", watchlist(site)
    if getattr(site, "sla_due", None) is not None:
        yield "sla:due", site.sla_due
    for name in ("decide", "sign"):
        yield f"izin:{name}", registry(site).marks(name)
    for state, tree in intake_index(site).by_state.items():
        yield f"berkas:{state}", tree
    for code, agency in site["opd"].items():
        yield f"opd:{code}", open_requests(agency)
    if getattr(site, "report_index", None) is not None:
        yield "laporan", site.report_index


def run(env, args):
    with env.site("silat sweep: lists") as site:
        names = [name for name, _tree in worklists(site)]
    total = 0
    for name in names:
        def work(conn, name=name):
            tree = dict(worklists(conn.root()[ZODB_ROOT_KEY]))[name]
            return marks.sweep(tree)
        removed = commit_apart(env.db, work, note=f"silat sweep {name}")
        total += removed
        if removed:
            print(f"{name}: {removed} closed marks removed")
    print(f"sweep: {total} closed marks removed from {len(names)} lists")
    return 0


def register(sub):
    p = sub.add_parser("sweep", help="remove closed entries from the worklist indexes (daily job)")
    p.set_defaults(run=run)

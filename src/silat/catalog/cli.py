"""``silat catalog load|export`` and the loading done by ``silat init``."""
import sys
from pathlib import Path

from silat.catalog import loader, reference
from silat.catalog.completeness import incomplete


def load_on_init(env, site):
    report = loader.load(site, apply=True)
    for line in report.summary():
        print(line)


def register(sub):
    p = sub.add_parser("catalog", help="load or export the service catalog")
    csub = p.add_subparsers(dest="catalog_command", required=True)
    q = csub.add_parser("load", help="load the seeded catalog (idempotent; reports changes)")
    q.add_argument("--dry-run", action="store_true", help="only report what would change")
    q.add_argument("--from", dest="data_dir", metavar="DIR",
                   help="read agencies.yaml and services.yaml from DIR (e.g. an export)")
    q.set_defaults(run=run_load)
    q = csub.add_parser("export", help="write the stored catalog as YAML (the seed files' shape)")
    q.add_argument("-o", "--output", metavar="DIR",
                   help="write DIR/agencies.yaml and DIR/services.yaml (default: one "
                        "document on standard output)")
    q.set_defaults(run=run_export)
    q = csub.add_parser("report", help="list the components still to be configured, with counts")
    q.set_defaults(run=run_report)


def run_load(env, args):
    try:
        with env.site("silat catalog load") as site:
            report = loader.load(site, apply=not args.dry_run, data_dir=args.data_dir)
    except (loader.CatalogError, OSError) as exc:
        print(f"silat: {exc}", file=sys.stderr)
        return 1
    if args.dry_run:
        print("dry run: nothing stored")
    for line in report.summary():
        print(line)
    return 0


def run_export(env, args):
    with env.connection() as (conn, tm):
        tm.begin()
        data = loader.export(conn.root()["silat"])
        tm.abort()
    if not args.output:
        sys.stdout.write(loader.dump_yaml(data))
        return 0
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("agencies", "services"):
        (out / f"{name}.yaml").write_text(loader.dump_yaml(data[name]), "utf-8")
    print(f"exported {len(data['agencies'])} agencies and {len(data['services'])} services "
          f"to {out}")
    return 0


def run_report(env, args):
    with env.connection() as (conn, tm):
        tm.begin()
        site = conn.root()["silat"]
        rows, total = incomplete(site)
        services = len(site["layanan"])
        tm.abort()
    print(f"{total} components of {services} service standards still to be configured")
    for name, label, found in rows:
        print(f"{len(found):5d}  {name} ({label})")
        for code, title in found:
            print(f"         {code}  {title}")
    missing = reference.unmapped()
    if missing:
        print("reference permits with no service of their own in the catalog: " + "; ".join(missing))
    return 0

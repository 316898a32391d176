"""``silat archive export|retention``: the archive from the shell."""
import sys

from silat.archive import bagit
from silat.archive.model import ArchiveError, get_store
from silat.cli.index import Progress


def export(env, args):
    with env.site() as site:
        if args.number:
            dossier = site["berkas"].get(args.number)
            if dossier is None:
                print(f"silat: no dossier {args.number}", file=sys.stderr)
                return 2
            dossiers, total = [dossier], 1
        else:
            total = sum(1 for _d in bagit.year_of_service(site, args.service, args.year))
            dossiers = bagit.year_of_service(site, args.service, args.year)
        from silat.archive.views import archive_info
        bar = Progress(total, "export")
        info = {"Source-Organization": "DPMPTSP Kota Bekasi",
                "External-Description": f"SILAT {args.number or f'{args.service} {args.year}'}"}
        written = 0
        with open(args.output, "wb") as out:
            for chunk in bagit.stream_bag(dossiers, info, progress=bar,
                                          archive_info=lambda d: archive_info(site, d)):
                out.write(chunk)
                written += len(chunk)
        bar.finish(total)
        print(f"wrote {args.output} ({written:,} bytes, {total} dossiers)")
    return 0


def retention(env, args):
    with env.site("archive retention") as site:
        if args.service not in site["layanan"]:
            print(f"silat: unknown service {args.service}", file=sys.stderr)
            return 2
        try:
            get_store(site["arsip"]).set_rule(args.service, args.active, args.inactive,
                                              args.disposition, "cli")
        except ArchiveError as exc:
            print(f"silat: {exc}", file=sys.stderr)
            return 2
    print(f"retention of {args.service}: {args.active} active + {args.inactive} inactive years, "
          f"then {args.disposition}")
    return 0


def register(subparsers):
    parser = subparsers.add_parser("archive", help="archive: BagIt export, retention schedule")
    sub = parser.add_subparsers(dest="archive_command", required=True)
    p = sub.add_parser("export", help="export dossiers as a BagIt zip")
    p.add_argument("--number", help="one dossier's registration number")
    p.add_argument("--service", help="service code (with --year)")
    p.add_argument("--year", type=int, help="filing year (with --service)")
    p.add_argument("-o", "--output", required=True, help="zip file to write")
    p.set_defaults(run=export)
    p = sub.add_parser("retention", help="set a service's retention rule")
    p.add_argument("service")
    p.add_argument("--active", type=int, required=True)
    p.add_argument("--inactive", type=int, required=True)
    p.add_argument("--disposition", choices=("permanen", "musnah"), required=True)
    p.set_defaults(run=retention)

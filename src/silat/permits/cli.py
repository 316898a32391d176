"""``silat permits ...``: the daily expiry job, CSV imports, the dev CA."""
import sys

from silat.cli.translate import text


def register(sub):
    p = sub.add_parser("permits", help="permits: daily expiry job, treasury/PBB imports, signing CA")
    cmds = p.add_subparsers(dest="permits_command", required=True, metavar="SUBCOMMAND")
    e = cmds.add_parser("expire", help="daily job: expire permits whose validity has passed")
    e.add_argument("--date", help="pretend today is YYYY-MM-DD (testing, catching up)")
    e.set_defaults(run=expire)
    i = cmds.add_parser("import-payments", help="book payments from a treasury CSV "
                        "(nomor_skrd,jumlah,tanggal_bayar,referensi)")
    i.add_argument("file")
    i.add_argument("--dry-run", action="store_true")
    i.set_defaults(run=import_payments)
    b = cmds.add_parser("import-pbb", help="load PBB payment records from a Bapenda CSV "
                        "(nop,tahun,nama_wajib_pajak,jumlah,tanggal_bayar)")
    b.add_argument("file")
    b.add_argument("--dry-run", action="store_true")
    b.set_defaults(run=import_pbb)
    c = cmds.add_parser("dev-ca", help="generate the development signing CA under var/ if missing")
    c.set_defaults(run=dev_ca)


def expire(env, args):
    import datetime as dt
    from silat.permits.services import expire_permits
    day = dt.date.fromisoformat(args.date) if args.date else None
    from silat.permits.renewal import send_renewal_notices
    with env.site("silat permits expire") as site:
        done = expire_permits(site, env.registry, day)
        told = send_renewal_notices(site, env.registry, site._p_jar.transaction_manager, day)
    for number in done:
        print(f"expired {number}")
    print(f"{len(done)} permit(s) expired")
    for number in told:
        print(f"renewal notice sent for {number}")
    print(f"{len(told)} renewal notice(s) sent")
    return 0


def _import(env, args, kind):
    from silat.permits import fees, pbb
    with open(args.file, "rb") as inp:
        data = inp.read()
    with env.site(f"silat permits import-{kind} {args.file}") as site:
        if kind == "payments":
            report = fees.import_payments(site, data, "cli", None, env.registry, apply=not args.dry_run)
        else:
            report = pbb.import_records(site, data, "cli", apply=not args.dry_run)
        if not report.ok:
            raise _Refused(report)
    print(f"{len(report.rows)} row(s) valid, {report.applied} applied")
    return 0


class _Refused(Exception):
    def __init__(self, report):
        self.report = report


def _run_import(env, args, kind):
    try:
        return _import(env, args, kind)
    except _Refused as refused:
        for message in refused.report.messages(text):
            print(f"silat: {message}", file=sys.stderr)
        print("silat: file refused, nothing changed", file=sys.stderr)
        return 1


def import_payments(env, args):
    return _run_import(env, args, "payments")


def import_pbb(env, args):
    return _run_import(env, args, "pbb")


def dev_ca(env, args):
    from silat.permits.signing import generate_dev_ca
    created = generate_dev_ca(env.settings)
    print("\n".join(created) if created else "signing certificate present")
    return 0


def init_signing(env, site):
    """``silat init`` step: a development CA and certificate when none is configured."""
    from silat.permits.signing import generate_dev_ca
    from silat.permits.delegation import table
    from silat.permits.registry import registry
    created = generate_dev_ca(env.settings)
    if created:
        print("generated a DEVELOPMENT signing certificate (not for production): " + ", ".join(created))
    registry(site)
    table(site)

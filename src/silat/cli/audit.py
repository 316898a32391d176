"""``silat audit verify``: check every history's hash chain."""
import sys

from silat.workflow.audit import verify_all


def register(sub):
    p = sub.add_parser("audit", help="audit trail of dossiers")
    actions = p.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = actions.add_parser("verify", help="check every history chain; exit 1 if one is broken")
    verify.set_defaults(run=run_verify)
    from silat.ops import rotate
    actions.add_parser("rotate-key", help="new site secret; re-seal every history (stop the app first)"
                       ).set_defaults(run=rotate.run)


def run_verify(env, args):
    checked = [0]
    with env.connection() as (conn, tm):
        tm.begin()
        site = conn.root()["silat"]

        def progress(count):
            checked[0] = count
            if count % 1000 == 0:
                conn.cacheGC()

        broken = verify_all(site, progress)
    for path, seq, why in broken:
        print(f"BROKEN {path}: first broken entry #{seq} ({why})", file=sys.stderr)
    print(f"audit verify: {checked[0]} chains checked, {len(broken)} broken")
    return 1 if broken else 0

"""``init``, ``evolve`` and ``shell``."""
import code

from silat import evolve
from silat.cli.demo import create_demo_accounts


def register(sub):
    p = sub.add_parser("init", help="create the site, load the catalog, evolve; --demo adds demo accounts")
    p.add_argument("--demo", action="store_true", help="create one demo account per role and print them")
    p.set_defaults(run=init)
    p = sub.add_parser("evolve", help="apply pending evolve steps to stored data")
    p.add_argument("--dry-run", action="store_true", help="only list the pending steps")
    p.set_defaults(run=run_evolve)
    p = sub.add_parser("shell", help="interactive Python shell with `site` and `env`")
    p.set_defaults(run=shell)


def init(env, args):
    with env.site("silat init") as site:
        applied = evolve.evolve(site)
        for step in init_steps():
            step(env, site)
    if applied:
        print(f"evolve steps applied: {applied}")
    if args.demo:
        with env.site("silat init --demo") as site:
            accounts = create_demo_accounts(site)
        print_accounts(accounts)
    print("site ready")
    return 0


def init_steps():
    """What ``init`` runs after the site exists (later issues add loaders)."""
    from silat.catalog.cli import load_on_init
    from silat.permits.cli import init_signing
    return (load_on_init, init_signing)


def print_accounts(accounts):
    print("\nDemo accounts (development only):")
    print(f"  {'username':<16} {'password':<18} {'role':<24} agency")
    for username, password, role, agency in accounts:
        print(f"  {username:<16} {password:<18} {role:<24} {agency or ''}")
    print()


def run_evolve(env, args):
    with env.connection() as (conn, tm):
        tm.begin()
        site = conn.root()["silat"]
        todo = evolve.pending(site)
        print(f"generation {site.generation}, code expects {evolve.LATEST}")
        for number, description, _step in todo:
            print(f"  pending {number}: {description}")
        if todo and not args.dry_run:
            print(f"applied: {evolve.evolve(site, tm)}")
        tm.abort()
    return 0


def shell(env, args):
    with env.connection() as (conn, tm):
        tm.begin()
        namespace = {"env": env, "site": conn.root()["silat"], "tm": tm, "conn": conn}
        code.interact(banner="SILAT shell: `site` is the root; tm.commit() to save.", local=namespace)
    return 0

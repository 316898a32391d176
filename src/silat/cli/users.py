"""``create-user`` (and friends) for administrators."""
import sys

from silat.cli.translate import text
from silat.security import accounts, tokens
from silat.security.roles import ROLES


def register(sub):
    names = ", ".join(r.title for r in ROLES)
    p = sub.add_parser("create-user", help="create a user account")
    p.add_argument("username")
    p.add_argument("--role", action="append", required=True,
                   help=f"role name, case-insensitive; may repeat ({names})")
    p.add_argument("--agency", help="agency code for the OPD roles, e.g. DINKES")
    p.add_argument("--title", default="", help="full name")
    p.add_argument("--email", default="")
    p.add_argument("--password-stdin", action="store_true", required=True,
                   help="read the password from standard input")
    p.set_defaults(run=create_user)
    p = sub.add_parser("revoke-tokens", help="revoke every API token of a user")
    p.add_argument("username")
    p.set_defaults(run=revoke_tokens)
    p = sub.add_parser("users", help="user administration")
    users_sub = p.add_subparsers(dest="users_command", required=True)
    p = users_sub.add_parser("unlock", help="forget the failed logins of an account or address")
    p.add_argument("account", nargs="?", help="username or email")
    p.add_argument("--address", help="client address (IP)")
    p.set_defaults(run=unlock)


def create_user(env, args):
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        with env.site(f"silat create-user {args.username}") as site:
            user = accounts.create_user(site, args.username, password, roles=args.role,
                                        agency=args.agency, title=args.title, email=args.email)
            summary = f"created {user.username} ({', '.join(user.roles)}{' @ ' + user.agency if user.agency else ''})"
    except accounts.AccountError as exc:
        print(f"silat: {text(exc.args[0])}", file=sys.stderr)
        return 1
    print(summary)
    return 0


def revoke_tokens(env, args):
    with env.site(f"silat revoke-tokens {args.username}") as site:
        count = tokens.revoke_all(site["pengguna"], args.username.lower())
    print(f"revoked {count} token(s)")
    return 0


def unlock(env, args):
    from silat.security import throttle
    if not args.account and not args.address:
        print("silat: name an account or --address", file=sys.stderr)
        return 2
    with env.site(f"silat users unlock {args.account or ''} {args.address or ''}") as site:
        principals = site["pengguna"]
        account = throttle.account_name(principals, args.account) if args.account else None
        count = throttle.unlock(principals, account, args.address, by="cli")
    print(f"unlocked: {count} record(s) removed")
    return 0

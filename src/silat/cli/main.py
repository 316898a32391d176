"""``silat -c INI COMMAND ...``: administration from the shell.

Every subcommand lives in its own module exposing ``register(subparsers)``
that adds its parser with ``set_defaults(run=function)``; the function
takes ``(env, args)`` and returns the exit code.
"""
import argparse
import importlib
import os
import sys

from silat.cli.env import CliEnv
from silat.ops.storage import SettingsEnv, open_env

COMMAND_MODULES = (
    "silat.cli.site",
    "silat.cli.users",
    "silat.catalog.cli",
    "silat.cli.index",
    "silat.cli.archive",
    "silat.permits.cli",
    "silat.cli.sla",
    "silat.cli.sweep",
    "silat.cli.audit",
    "silat.ops.jobs",
    "silat.ops.backup",
    "silat.ops.indexer",
    "silat.reports.cli",
    "silat.demodata.cli",
)


def build_parser():
    parser = argparse.ArgumentParser(prog="silat", description="SILAT administration")
    parser.add_argument("-c", "--config", default=os.environ.get("SILAT_INI", "etc/development.ini"),
                        help="ini file (default: $SILAT_INI or etc/development.ini)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if not os.path.exists(args.config):
        print(f"silat: ini file not found: {args.config}", file=sys.stderr)
        return 2
    env = open_env(CliEnv if getattr(args, "database", True) else SettingsEnv, args)
    if env is None:
        return 3
    try:
        return args.run(env, args) or 0
    finally:
        env.close()


if __name__ == "__main__":
    sys.exit(main())

"""``silat sla check``: for cron; announces newly due-soon or overdue work once."""
import datetime as dt

from silat.workflow import alerts
from silat.workflow.calendar import local_date
from silat.workflow.sla import due_soon_days, utcnow


def register(sub):
    p = sub.add_parser("sla", help="deadlines (SLA) of dossiers")
    actions = p.add_subparsers(dest="sla_command", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="notify people of work that became due soon or overdue")
    check.add_argument("--today", type=dt.date.fromisoformat, default=None,
                       help="judge as of this date (YYYY-MM-DD; default: today in WIB)")
    check.set_defaults(run=run_check)


def run_check(env, args):
    today = args.today or local_date(utcnow())
    with env.site("silat sla check") as site:
        report = alerts.check(site, env.registry, site._p_jar.transaction_manager, today,
                              due_soon_days(env.settings))
    for number, key, sent in report:
        print(f"{number}: {key} ({sent} messages)")
    print(f"sla check {today.isoformat()}: {len(report)} new marks")
    return 0

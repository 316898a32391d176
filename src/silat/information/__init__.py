"""Public information requests to the PPID (seed 002, UU 14/2008)."""
from silat.information.workflow import PPID
from silat.workflow.engine import register_workflow

register_workflow(PPID)


def includeme(config):
    from silat.information.api import ROUTES
    for name, pattern in ROUTES:
        config.add_api_route(name, pattern)
    config.scan(__name__)

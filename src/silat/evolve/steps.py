"""The evolve steps themselves; each takes the site and changes it in place."""


def add_missing_containers(site):
    from silat.resources.site import add_missing_containers as add
    add(site)


def add_missing_settings(site):
    from silat.resources.site import add_missing_settings as add
    add(site)


def add_permit_register(site):
    from silat.permits.registry import registry
    registry(site)


def seal_histories(site):
    """Seal the history entries written before entries were sealed."""
    from silat.workflow.audit import histories
    for _path, log in histories(site):
        log.seal_unsealed()


def merge_expiry_buckets(site):
    """The permit register's expiry index becomes one set of (date, number)."""
    from silat.permits.registry import registry
    registry(site).migrate_expiry()


def count_report_tallies(site):
    """Build the dashboard's counters from every existing dossier (silat.reports)."""
    from silat.reports.tallies import rebuild
    rebuild(site)


def grant_reviewed_roles(site):
    """Agencies that signed a recommendation keep read access (step 20)."""
    from silat.recommendations.evolve import grant_reviewed_roles as grant
    grant(site)


def open_marks(site):
    """Worklist indexes hold open marks instead of sets; every shared
    index exists before a request needs it (step 70)."""
    from silat.intake.index import intake_index
    from silat.permits.registry import registry
    from silat.recommendations.services import open_requests
    from silat.resources import marks
    from silat.resources.site import add_missing_settings, add_shared_indexes
    add_missing_settings(site)
    add_shared_indexes(site)
    registry(site).migrate_worklists()
    intake_index(site).migrate_states()
    for agency in site["opd"].values():
        tree = open_requests(agency)
        for number, value in list(tree.items()):
            if not isinstance(value, int):      # was the due date
                tree[number] = marks.OPEN


def index_due_dates(site):
    """The running SLA clocks listed by earliest due date (step 80)."""
    from silat.workflow.sla import index_due_dates as index
    index(site)


def drop_unread_report_views(site):
    """Gauges, due dates, review queue and recommendations are counted in
    the views holding the agency only (step 90, silat.reports.tallies)."""
    from silat.reports.tallies import drop_unread_views
    drop_unread_views(site)

"""Intake: self-registration of applicants, the application wizard and
front-office entry, documents with upload checks, registration numbers,
the receipt, the completeness check (verification), public tracking and
the applications API. See docs/intake.md."""
from pyramid.events import NewRequest


def includeme(config):
    from silat.intake.api import ROUTES
    from pyramid_retry import IBeforeRetry

    from silat.intake.uploads import keep_small_parts_in_memory, refuse_oversized, rewind_uploads

    settings = config.get_settings()
    from silat.intake.numbering import block_size
    block_size(settings)        # a bad value stops the start, not the first application
    # Runs before pyramid_retry buffers the body (its hook is read when the
    # configuration is committed): oversized uploads are refused unread.
    settings.setdefault("retry.activate_hook", "silat.intake.uploads.limit_body")
    keep_small_parts_in_memory()
    from silat.intake.checklist_api import ROUTE
    for name, pattern in ROUTES + (ROUTE,):
        config.add_api_route(name, pattern)
    config.add_subscriber(refuse_oversized, NewRequest)
    config.add_subscriber(rewind_uploads, IBeforeRetry)
    config.scan(__name__)

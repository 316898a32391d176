"""The satisfaction survey (Survei Kepuasan Masyarakat): token links
after a completed service, the kiosk form, indexes by both methods, the
report; registers the ``ISurveyResults`` utility."""
from silat.interfaces import ISurveyResults


def includeme(config):
    from silat.survey.api import ROUTES
    from silat.survey.results import SurveyResults
    for name, pattern in ROUTES:
        config.add_api_route(name, pattern)
    config.registry.registerUtility(SurveyResults(config.get_settings()), ISurveyResults)
    config.add_subscriber("silat.survey.issue.on_transition", "silat.interfaces.IWorkflowEvent")
    config.scan(__name__)

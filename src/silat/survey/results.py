"""``ISurveyResults``: the figures the reports read."""
from zope.interface import implementer

from silat.interfaces import ISurveyResults
from silat.survey import store
from silat.survey.methods import krejcie_morgan, methods


def figures(site, method, start=None, end=None, service=None, agency=None):
    """Everything the report shows for one method and filter."""
    count, sums = store.totals(site, method.name, start, end, service, agency)
    index = method.index_from(count, sums)
    averages = method.averages_from(count, sums)
    served = store.population(site, start, end, service, agency)
    return {
        "method": method.name, "responses": count, "index": index,
        "grade": method.grade(index),
        "averages": [(code, title, round(float(averages[code]), 2))
                     for code, title in method.elements if code in averages],
        "population": served, "required_sample": krejcie_morgan(served),
        "suggestions": store.suggestions(site, method.name, start, end, service, agency),
    }


@implementer(ISurveyResults)
class SurveyResults:
    """Registered as the ISurveyResults utility by ``silat.survey``."""

    def __init__(self, settings=None):
        self.settings = settings or {}

    def summary(self, site, start=None, end=None, service=None, agency=None, method="skm9"):
        result = figures(site, methods(self.settings)[method], start, end, service, agency)
        return {k: result[k] for k in ("responses", "index", "grade", "method")}

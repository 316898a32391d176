"""``ISurveyResults``: the figures the reports read."""
from zope.interface import implementer

from silat.interfaces import ISurveyResults
from silat.survey import store
from silat.survey.methods import krejcie_morgan, methods


def figures(site, method, start=None, end=None, service=None, agency=None):
    """Everything the report shows for one method and filter."""
    found = store.responses(site, start, end, service, agency, method.name)
    answers = [r["answers"] for r in found]
    index = method.index(answers)
    served = store.population(site, start, end, service, agency)
    return {
        "method": method.name, "responses": len(found), "index": index,
        "grade": method.grade(index),
        "averages": [(code, title, round(float(avg), 2)) for (code, title), avg in
                     zip(method.elements, method.element_averages(answers).values())],
        "population": served, "required_sample": krejcie_morgan(served),
        "suggestions": [(r["date"], r["suggestion"]) for r in found if r["suggestion"]],
    }


@implementer(ISurveyResults)
class SurveyResults:
    """Registered as the ISurveyResults utility by ``silat.survey``."""

    def __init__(self, settings=None):
        self.settings = settings or {}

    def summary(self, site, start=None, end=None, service=None, agency=None, method="skm9"):
        result = figures(site, methods(self.settings)[method], start, end, service, agency)
        return {k: result[k] for k in ("responses", "index", "grade", "method")}

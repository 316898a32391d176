"""Survey pages under ``/survei``: the form behind a token link, the
open kiosk form, and the report (page and PDF with a chart)."""
import datetime as dt

from pyramid.httpexceptions import HTTPBadRequest
from pyramid.response import Response
from pyramid.traversal import find_root
from pyramid.view import view_config

from silat.api.errors import ApiError
from silat.i18n import _
from silat.interfaces import ISurveyFolder
from silat.security.permissions import SUPERVISE, VIEW
from silat.survey import store
from silat.survey.api import save_answer
from silat.survey.methods import methods
from silat.survey.results import figures

FORM = "silat:templates/citizen/survey_form.pt"


def _form_values(request, method):
    answers = {code: request.POST.get(code, "") for code, _t in method.elements}
    return {"method": method.name, "answers": answers,
            "suggestion": request.POST.get("suggestion", "")[:4000],
            "service": request.POST.get("service", "")}


def _form(context, request, token, channel):
    site = find_root(context)
    all_methods = methods(request.registry.settings)
    method = all_methods["skm9"]
    result = {"title": _("Survei Kepuasan Masyarakat"), "method": method, "token": token,
              "errors": {}, "message": None, "done": False, "kiosk": token is None,
              "values": {"answers": {}, "suggestion": "", "service": ""}}
    if token is not None:
        info = store.token_info(site, token)
        if info is None:
            request.response.status_int = 404
            result["message"] = _("Tautan survei tidak dikenal.")
            result["done"] = True
            return result
        if info["answered"] is not None:
            result["message"] = _("Survei untuk layanan ini sudah diisi. Terima kasih.")
            result["done"] = True
            return result
    if request.method == "POST":
        body = _form_values(request, method)
        result["values"] = body
        try:
            save_answer(request, site, token, body, channel)
        except ApiError as refused:
            request.response.status_int = refused.status
            result["message"] = refused.message
            result["errors"] = refused.fields or {}
            result["done"] = refused.status == 409
            return result
        result["message"] = _("Terima kasih, jawaban Anda sudah tercatat.")
        result["done"] = True
    return result


@view_config(context=ISurveyFolder, name="isi", permission=VIEW, renderer=FORM)
def survey_form(context, request):
    token = request.params.get("token")
    if not token:
        raise HTTPBadRequest()
    return _form(context, request, token, "online")


@view_config(context=ISurveyFolder, name="kiosk", permission=VIEW, renderer=FORM)
def kiosk_form(context, request):
    return _form(context, request, None, "kiosk")


def _date(text):
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def report_figures(context, request):
    site = find_root(context)
    method = methods(request.registry.settings).get(request.params.get("method", "skm9"))
    if method is None:
        method = methods(request.registry.settings)["skm9"]
    start, end = _date(request.params.get("mulai")), _date(request.params.get("sampai"))
    service = request.params.get("layanan") or None
    agency = request.params.get("opd") or None
    data = figures(site, method, start, end, service, agency)
    data.update({"method_title": method.title, "start": start, "end": end,
                 "service": service, "agency": agency, "bands": method.bands})
    return data


@view_config(context=ISurveyFolder, name="laporan", permission=SUPERVISE,
             renderer="silat:templates/citizen/survey_report.pt")
def report(context, request):
    data = report_figures(context, request)
    data["title"] = _("Laporan Survei Kepuasan Masyarakat")
    data["pdf_url"] = request.resource_url(context, "laporan.pdf", query=dict(request.GET))
    return data


@view_config(context=ISurveyFolder, name="laporan.pdf", permission=SUPERVISE)
def report_pdf(context, request):
    from silat.survey.pdf import report_pdf as render
    body = render(report_figures(context, request), request.localizer.translate)
    return Response(body=body, content_type="application/pdf",
                    content_disposition='inline; filename="laporan-skm.pdf"')

"""Admin pages: create and edit agencies and service standards (deform),
and the revision history of a standard."""
import colander
import deform
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from silat.catalog import reference
from silat.catalog.completeness import incomplete
from silat.catalog.present import value_lines
from silat.catalog.interfaces import IServiceType
from silat.catalog.model import CATEGORIES, LABELS, ServiceType, normalize
from silat.catalog.schemas import agency_schema, service_schema
from silat.forms import CSRFSchema, handle_form, make_form
from silat.i18n import _
from silat.interfaces import IAgency, IAgencyDirectory, IServiceCatalog
from silat.resources.agency import Agency
from silat.resources.site import get_site
from silat.security.permissions import MANAGE_CATALOG

FORM = "silat:templates/catalog/form.pt"
TEXT_FIELDS = ("product", "facilities", "staff_competence", "internal_supervision",
               "complaint_channels", "staff_count", "service_guarantee", "security_guarantee",
               "performance_evaluation")


def appstruct_from(rev):
    """Form values from a stored revision."""
    data = {
        "name": rev.name, "category": rev.category, "agency": rev.agency,
        "recommendations_from": set(rev.recommendations_from),
        "legal_basis": list(rev.legal_basis or ()),
        "requirements": [{"key": r.key, "name": r.name, "mandatory": r.mandatory,
                          "file_types": set(r.file_types or ()), "provided_by": r.provided_by}
                         for r in rev.requirements or ()],
        "procedure": [{"step": s.step, "actor": s.actor or "", "time": s.time or "",
                       "output": s.output or ""} for s in rev.procedure or ()],
        "completion_time": ({"amount": rev.completion_time.amount, "unit": rev.completion_time.unit,
                             "per": rev.completion_time.per or ""}
                            if rev.completion_time else {"amount": None}),
        "validity": ({"amount": rev.validity.amount, "unit": rev.validity.unit}
                     if rev.validity else {"amount": None}),
        "fee": rev.fee.plain() if rev.fee else {"kind": ""},
        "classification_code": rev.classification_code or "",
        "to_configure": {f for f in rev.to_configure if getattr(rev, f, None) is not None},
        "notes": "\n".join(rev.notes or ()),
    }
    for name in TEXT_FIELDS:
        data[name] = getattr(rev, name) or ""
    return data


def fields_from(appstruct, previous=None):
    """Stored fields (see ``model.normalize``) from valid form values."""
    def duration(value):
        return value if value.get("amount") is not None else None

    fee = appstruct["fee"]
    entry = {
        "name": appstruct["name"], "category": appstruct["category"],
        "agency": appstruct["agency"],
        "recommendations_from": sorted(appstruct["recommendations_from"]),
        "legal_basis": list(appstruct["legal_basis"]),
        "requirements": [dict(r, file_types=sorted(r["file_types"]) or None)
                         for r in appstruct["requirements"]] or None,
        "procedure": list(appstruct["procedure"]) or None,
        "completion_time": duration(appstruct["completion_time"]),
        "validity": duration(appstruct["validity"]),
        "fee": {k: v for k, v in fee.items() if v not in ("", None)} if fee.get("kind") else None,
        "classification_code": appstruct["classification_code"],
        "to_configure": sorted(appstruct["to_configure"]),
        "notes": [line for line in appstruct["notes"].splitlines() if line.strip()],
        "source": previous.source if previous is not None else None,
    }
    for name in TEXT_FIELDS:
        entry[name] = appstruct[name]
    return normalize(entry)


def _author(request):
    return request.user.username if request.user is not None else "?"


@view_config(context=IServiceCatalog, name="tambah", permission=MANAGE_CATALOG, renderer=FORM)
def service_add(context, request):
    form = make_form(request, service_schema(adding=True),
                     buttons=(deform.Button("simpan", _("Simpan")),))

    def save(data):
        code = data["code"]
        service = context.add(code, ServiceType(code))
        rev = service.add_revision(fields_from(data), data["effective_date"], _author(request),
                                   data["note"] or request.localizer.translate(_("Layanan baru")))
        request.session.flash(request.localizer.translate(_(
            "Layanan ${code} disimpan (revisi ${n}).", mapping={"code": code, "n": rev.number})))
        return HTTPSeeOther(request.resource_url(service))

    return handle_form(request, form, save, page={"title": _("Tambah Layanan"), "intro": None})


@view_config(context=IServiceType, name="edit", permission=MANAGE_CATALOG, renderer=FORM)
def service_edit(context, request):
    latest = context.latest
    form = make_form(request, service_schema(adding=False),
                     buttons=(deform.Button("simpan", _("Simpan sebagai revisi baru")),))
    translate = request.localizer.translate

    def save(data):
        fields = fields_from(data, latest)
        if latest is not None and fields == latest.fields():
            request.session.flash(translate(_("Tidak ada perubahan; tidak ada revisi baru.")))
            return HTTPSeeOther(request.resource_url(context, "riwayat"))
        rev = context.add_revision(fields, data["effective_date"], _author(request), data["note"])
        request.session.flash(translate(_(
            "Revisi ${n} disimpan, berlaku mulai ${date}.",
            mapping={"n": rev.number, "date": rev.effective_date.strftime("%d-%m-%Y")})))
        return HTTPSeeOther(request.resource_url(context, "riwayat"))

    return handle_form(request, form, save, appstruct_from(latest), page=lambda: {
        "suggestions": suggestion_forms(request, context),
        "title": translate(_("Ubah Standar: ${name}", mapping={"name": latest.name})),
        "intro": _("Perubahan disimpan sebagai revisi baru dengan tanggal berlaku; "
                   "permohonan yang sudah diajukan tetap memakai revisinya.")})


@view_config(context=IServiceType, name="riwayat", permission=MANAGE_CATALOG,
             renderer="silat:templates/catalog/history.pt")
def service_history(context, request):
    current = context.current
    return {"title": request.localizer.translate(_("Riwayat Revisi: ${name}",
                                                   mapping={"name": context.title})),
            "service": context, "revisions": context.history(),
            "current": current.number if current is not None else None,
            "categories": CATEGORIES}


def _agency_values(data, agency):
    agency.title, agency.kind = data["title"], data["kind"]
    agency.recommender = data["recommender"]
    agency.officials = tuple({"position": o["position"], "name": o["name"] or None}
                             for o in data["officials"])


@view_config(context=IAgencyDirectory, name="tambah", permission=MANAGE_CATALOG, renderer=FORM)
def agency_add(context, request):
    form = make_form(request, agency_schema(adding=True))

    def save(data):
        agency = context.add(data["code"], Agency(data["code"], data["title"]))
        _agency_values(data, agency)
        request.session.flash(request.localizer.translate(_(
            "OPD ${code} disimpan.", mapping={"code": agency.code})))
        return HTTPSeeOther(request.resource_url(agency))

    return handle_form(request, form, save, page={"title": _("Tambah Perangkat Daerah"), "intro": None})


@view_config(context=IAgency, name="edit", permission=MANAGE_CATALOG, renderer=FORM)
def agency_edit(context, request):
    form = make_form(request, agency_schema(adding=False))

    def save(data):
        _agency_values(data, context)
        request.session.flash(request.localizer.translate(_(
            "OPD ${code} disimpan.", mapping={"code": context.code})))
        return HTTPSeeOther(request.resource_url(context))

    appstruct = {"title": context.title, "kind": context.kind,
                 "recommender": bool(context.recommender),
                 "officials": [{"position": o.get("position") or "", "name": o.get("name") or ""}
                               for o in context.officials]}
    return handle_form(request, form, save, appstruct, page={
        "title": request.localizer.translate(_("Ubah OPD: ${code}", mapping={"code": context.code})),
        "intro": None})


class AcceptSchema(CSRFSchema):
    key = colander.SchemaNode(colander.String(), widget=deform.widget.HiddenWidget(),
                              validator=colander.Regex(r"^[0-9a-f]{16}$"))


def suggestion_forms(request, service):
    """One small deform form per open suggestion (a one-click accept)."""
    out = []
    for found in reference.suggestions(service):
        form = make_form(request, AcceptSchema(), action=request.resource_url(service, "usulan"),
                         buttons=(deform.Button("terima", _("Terima usulan ini")),),
                         formid=f"usulan-{found.key}")
        out.append({"suggestion": found, "label": LABELS.get(found.component),
                    "lines": value_lines(found.value, request.localizer.translate),
                    "form": form.render({"key": found.key})})
    return out


@view_config(context=IServiceType, name="usulan", permission=MANAGE_CATALOG,
             request_method="POST")
def suggestion_accept(context, request):
    translate = request.localizer.translate
    form = make_form(request, AcceptSchema(), buttons=(deform.Button("terima", ""),))
    try:
        data = form.validate(request.POST.items())
    except deform.ValidationFailure:
        data = {"key": ""}
    rev = reference.accept(context, data["key"], _author(request))
    if rev is None:
        request.session.flash(translate(_("Usulan tidak ditemukan atau sudah diterima.")), "error")
    else:
        request.session.flash(translate(_("Usulan diterima: revisi ${n} disimpan.",
                                          mapping={"n": rev.number})))
    return HTTPSeeOther(request.resource_url(context, "edit"))


@view_config(context=IServiceCatalog, name="kelengkapan", permission=MANAGE_CATALOG,
             renderer="silat:templates/catalog/completeness.pt")
def completeness(context, request):
    rows, total = incomplete(get_site(request))
    return {"title": _("Kelengkapan Standar Pelayanan"), "rows": rows, "total": total,
            "services": len(context)}

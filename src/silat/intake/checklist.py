"""The verifier's checklist page (``/berkas/<number>/verifikasi``)."""
import colander
import deform
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from silat.forms import CSRFSchema, handle_form, make_form
from silat.i18n import _
from silat.interfaces import IDossier
from silat.intake import verification as V
from silat.intake.applications import IntakeError
from silat.intake.views import document_rows, flash, summary
from silat.security.permissions import VERIFY

CHOICES = (("valid", _("Sah")), ("invalid", _("Tidak sah")))
VALUE = {"valid": True, "invalid": False, "": None}


def checklist_schema(dossier):
    schema = CSRFSchema()
    for req in V.checkable(dossier):
        item = colander.SchemaNode(colander.Mapping(), name=req.key, title=req.name)
        item.add(colander.SchemaNode(
            colander.String(), name="status", title=_("Hasil pemeriksaan"), missing="",
            validator=colander.OneOf(["", "valid", "invalid"]),
            widget=deform.widget.RadioChoiceWidget(values=CHOICES, inline=True)))
        item.add(colander.SchemaNode(
            colander.String(), name="reason", title=_("Alasan (wajib bila tidak sah)"),
            missing="", validator=colander.Length(max=1000)))
        schema.add(item)
    schema.add(colander.SchemaNode(colander.String(), name="note", missing="",
                                   title=_("Catatan untuk pemohon (bila dikembalikan)"),
                                   widget=deform.widget.TextAreaWidget(rows=2),
                                   validator=colander.Length(max=2000)))
    return schema


def _appstruct(dossier):
    out = {}
    for key, entry in dossier.checklist.items():
        out[key] = {"status": "valid" if entry.get("valid") else "invalid",
                    "reason": entry.get("reason") or ""}
    return out


BUTTONS = (deform.Button("simpan", _("Simpan hasil pemeriksaan")),
           deform.Button("lengkap", _("Nyatakan lengkap")),
           deform.Button("kembalikan", _("Kembalikan ke pemohon"), css_class="btn-outline-danger"))


@view_config(context=IDossier, name="verifikasi", permission=VERIFY,
             renderer="silat:templates/intake/verify.pt")
def verify_page(context, request):
    form = make_form(request, checklist_schema(context), buttons=BUTTONS)

    def save(data):
        note = data.pop("note", "")
        entries = {key: (VALUE[value["status"]], value["reason"]) for key, value in data.items()}
        try:
            V.save_checklist(request, context, entries)
            if "lengkap" in request.POST:
                V.complete(request, context)
                flash(request, _("Berkas dinyatakan lengkap."))
                return HTTPSeeOther(request.resource_url(context))
            if "kembalikan" in request.POST:
                V.return_to_applicant(request, context, note)
                flash(request, _("Berkas dikembalikan ke pemohon untuk diperbaiki."))
                return HTTPSeeOther(request.resource_url(context))
        except IntakeError as exc:
            flash(request, exc.message, "error")
            return {"form": form.render(_dict(data)), "error": True}
        flash(request, _("Hasil pemeriksaan disimpan."))
        return HTTPSeeOther(request.resource_url(context, "verifikasi"))

    return handle_form(request, form, save, appstruct=_appstruct(context), page=lambda: {
        "title": _("Verifikasi berkas ${number}", mapping={"number": context.registration_number}),
        "dossier": context, "rows": document_rows(request, context),
        "summary": summary(request, context),
        "rounds": getattr(context, "verification_rounds", ()), "pbb": pbb_panel(request, context)})


def pbb_panel(request, dossier):
    """The PBB check as part of the checklist (IMB): the NOP given at filing,
    the last check, and where to post a check."""
    from silat.permits.pbb import requires_pbb
    from silat.present import when
    if not requires_pbb(dossier):
        return None
    check = getattr(dossier, "pbb_check", None) or {}
    from silat.permits.fees import local_today
    return {"nop": (dossier.location or {}).get("nop") or check.get("nop") or "",
            "year": local_today().year, "checked": bool(check), "paid": check.get("paid"),
            "checked_year": check.get("year"), "checked_at": when(check.get("at")),
            "action": request.resource_url(dossier, "cek-pbb")}


def _dict(data):
    return {k: v for k, v in data.items() if isinstance(v, dict)}

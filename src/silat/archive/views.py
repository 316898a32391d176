"""The archivist's workbench under ``/arsip`` (permission ARCHIVE)."""
import datetime as dt
from urllib.parse import urlencode

import colander
import deform
import numpy as np
from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.response import Response
from pyramid.view import view_config

from silat.archive import bagit
from silat.archive.model import (DISPOSITIONS, STATES, ArchiveError, archive_state, closed_on,
                                 destroy, get_store, proposal_item)
from silat.catalog.schemas import Day
from silat.forms import CSRFSchema, handle_form, make_form
from silat.i18n import _
from silat.interfaces import IArchive
from silat.search.security import allowed_mask, query_principals
from silat.security import permissions as P

LEVELS = (("klasifikasi", "klasifikasi", _("Kode klasifikasi")), ("tahun", "year", _("Tahun")),
          ("layanan", "service", _("Layanan")), ("opd", "agency", _("OPD")))


def _flash(request, message, queue=""):
    request.session.flash(request.localizer.translate(message), queue)


def _back(request, name, **params):
    url = request.resource_url(request.context, name) if name else request.resource_url(request.context)
    return HTTPSeeOther(url + ("?" + urlencode(params) if params else ""))


@view_config(context=IArchive, permission=P.ARCHIVE, renderer="silat:templates/archive/home.pt")
def archive_home(context, request):
    """Browse dossiers by classification code, year, service and agency
    (counts from the index, filtered by what the archivist may view)."""
    chosen = {param: request.GET.get(param, "").strip()[:100] for param, _f, _t in LEVELS}
    level = next((lv for lv in LEVELS if not chosen[lv[0]]), None)
    groups, items, total = {}, [], 0
    service = request.search_index
    if service is not None:
        searcher = service.searcher()
        columns = service.doc_columns.generation(searcher)      # counts on arrays (search.columns)
        filters = [("kind", "dossier")] + [(f, chosen[p]) for p, f, _t in LEVELS if chosen[p]]
        mask = (allowed_mask(searcher, columns, query_principals(request.user))
                & columns.facet_mask(filters))
        total = int(np.count_nonzero(mask))
        if level is not None:
            groups = dict(sorted(columns.facet_counts(mask, (level[1],))[level[1]].items()))
        else:
            items = [searcher.stored_fields(d) for d in columns.page(mask, 1, 200)]   # newest first
    store = get_store(context)
    return {"title": _("Arsip Berkas"), "chosen": chosen, "level": level, "groups": groups,
            "items": items, "total": total, "levels": LEVELS,
            "overdue": len(store.overdue(dt.date.today())),
            "drill_url": lambda value: request.resource_url(context, query=dict(
                {k: v for k, v in chosen.items() if v}, **{level[0]: value}))}


def _dossier(request, number):
    dossier = request.root["berkas"].get(number or "")
    if dossier is None or not request.has_permission(P.VIEW_DOSSIER, dossier):
        raise HTTPNotFound()
    return dossier


def archive_info(site, dossier, today=None):
    store = get_store(site["arsip"])
    rule = store.retention.get(dossier.service_code)
    state, active_end, inactive_end = archive_state(dossier, rule, today or dt.date.today())
    closed = closed_on(dossier)
    return {"state": state, "closed": closed.isoformat() if closed else None,
            "active_until": active_end.isoformat() if active_end else None,
            "inactive_until": inactive_end.isoformat() if inactive_end else None,
            "rule": None if rule is None else {"active_years": rule.active_years,
                                               "inactive_years": rule.inactive_years,
                                               "disposition": rule.disposition},
            "location": dict(store.locations.get(dossier.registration_number, {}))}


class LocationSchema(CSRFSchema):
    nomor = colander.SchemaNode(colander.String(), validator=colander.Length(1, 40),
                                widget=deform.widget.HiddenWidget())
    gedung = colander.SchemaNode(colander.String(), title=_("Gedung"), validator=colander.Length(1, 100))
    ruang = colander.SchemaNode(colander.String(), title=_("Ruang"), validator=colander.Length(1, 100))
    rak = colander.SchemaNode(colander.String(), title=_("Rak"), validator=colander.Length(1, 50))
    boks = colander.SchemaNode(colander.String(), title=_("Boks"), validator=colander.Length(1, 50))


def _location_form(request):
    return make_form(request, LocationSchema(), formid="lokasi",
                     action=request.resource_url(request.root["arsip"], "lokasi"),
                     buttons=(deform.Button("simpan", _("Simpan lokasi")),))


def _invalid(request, form):
    """After ``handle_form``: when the form failed validation, answer 400
    and flash which fields are missing or invalid."""
    if form.error is None:
        return
    request.response.status_int = 400
    problems = "; ".join(f"{k}: {request.localizer.translate(v)}" for k, v in form.error.asdict().items()
                         if k != "csrf_token")
    _flash(request, _("Isian tidak lengkap atau tidak sah: ${p}", mapping={"p": problems}), "error")


def _refused(request, form, data, message):
    """A valid form whose action was refused: 400, the message, the form again."""
    request.response.status_int = 400
    _flash(request, message, "error")
    return {"form": form.render(data)}


def _dossier_page(context, request, dossier, form=None):
    store = get_store(context)
    info = archive_info(request.root, dossier)
    documents = []
    if "dokumen" in dossier:
        for key, document in dossier["dokumen"].items():
            documents.append({"key": key, "title": document.title,
                              "versions": [v.metadata() for v in document]})
    if form is None:
        location = info["location"]
        form = _location_form(request).render({
            "nomor": dossier.registration_number, "gedung": location.get("building", ""),
            "ruang": location.get("room", ""), "rak": location.get("shelf", ""),
            "boks": location.get("box", "")})
    from silat.present import state_label
    from silat.present.tree import dossier_tree, every_file
    tree = dossier_tree(dossier, request)
    return {"title": _("Berkas ${n}", mapping={"n": dossier.registration_number}), "dossier": dossier,
            "info": info, "state_title": STATES[info["state"]], "history": tree["timeline"],
            "dossier_state": state_label(dossier), "files": every_file(tree),
            "dossier_url": request.resource_url(dossier),
            "documents": documents, "loans": [l for l in store.loans.values() if l.number == dossier.registration_number],
            "today": dt.date.today().isoformat(), "form": form}


@view_config(context=IArchive, name="berkas", permission=P.ARCHIVE, renderer="silat:templates/archive/dossier.pt")
def archive_dossier(context, request):
    number = request.subpath[0] if request.subpath else request.GET.get("nomor")
    return _dossier_page(context, request, _dossier(request, number))


@view_config(context=IArchive, name="lokasi", request_method="POST", permission=P.ARCHIVE,
             renderer="silat:templates/archive/dossier.pt")
def set_location(context, request):
    """The location form of the dossier page; when invalid, the dossier
    page again with the form's errors."""
    dossier = _dossier(request, request.POST.get("nomor", "").strip())
    form = _location_form(request)

    def save(data):
        get_store(context).set_location(dossier.registration_number, data["gedung"], data["ruang"],
                                        data["rak"], data["boks"], request.user.username)
        _flash(request, _("Lokasi fisik berkas disimpan."))
        return HTTPSeeOther(request.resource_url(context, "berkas", dossier.registration_number))

    result = handle_form(request, form, save)
    if not isinstance(result, dict):
        return result
    _invalid(request, form)
    return _dossier_page(context, request, dossier, result["form"])


# -- retention schedule ---------------------------------------------------

@colander.deferred
def _service_widget(node, kw):
    return deform.widget.SelectWidget(values=[
        (code, f"{code} - {service.title}") for code, service in kw["request"].root["layanan"].items()])


class RetentionSchema(CSRFSchema):
    layanan = colander.SchemaNode(colander.String(), title=_("Layanan"), widget=_service_widget,
                                  validator=colander.Length(1, 60))
    aktif = colander.SchemaNode(colander.Int(), title=_("Tahun aktif"), validator=colander.Range(0, 100),
                                widget=deform.widget.TextInputWidget(
                                    attributes={"type": "number", "min": "0", "max": "100"}))
    inaktif = colander.SchemaNode(colander.Int(), title=_("Tahun inaktif"), validator=colander.Range(0, 100),
                                  widget=deform.widget.TextInputWidget(
                                      attributes={"type": "number", "min": "0", "max": "100"}))
    nasib_akhir = colander.SchemaNode(colander.String(), title=_("Nasib akhir"),
                                      validator=colander.OneOf(tuple(DISPOSITIONS)),
                                      widget=deform.widget.SelectWidget(values=list(DISPOSITIONS.items())))


@view_config(context=IArchive, name="retensi", permission=P.ARCHIVE, renderer="silat:templates/archive/retention.pt")
def retention(context, request):
    store = get_store(context)
    form = make_form(request, RetentionSchema(), formid="retensi",
                     buttons=(deform.Button("simpan", _("Simpan")),))

    def save(data):
        try:
            if data["layanan"] not in request.root["layanan"]:
                raise ArchiveError(_("Layanan ${c} tidak dikenal.", mapping={"c": data["layanan"]}))
            store.set_rule(data["layanan"], data["aktif"], data["inaktif"], data["nasib_akhir"],
                           request.user.username)
        except ArchiveError as exc:
            return _refused(request, form, data, exc.message)
        _flash(request, _("Jadwal retensi ${c} disimpan.", mapping={"c": data["layanan"]}))
        return _back(request, "retensi")

    def page():
        rows = []
        for code, service in request.root["layanan"].items():
            rule = store.retention.get(code)
            rev = service.current or service.latest
            rows.append({"code": code, "title": service.title, "rule": rule,
                         "classification": getattr(rev, "classification_code", None) or "-"})
        return {"title": _("Jadwal Retensi Arsip"), "rows": rows, "dispositions": DISPOSITIONS}

    result = handle_form(request, form, save, page=page)
    _invalid(request, form)
    return result


# -- loans ---------------------------------------------------------------

class LoanSchema(CSRFSchema):
    nomor = colander.SchemaNode(colander.String(), title=_("Nomor berkas"), validator=colander.Length(1, 40))
    peminjam = colander.SchemaNode(colander.String(), title=_("Peminjam"), validator=colander.Length(1, 200))
    unit = colander.SchemaNode(colander.String(), title=_("Unit kerja"), missing="",
                               validator=colander.Length(0, 200))
    keperluan = colander.SchemaNode(colander.String(), title=_("Keperluan"), missing="",
                                    validator=colander.Length(0, 500))
    tanggal_pinjam = colander.SchemaNode(Day(), title=_("Tanggal pinjam"),
                                         widget=deform.widget.TextInputWidget(attributes={"type": "date"}))
    tanggal_kembali = colander.SchemaNode(Day(), title=_("Batas kembali"),
                                          widget=deform.widget.TextInputWidget(attributes={"type": "date"}))


@view_config(context=IArchive, name="peminjaman", permission=P.ARCHIVE, renderer="silat:templates/archive/loans.pt")
def loans(context, request):
    store = get_store(context)
    form = make_form(request, LoanSchema(), formid="pinjam",
                     buttons=(deform.Button("catat", _("Catat peminjaman")),))

    def page():
        today = dt.date.today()
        return {"title": _("Register Peminjaman Berkas"), "loans": list(store.loans.values())[::-1],
                "overdue": store.overdue(today), "today": today}

    if request.method == "POST" and "loan_id" in request.POST:     # "Kembalikan" on one loan
        try:
            try:
                loan_id = int(request.POST["loan_id"])
            except ValueError:
                raise ArchiveError(_("Peminjaman tidak ditemukan."))
            store.give_back(loan_id, dt.date.today(), request.user.username)
        except ArchiveError as exc:
            request.response.status_int = 400
            _flash(request, exc.message, "error")
            return dict(page(), form=form.render())
        _flash(request, _("Pengembalian berkas dicatat."))
        return _back(request, "peminjaman")

    def lend(data):
        try:
            dossier = _dossier(request, data["nomor"])
            store.lend(dossier.registration_number, data["peminjam"], data["unit"], data["keperluan"],
                       data["tanggal_pinjam"], data["tanggal_kembali"], request.user.username)
        except ArchiveError as exc:
            return _refused(request, form, data, exc.message)
        except HTTPNotFound:
            return _refused(request, form, data, _("Berkas tidak ditemukan."))
        _flash(request, _("Peminjaman berkas dicatat."))
        return _back(request, "peminjaman")

    result = handle_form(request, form, lend, page=page)
    _invalid(request, form)
    return result


# -- destruction ---------------------------------------------------------

def eligible(request, today=None):
    """Closed dossiers whose retention ended with disposition musnah."""
    today = today or dt.date.today()
    store = get_store(request.root["arsip"])
    found = []
    for code, rule in store.retention.items():
        if rule.disposition != "musnah":
            continue
        for dossier in _closed_dossiers(request, code, rule, today):
            if archive_state(dossier, rule, today)[0] == "usul_musnah" \
                    and dossier.registration_number not in store.destroyed:
                found.append(proposal_item(dossier, rule))
    return found


def _closed_dossiers(request, code, rule, today):
    """Candidates from the index (service, final states, filed long enough
    ago), each checked against ZODB by the caller."""
    service = request.search_index
    berkas = request.root["berkas"]
    horizon = dt.datetime(today.year - rule.active_years - rule.inactive_years, today.month, 28) \
        + dt.timedelta(days=4)
    if service is None:
        return [d for d in berkas.values() if d.service_code == code]
    searcher = service.searcher()
    columns = service.doc_columns.generation(searcher)          # on arrays (search.columns)
    mask = (allowed_mask(searcher, columns, query_principals(request.user))
            & columns.facet_mask([("kind", "dossier"), ("service", code)])
            & columns.date_mask(None, horizon))
    mask &= columns.facet_any("state", ("issued", "rejected", "withdrawn"))
    out = []
    for docnum in np.flatnonzero(mask).tolist():
        dossier = berkas.get(searcher.stored_fields(docnum)["uid"].split(":", 1)[1])
        if dossier is not None:
            out.append(dossier)
    return out


class ProposeSchema(CSRFSchema):
    berkas = colander.SchemaNode(
        colander.Set(), title=_("Berkas yang diusulkan musnah"),
        validator=colander.Length(min=1, min_err=_("Pilih sekurang-kurangnya satu berkas.")))


def _propose_form(request, items):
    schema = ProposeSchema()
    numbers = [i["number"] for i in items]
    schema["berkas"].widget = deform.widget.CheckboxChoiceWidget(
        values=[(i["number"], f"{i['number']} - {i['title']}") for i in items])
    only = colander.ContainsOnly(numbers)
    only.err_template = _("Berkas ini tidak dapat diusulkan musnah.")
    schema["berkas"].validator = colander.All(schema["berkas"].validator, only)
    return make_form(request, schema, formid="propose",
                     buttons=(deform.Button("usulkan", _("Buat daftar usul musnah")),))


@view_config(context=IArchive, name="pemusnahan", permission=P.ARCHIVE, renderer="silat:templates/archive/destruction.pt")
def destruction(context, request):
    store = get_store(context)
    items = eligible(request)
    form = _propose_form(request, items)

    def page():
        return {"title": _("Penyusutan Arsip"), "eligible": items,
                "proposals": list(store.proposals.values())[::-1],
                "destroyed": list(store.destroyed.values())}

    if request.method == "POST" and not any(b.name in request.POST for b in form.buttons):
        try:                            # "Setujui" / "Musnahkan" on one proposal
            action = request.POST.get("action")
            if action not in ("setujui", "laksanakan"):
                raise ArchiveError(_("Tindakan tidak dikenal."))
            try:
                proposal_id = int(request.POST.get("proposal", ""))
            except ValueError:
                raise ArchiveError(_("Usulan musnah tidak ditemukan."))
            if action == "setujui":
                store.approve(proposal_id, request.user.username)
                _flash(request, _("Usulan musnah ${id} disetujui.", mapping={"id": proposal_id}))
            else:
                done = destroy(request.root, proposal_id, request.user.username)
                _flash(request, _("${n} berkas dimusnahkan.", mapping={"n": len(done)}))
            return _back(request, "pemusnahan")
        except ArchiveError as exc:
            request.response.status_int = 400
            _flash(request, exc.message, "error")
            return dict(page(), form=form.render({"berkas": {i["number"] for i in items}}))

    def propose(data):
        try:
            proposal = store.propose([i for i in items if i["number"] in data["berkas"]],
                                     request.user.username)
        except ArchiveError as exc:
            return _refused(request, form, data, exc.message)
        _flash(request, _("Usulan musnah ${id} dibuat.", mapping={"id": proposal.id}))
        return _back(request, "pemusnahan")

    result = handle_form(request, form, propose, {"berkas": {i["number"] for i in items}}, page=page)
    _invalid(request, form)
    return result


@view_config(context=IArchive, name="usulan-musnah.pdf", permission=P.ARCHIVE)
def proposal_pdf_view(context, request):
    from silat.archive.pdf import proposal_pdf
    try:
        proposal = get_store(context).proposals[int(request.GET.get("id", ""))]
    except (ValueError, KeyError):
        raise HTTPNotFound()
    data = proposal_pdf(proposal, request.localizer.translate)
    return Response(data, content_type="application/pdf",
                    content_disposition=f'inline; filename="usul-musnah-{proposal.id}.pdf"')


# -- export ----------------------------------------------------------------

@view_config(context=IArchive, name="ekspor", permission=P.ARCHIVE)
def export(context, request):
    """BagIt zip of one dossier (``?nomor=``) or of a year of one service
    (``?layanan=&tahun=``), streamed from its own ZODB connection."""
    number = request.GET.get("nomor", "").strip()
    code = request.GET.get("layanan", "").strip()
    year = request.GET.get("tahun", "").strip()
    if number:
        _dossier(request, number)
        name = f"{bagit._safe(number)}.zip"
    elif code and year.isdigit() and len(year) == 4 and code in request.root["layanan"]:
        name = f"{bagit._safe(code)}-{year}.zip"
    else:
        _flash(request, _("Pilih satu nomor berkas, atau layanan dan tahun (4 angka)."), "error")
        return _back(request, "")
    db = request.root._p_jar.db()
    user = request.user.username
    return Response(app_iter=_export_iter(db, number, code, year, user),
                    content_type="application/zip",
                    content_disposition=f'attachment; filename="{name}"')


def _export_iter(db, number, code, year, user):
    import transaction
    from silat.resources.site import ZODB_ROOT_KEY
    tm = transaction.TransactionManager(explicit=True)
    conn = db.open(transaction_manager=tm)
    tm.begin()
    try:
        site = conn.root()[ZODB_ROOT_KEY]
        if number:
            dossiers = [site["berkas"][number]]
        else:
            dossiers = bagit.year_of_service(site, code, int(year))
        info = {"Source-Organization": "DPMPTSP Kota Bekasi", "External-Description":
                f"SILAT {number or code + ' ' + year}", "Contact-Name": user}
        yield from bagit.stream_bag(dossiers, info, archive_info=lambda d: archive_info(site, d))
    finally:
        tm.abort()
        conn.close()


def includeme(config):
    config.scan(__name__)

"""The dossier as a tree for its page: requirement documents with their
versions, each agency's recommendation with its disposition chain and
inspections, fees, the permit, letters, complaints, the history
timeline, and for the applicant a progress view.

``dossier_tree(dossier, request)`` returns plain dicts; the template
``templates/dossier/tree.pt`` opens each part in place with <details>.
Internal notes (disposition chains, role grants) only reach officers.
"""
from silat.i18n import _
from silat.present import (day, decision_label, is_officer, person, recommendation_status_label,
                           rupiah, state_label, when)
from silat.present.complaints import complaints_for
from silat.present.history import timeline


def documents(dossier, request):
    rows = []
    for req in dossier.requirements():
        doc = dossier["dokumen"].get(req.key)
        check = dossier.checklist.get(req.key)
        url = request.resource_url(doc) if doc is not None else None
        versions = [{"number": v.number, "filename": v.filename, "size": v.size, "mime": v.mime,
                     "sha256": v.sha256, "when": when(v.at), "by": person(request, v.by),
                     "download": f"{url}?versi={v.number}", "preview": f"{url}pratinjau?versi={v.number}"}
                    for v in (list(doc)[::-1] if doc is not None else [])]
        if check is None:
            status, css = _("belum diperiksa"), "text-muted"
        elif check.get("valid"):
            status, css = _("Sah"), "text-success"
        else:
            status, css = _("Tidak sah"), "text-danger"
        rows.append({"key": req.key, "name": req.name, "mandatory": req.mandatory,
                     "officer_check": req.provided_by != "applicant", "versions": versions,
                     "status": status, "css": css,
                     "reason": (check or {}).get("reason") or "",
                     "checked_by": person(request, (check or {}).get("by")),
                     "checked_at": when((check or {}).get("at"))})
    return rows


def _dispositions(dossier, code, request):
    from silat.recommendations.services import chain
    return [{"level": level, "sender": person(request, d.from_user), "to": person(request, d.to_user),
             "instruction": d.instruction, "sent": when(d.created), "due": day(d.due) if d.due else "",
             "read": when(d.read_at), "done": when(d.done_at), "note": d.done_note}
            for level, d in chain(dossier, code)]


def _inspections(dossier, code, request):
    out = []
    for name, item in sorted(dossier["inspeksi"].items()):
        if item.agency_code != code:
            continue
        url = request.resource_url(item)
        out.append({"name": name, "date": day(item.date), "team": ", ".join(item.team),
                    "findings": item.findings, "by": person(request, item.created_by),
                    "bap": url + "bap.pdf" if item.bap is not None else None,
                    "photos": [{"url": f"{url}foto/{i}", "filename": p.filename}
                               for i, p in enumerate(item.photos, 1)]})
    return out


def recommendations(dossier, request, officer):
    agencies = request.root["opd"]
    out = []
    for code, rec in sorted(dossier["rekomendasi"].items()):
        agency = agencies.get(code)
        url = request.resource_url(rec)
        out.append({"code": code, "agency": getattr(agency, "title", "") or code,
                    "status": recommendation_status_label(rec.status), "signed": rec.decision is not None,
                    "decision": decision_label(rec.decision) if rec.decision else None,
                    "letter_number": rec.letter_number,
                    "letter": url + "surat.pdf" if rec.letter is not None else None,
                    "conditions": list(rec.conditions or ()), "reasons": rec.reasons,
                    "requested": when(rec.requested_at), "due": day(rec.due_date) if rec.due_date else "",
                    "signed_by": rec.signed_by_title or person(request, rec.signed_by),
                    "signed_at": when(rec.signed_at),
                    "url": url if officer else None,
                    "sheet": url + "lembar-disposisi.pdf" if officer else None,
                    "dispositions": _dispositions(dossier, code, request) if officer else [],
                    "inspections": _inspections(dossier, code, request)})
    return out


def fees(dossier, request):
    out = []
    for name, item in sorted(dossier["retribusi"].items()):
        url = request.resource_url(item)
        out.append({"number": item.number, "amount": rupiah(item.amount), "paid": rupiah(item.paid()),
                    "outstanding": rupiah(item.outstanding()), "settled": item.outstanding() == 0,
                    "due": day(item.due_date), "issued": when(item.issued_at),
                    "pdf": url + "skrd.pdf" if getattr(item, "pdf", None) is not None else None,
                    "payments": [{"amount": rupiah(p.get("amount")), "paid_on": day(p.get("paid_on")),
                                  "reference": p.get("reference", ""), "channel": p.get("channel", "")}
                                 for p in item.payments]})
    return out


def permit(dossier, request):
    item = dossier.permit
    if item is None:
        return None
    token = getattr(item, "token", None)
    return {"number": item.number, "state": state_label(item), "issued": when(item.issued_at),
            "valid_until": day(item.valid_until) if item.valid_until else None,
            "pdf": request.resource_url(dossier, "izin.pdf") if getattr(item, "pdf", None) else None,
            "verify": f"{request.application_url}/verifikasi/{token}" if token else None,
            "url": request.resource_url(item)}


def letters(obj, request):
    url = request.resource_url(obj, "surat")
    return [{"number": getattr(letter, "number", ""), "kind": getattr(letter, "kind", ""),
             "url": f"{url}/{i}"} for i, letter in enumerate(getattr(obj, "letters", ()) or (), 1)]


def _reached(dossier):
    return {e["data"].get("new_state") for e in dossier.history if e["action"] == "transition"}


def progress(dossier, request):
    """The applicant's view: steps done, the next one, the promised date."""
    from silat.intake.applications import due_date
    reached = _reached(dossier)
    has_fees = len(dossier["retribusi"]) > 0 or dossier.state == "awaiting_payment"
    steps = [("submitted", _("Permohonan diajukan"), dossier.state != "draft"),
             ("verified", _("Kelengkapan diverifikasi"), "verified" in reached)]
    if dossier.standard().recommendations_from:
        done = len(dossier["rekomendasi"]) > 0 and not dossier.pending_recommendations()
        steps.append(("in_review", _("Rekomendasi teknis OPD"), done))
    steps.append(("approved", _("Permohonan disetujui"),
                  bool(reached & {"approved", "awaiting_payment"})))
    if has_fees:
        steps.append(("paid", _("Retribusi dibayar"), has_fees and dossier.fee_outstanding() == 0
                      and len(dossier["retribusi"]) > 0))
    steps.append(("issued", _("Izin terbit"), dossier.state == "issued"))
    rows, next_found = [], False
    for key, title, done in steps:
        current = not done and not next_found and dossier.state not in ("rejected", "withdrawn")
        next_found = next_found or current
        rows.append({"key": key, "title": title, "done": done, "next": current})
    promised = due_date(dossier)
    return {"steps": rows, "promised": day(promised) if promised else "",
            "ended": dossier.state in ("rejected", "withdrawn"), "state": state_label(dossier)}


def dossier_tree(dossier, request):
    officer = is_officer(request)
    return {"officer": officer, "documents": documents(dossier, request),
            "recommendation_items": recommendations(dossier, request, officer),
            "fee_items": fees(dossier, request), "permit_item": permit(dossier, request),
            "letters": letters(dossier, request),
            "complaints": complaints_for(dossier, request),
            "timeline": timeline(dossier, request, officer),
            "progress": progress(dossier, request)}


def every_file(tree):
    """Every openable document of a tree (from ``dossier_tree``) as
    ``{"group", "title", "url"}``: requirement documents (each version),
    recommendation letters, inspection reports and photos, SKRDs, the
    permit and the letters. The archivist's list."""
    out = []
    for doc in tree["documents"]:
        for v in doc["versions"]:
            out.append({"group": _("Dokumen persyaratan"), "title": f'{doc["name"]} v{v["number"]} '
                        f'({v["filename"]})', "url": v["preview"]})
    for rec in tree["recommendation_items"]:
        if rec["letter"]:
            out.append({"group": _("Rekomendasi teknis"),
                        "title": f'{rec["agency"]} {rec["letter_number"]}', "url": rec["letter"]})
        for item in rec["inspections"]:
            if item["bap"]:
                out.append({"group": _("Peninjauan lapangan"), "title": f'BAP {item["name"]}',
                            "url": item["bap"]})
            for photo in item["photos"]:
                out.append({"group": _("Peninjauan lapangan"), "title": photo["filename"],
                            "url": photo["url"]})
    for fee in tree["fee_items"]:
        if fee["pdf"]:
            out.append({"group": _("Retribusi"), "title": f'SKRD {fee["number"]}', "url": fee["pdf"]})
    permit = tree["permit_item"]
    if permit and permit["pdf"]:
        out.append({"group": _("Izin"), "title": permit["number"], "url": permit["pdf"]})
    for letter in tree["letters"]:
        out.append({"group": _("Surat"), "title": letter["number"], "url": letter["url"]})
    return out

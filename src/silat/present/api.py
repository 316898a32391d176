"""What an application led to, for ``GET /api/v1/applications/{number}``:
the agencies' recommendations, the fees (SKRD) and the permit."""

def _iso(value):
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def recommendations_info(request, dossier):
    agencies = request.root["opd"]
    return [{"agency": code, "agency_name": getattr(agencies.get(code), "title", "") or code,
             "status": rec.status, "decision": rec.decision, "letter_number": rec.letter_number,
             "conditions": list(rec.conditions or ()), "signed_at": _iso(rec.signed_at),
             "letter_url": request.resource_url(rec, "surat.pdf") if rec.letter is not None else None}
            for code, rec in sorted(dossier["rekomendasi"].items())]


def fees_info(request, dossier):
    return [{"skrd_number": item.number, "amount": item.amount, "paid": item.paid(),
             "outstanding": item.outstanding(), "settled": item.outstanding() == 0,
             "due_date": item.due_date.isoformat() if item.due_date else None,
             "pdf_url": request.resource_url(item, "skrd.pdf")}
            for _name, item in sorted(dossier["retribusi"].items())]


def permit_info(request, dossier):
    permit = dossier.permit
    if permit is None:
        return None
    token = getattr(permit, "token", None)
    return {"number": permit.number, "state": permit.state, "issued_at": _iso(permit.issued_at),
            "valid_until": permit.valid_until.isoformat() if permit.valid_until else None,
            "pdf_url": request.resource_url(dossier, "izin.pdf"),
            "verification_url": f"{request.application_url}/verifikasi/{token}" if token else None}


def outcome_info(request, dossier):
    return {"recommendations": recommendations_info(request, dossier),
            "fees": fees_info(request, dossier), "permit": permit_info(request, dossier)}

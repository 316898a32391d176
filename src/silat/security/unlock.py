"""Admins see who is being throttled and lift it: ``/pengguna/percobaan-masuk``
lists recent failures, POST ``/pengguna/buka-kunci`` forgets those of an
account or an address (logged). ``silat users unlock`` does the same."""
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from silat.i18n import _
from silat.interfaces import IPrincipalFolder
from silat.security import throttle
from silat.security.permissions import MANAGE_USERS
from silat.security.principals import utcnow


def rows(principals, now):
    """Live failure records: (kind, name, address, count, seconds to wait)."""
    found = []
    for key, record in principals.failures.items():
        if now - getattr(record, "last", record.first) > throttle.WINDOW:
            continue
        kind, _sep, rest = key.partition(":")
        name, _bar, address = rest.partition("|")
        if kind == "addr":
            name, address = "", rest
        free = {"pair": throttle.FREE_PER_PAIR, "addr": throttle.FREE_PER_ADDRESS,
                "acct": throttle.ACCOUNT_ALERT}.get(kind, throttle.FREE_TRACKING)
        found.append({"kind": kind, "account": name if kind in ("pair", "acct") else "",
                      "address": address, "count": record.count,
                      "wait": int(record.wait(free, now).total_seconds())})
    return sorted(found, key=lambda r: -r["count"])


@view_config(context=IPrincipalFolder, name="percobaan-masuk", permission=MANAGE_USERS,
             renderer="silat:templates/security/throttle.pt")
def throttle_page(context, request):
    return {"title": _("Percobaan masuk yang gagal"), "rows": rows(context, utcnow()),
            "unlock_url": request.resource_url(context, "buka-kunci")}


@view_config(context=IPrincipalFolder, name="buka-kunci", request_method="POST",
             permission=MANAGE_USERS)
def unlock(context, request):
    account = (request.POST.get("account") or "").strip().lower()[:200]
    address = (request.POST.get("address") or "").strip()[:100]
    if account or address:
        count = throttle.unlock(context, account or None, address or None,
                                by=request.user.username)
        request.session.flash(request.localizer.translate(_(
            "Penundaan dicabut (${count} catatan dihapus).", mapping={"count": count})))
    return HTTPSeeOther(request.resource_url(context, "percobaan-masuk"))

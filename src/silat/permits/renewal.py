"""Renewal notices: a permit's holder is told, once, a number of working
days before the permit's validity (from its service standard) ends, with
the link to file a new application for the same service.

``silat.permits.renewal_notice_days`` (working days, default 20) sets how
early; the daily ``silat permits expire`` job sends them.
"""
import datetime as dt

from silat.i18n import _
from silat.permits.registry import registry
from silat.permits.services import WIB, public_base
from silat.workflow.calendar import calendar_for
from silat.workflow.notices import owner_recipient, send, service_title

DEFAULT_DAYS = 20
TEXTS = (_("Izin ${number} akan berakhir pada ${until}"),
         _("Izin ${service} nomor ${number} berlaku sampai ${until}. Bila kegiatan masih "
           "berjalan, ajukan perpanjangan sebelum tanggal itu: ${url}"))


def notice_days(settings):
    try:
        return max(0, int(settings.get("silat.permits.renewal_notice_days", DEFAULT_DAYS)))
    except (TypeError, ValueError):
        return DEFAULT_DAYS


def send_renewal_notices(site, registry_, tm, today=None):
    """Tell the holders of active permits ending within the notice period
    (once per permit); returns the permit numbers told."""
    today = today or dt.datetime.now(WIB).date()
    last = calendar_for(site).add_working_days(today, notice_days(registry_.settings))
    reg = registry(site)
    base = public_base(registry_.settings, None)
    told = []
    for number in reg.ending_between(today, last):
        permit = reg.by_number.get(number)
        if permit is None or permit.state != "active" or getattr(permit, "renewal_noticed", None):
            continue
        recipient, lang = owner_recipient(permit.dossier)
        mapping = {"number": number, "service": service_title(permit),
                   "until": permit.valid_until.strftime("%d-%m-%Y"),
                   "url": f"{base}/layanan/{permit.service_code}"}
        if recipient is not None:
            send(registry_, tm, [(recipient, lang)], TEXTS, mapping, channels=("email", "sms"))
        permit.renewal_noticed = today
        permit.history.append("system", "renewal_notice", "",
                              valid_until=permit.valid_until.isoformat())
        told.append(number)
    return told

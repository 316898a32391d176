"""Who is told what after a transition, and by ``silat sla check``.

A transition declares its audiences (``Transition.notify``): ``owner``
(the applicant or reporter: email and SMS/WhatsApp) and ``responsible``
(the officers whose work the new state is, by ``State.responsible``:
site-wide roles, or for ``reviewer`` the staff of every agency holding
that local role). Texts are Indonesian translation strings rendered in
each person's language.
"""
from pyramid.i18n import make_localizer
from pyramid.interfaces import ILocalizer, ITranslationDirectories
from pyramid.location import lineage
from pyramid.traversal import find_root
from translationstring import TranslationString

from silat.i18n import DEFAULT_LOCALE, LOCALES, _
from silat.notify import notifier
from silat.security.localroles import local_roles
from silat.workflow.engine import workflow_for

AGENCY_ROLES = ("petugas_opd", "kepala_opd")

# transition name -> (subject, body) for the owner; a generic text otherwise
OWNER_TEXTS = {
    "submit": (_("Permohonan ${number} telah diterima"),
               _("Permohonan ${service} Anda dengan nomor pendaftaran ${number} telah diajukan "
                 "dan sedang diperiksa.${due}")),
    "resubmit": (_("Perbaikan permohonan ${number} telah diterima"),
                 _("Perbaikan permohonan ${service} nomor ${number} telah diajukan kembali.${due}")),
    "return": (_("Permohonan ${number} dikembalikan untuk diperbaiki"),
               _("Permohonan ${service} nomor ${number} dikembalikan kepada Anda untuk diperbaiki.\n"
                 "Catatan petugas: ${comment}\n${reasons}Batas waktu dihentikan sementara sampai "
                 "Anda mengajukan kembali.")),
    "approve": (_("Permohonan ${number} disetujui"),
                _("Permohonan ${service} nomor ${number} telah disetujui.${comment_line}")),
    "assess_fee": (_("Retribusi permohonan ${number} telah ditetapkan"),
                   _("Retribusi untuk permohonan ${service} nomor ${number} telah ditetapkan. "
                     "Silakan lakukan pembayaran.")),
    "reject": (_("Permohonan ${number} ditolak"),
               _("Permohonan ${service} nomor ${number} ditolak.\nAlasan: ${comment}")),
    "issue": (_("Izin untuk permohonan ${number} telah terbit"),
              _("${service} untuk permohonan nomor ${number} telah terbit. "
                "Unduh izin Anda di ${link}")),
}
GENERIC = (_("${what} ${number}: ${state}"),
           _("Status ${what} ${number} sekarang: ${state}.${comment_line}"))
NEW_WORK = (_("Pekerjaan baru: ${what} ${number}"),
            _("${what} ${number} (${service}) menunggu tindakan Anda: ${state}.${due}"))
SLA_TEXTS = {
    "due_soon": (_("Mendekati batas waktu: ${what} ${number}"),
                 _("${what} ${number} (${service}) pada tahap \"${state}\" harus selesai paling "
                   "lambat ${due_date} (sisa ${remaining} hari kerja).")),
    "overdue": (_("Melewati batas waktu: ${what} ${number}"),
                _("${what} ${number} (${service}) pada tahap \"${state}\" melewati batas waktu "
                  "${due_date}.")),
}
KINDS = {"application": _("Permohonan"), "permit": _("Izin"), "complaint": _("Pengaduan"),
         "information_request": _("Permohonan informasi")}


def _localizer(registry, lang):
    """The registry's localizer for ``lang``, made once per locale and kept
    as Pyramid keeps a request's (an ``ILocalizer`` utility named by the
    locale): making one reads every catalog file, about 5 ms."""
    name = lang if lang in LOCALES else DEFAULT_LOCALE
    found = registry.queryUtility(ILocalizer, name=name)
    if found is None:
        dirs = registry.queryUtility(ITranslationDirectories, default=[])
        found = make_localizer(name, dirs)
        registry.registerUtility(found, ILocalizer, name=name)
    return found


def number_of(obj):
    return (getattr(obj, "registration_number", None) or getattr(obj, "number", None)
            or obj.__name__)


def service_title(obj):
    standard = getattr(obj, "standard", None)
    if callable(standard):
        return standard().name
    code = getattr(obj, "service_code", None)
    if code:
        service = find_root(obj)["layanan"].get(code)
        return service.title if service is not None else code
    return getattr(obj, "subject", "")


def _users(site):
    return [u for u in site["pengguna"].values() if getattr(u, "active", False)]


def owner_recipient(obj):
    """The applicant or reporter: their account's contacts, else the ones
    given with the application. (recipient dict, language)."""
    site = find_root(obj)
    user = site["pengguna"].get(obj.owner) if getattr(obj, "owner", None) else None
    given = getattr(obj, "applicant", None) or getattr(obj, "reporter", None) or {}
    recipient = {"email": (getattr(user, "email", "") or given.get("email") or "").strip(),
                 "phone": (getattr(user, "phone", "") or given.get("phone") or "").strip()}
    if not recipient["email"] and not recipient["phone"]:
        return None, None
    return recipient, getattr(user, "language", None)


def responsible_users(obj, roles):
    """Active users holding one of ``roles`` (``reviewer``: staff of the
    agencies reviewing ``obj``); ``owner`` is not an officer."""
    site = find_root(obj)
    agencies = set()
    if "reviewer" in roles:
        agencies = {p.split(":", 1)[1] for p, held in local_roles(obj).items()
                    if p.startswith("agency:") and "reviewer" in held}
    wanted = set(roles) - {"owner", "reviewer"}
    found = []
    for user in _users(site):
        held = set(user.roles)
        if held & wanted or (user.agency in agencies and held & set(AGENCY_ROLES)):
            found.append(user)
    return found


def agency_staff(site, codes):
    """Active staff (petugas and kepala OPD) of the agencies ``codes``."""
    return [u for u in _users(site) if u.agency in codes and set(u.roles) & set(AGENCY_ROLES)]


def supervisors(site):
    return [u for u in _users(site) if "pengawas" in u.roles]


def _mapping(obj, request, **extra):
    workflow = workflow_for(obj)
    due = getattr(obj, "due_date", None)
    mapping = {"number": number_of(obj), "service": service_title(obj),
               "what": KINDS.get(workflow.name.split(":")[0], ""),
               "state": workflow.states[obj.state].title,
               "due": "", "due_date": due.strftime("%d-%m-%Y") if due else "-"}
    # the permit's PDF (used by the "issue" text only; the permit may be made after this)
    mapping["link"] = (request.resource_url(obj, "izin.pdf") if request is not None
                       and hasattr(obj, "registration_number") else "")
    if due:
        mapping["due"] = _("\nBatas waktu penyelesaian: ${date}.", mapping={"date": mapping["due_date"]})
    mapping.update(extra)
    return mapping


def _render(localizer, text, mapping):
    done = {k: localizer.translate(v) if isinstance(v, TranslationString) else v
            for k, v in mapping.items()}
    return localizer.translate(text, mapping=done)


def send(registry, tm, people, texts, mapping, channels=("email",)):
    """Render ``texts`` (subject, body) for each person in their language and
    send them; ``people`` are Users or (recipient dict, language) pairs."""
    service = notifier(registry, tm)
    sent = 0
    for person in people:
        recipient, lang = person if isinstance(person, tuple) else (person, person.language)
        localizer = _localizer(registry, lang)
        subject, body = (_render(localizer, t, mapping) for t in texts)
        sent += service.notify([recipient], subject, body, channels)
    return sent


def _reasons(obj):
    checklist = getattr(obj, "checklist", {}) or {}
    bad = getattr(obj, "invalid_requirements", None)
    if not callable(bad):
        return ""
    lines = [f"- {r.name}: {checklist.get(r.key, {}).get('reason') or '-'}" for r in bad()]
    return _("Persyaratan yang perlu diperbaiki:\n${lines}\n", mapping={"lines": "\n".join(lines)}) \
        if lines else ""


def transaction_manager(request, obj):
    if request is not None and getattr(request, "tm", None) is not None:
        return request.tm
    for node in lineage(obj):        # new content has no jar until the commit
        jar = getattr(node, "_p_jar", None)
        if jar is not None:
            return jar.transaction_manager
    return None


def tell(event, registry):
    """Send what ``event``'s transition declares."""
    obj, step, request = event.object, event.transition, event.request
    tm = transaction_manager(request, obj)
    comment = event.comment or ""
    mapping = _mapping(obj, request, comment=comment or "-", reasons=_reasons(obj),
                       comment_line=_("\nCatatan: ${c}", mapping={"c": comment}) if comment else "")
    if "owner" in step.notify:
        recipient, lang = owner_recipient(obj)
        if recipient is not None:
            texts = OWNER_TEXTS.get(step.name, GENERIC) if workflow_for(obj).name.startswith(
                "application") else GENERIC
            send(registry, tm, [(recipient, lang)], texts, mapping, channels=("email", "sms"))
    if "responsible" in step.notify:
        roles = workflow_for(obj).states[event.new_state].responsible
        send(registry, tm, responsible_users(obj, roles), NEW_WORK, mapping)


def tell_sla(registry, tm, obj, mark, people, remaining):
    """Tell ``people`` that ``obj`` became due soon or overdue."""
    mapping = _mapping(obj, None, remaining=str(remaining))
    return send(registry, tm, people, SLA_TEXTS[mark], mapping)

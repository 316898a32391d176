"""History entries told as sentences ("Verifikator menandai Bukti Lunas
PBB sah"), never as raw keys or dicts.

``timeline(obj, request)`` gives the rows of a history, oldest first;
entries only staff need (dispositions, local-role grants, officer
downloads) are marked ``internal`` and left out for the applicant.
"""
from silat.i18n import _
from silat.present import person, rupiah, state_label, when, decision_label, is_officer
from silat.security.roles import BY_ID, LOCAL_ONLY_ROLES

INTERNAL_ACTIONS = {"disposition", "role_granted", "role_revoked", "download"}

DOCUMENTS = {"recommendation": _("surat rekomendasi"), "permit": _("izin")}
LETTERS = {"rejection": _("surat penolakan"), "cancellation": _("surat pembatalan"),
           "freeze": _("surat pembekuan"), "revocation": _("surat pencabutan")}


def _agency(request, code):
    agency = request.root["opd"].get(code) if code and "opd" in request.root else None
    return getattr(agency, "title", "") or code or ""


def _requirement_names(obj):
    try:
        return {r.key: r.name for r in obj.requirements()}
    except Exception:       # not a dossier, or its standard is gone
        return {}


def _role_title(role):
    found = BY_ID.get(role)
    return found.title if found is not None else LOCAL_ONLY_ROLES.get(role, _("peran lain"))


def _principal(request, principal):
    kind, _sep, name = (principal or "").partition(":")
    if kind == "agency":
        return _agency(request, name)
    if kind == "user":
        return person(request, name)
    return name or principal or ""


def _transition(obj, entry, who, t):
    from silat.workflow.engine import workflow_for
    data = entry["data"]
    step = workflow_for(obj).transitions.get(data.get("transition"))
    action = t(step.title) if step is not None else t(_("Perubahan status"))
    return _("${who}: ${action}. Status berubah dari ${old} menjadi ${new}.", mapping={
        "who": who, "action": action, "old": t(state_label(obj, data.get("old_state"))),
        "new": t(state_label(obj, data.get("new_state")))})


def _checklist(obj, entry, who, t, previous):
    names = _requirement_names(obj)
    now = entry["data"].get("checklist") or {}
    parts = []
    for key, item in sorted(now.items()):
        if previous.get(key) == item:
            continue
        name = names.get(key, key)
        if item.get("valid"):
            parts.append(t(_("${who} menandai ${item} sah", mapping={"who": who, "item": name})))
        else:
            parts.append(t(_("${who} menandai ${item} tidak sah: ${reason}", mapping={
                "who": who, "item": name, "reason": item.get("reason") or ""})))
    for key in sorted(set(previous) - set(now)):
        parts.append(t(_("${who} membatalkan pemeriksaan ${item}", mapping={
            "who": who, "item": names.get(key, key)})))
    if not parts:
        return t(_("${who} menyimpan hasil pemeriksaan tanpa perubahan.", mapping={"who": who}))
    return ". ".join(parts) + "."


def sentence(obj, entry, request, previous_checklist=None):
    """One entry as a translated sentence."""
    t = request.localizer.translate
    data, action = entry["data"], entry["action"]
    who = person(request, entry["actor"])
    agency = _agency(request, data.get("agency"))
    step = data.get("step")
    m = {"who": who, "agency": agency, "number": data.get("number") or ""}
    if action == "transition":
        return t(_transition(obj, entry, who, t))
    if action == "checklist":
        return _checklist(obj, entry, who, t, previous_checklist or {})
    if action == "created":
        if data.get("renews"):
            return t(_("${who} membuat permohonan perpanjangan izin ${permit}.",
                       mapping={"who": who, "permit": data["renews"]}))
        return t(_("${who} membuat berkas permohonan.", mapping=m))
    if action == "updated":
        return t(_("${who} mengubah data permohonan.", mapping=m))
    if action == "document_uploaded":
        name = _requirement_names(obj).get(data.get("requirement"), data.get("requirement", ""))
        return t(_("${who} mengunggah ${item} (versi ${version}).", mapping={
            "who": who, "item": name, "version": data.get("version", "")}))
    if action == "recommendation":
        if step == "requested":
            return t(_("Permintaan rekomendasi teknis dikirim kepada ${agency}.", mapping=m))
        if step == "drafted":
            return t(_("${who} menyusun draf rekomendasi ${agency}: ${decision}.", mapping={
                **m, "decision": t(decision_label(data.get("decision")))}))
        if step == "signed":
            return t(_("${who} menandatangani rekomendasi ${agency} nomor ${number}: ${decision}.",
                       mapping={**m, "decision": t(decision_label(data.get("decision")))}))
    if action == "signature":
        document = t(DOCUMENTS.get(data.get("document"), _("dokumen")))
        return t(_("${who} menandatangani ${document} secara elektronik (${number}).",
                   mapping={**m, "document": document}))
    if action == "disposition":
        to = person(request, data.get("to"))
        if step == "sent":
            return t(_("${who} mendisposisikan berkas kepada ${to} (${agency}).",
                       mapping={**m, "to": to}))
        if step == "read":
            return t(_("${who} membaca disposisi.", mapping=m))
        return t(_("${who} menyelesaikan disposisi.", mapping=m))
    if action == "inspection":
        return t(_("${who} mencatat peninjauan lapangan ${agency} tanggal ${date}.",
                   mapping={**m, "date": when(data.get("date"))}))
    if action == "fee":
        if step == "assessed":
            return t(_("${who} menetapkan retribusi ${number} sebesar ${amount}.",
                       mapping={**m, "amount": rupiah(data.get("amount"))}))
        if step == "none":
            return t(_("Tidak ada retribusi yang harus dibayar.", mapping=m))
        return t(_("Retribusi belum dapat dihitung.", mapping=m))
    if action == "payment":
        return t(_("Pembayaran ${amount} untuk ${number} dicatat.",
                   mapping={**m, "amount": rupiah(data.get("amount"))}))
    if action == "pbb_check":
        if data.get("paid"):
            return t(_("${who} memeriksa PBB tahun ${year}: lunas.",
                       mapping={**m, "year": data.get("year", "")}))
        return t(_("${who} memeriksa PBB tahun ${year}: belum terbukti lunas.",
                   mapping={**m, "year": data.get("year", "")}))
    if action in ("role_granted", "role_revoked"):
        m = {**m, "principal": _principal(request, data.get("principal")),
             "role": t(_role_title(data.get("role")))}
        if action == "role_granted":
            return t(_("${who} memberi ${principal} peran ${role}.", mapping=m))
        return t(_("${who} mencabut peran ${role} dari ${principal}.", mapping=m))
    if action == "permit_created":
        return t(_("Izin nomor ${number} dibuat.", mapping=m))
    if action == "renewal":
        return t(_("Perpanjangan diajukan dengan berkas ${registration}.",
                   mapping={"registration": data.get("registration_number", "")}))
    if action == "letter":
        return t(_("${who} menerbitkan ${letter} nomor ${number}.", mapping={
            **m, "letter": t(LETTERS.get(data.get("kind"), _("surat")))}))
    if action == "download":
        return t(_("${who} mengunduh dokumen.", mapping=m))
    return t(_("${who} mencatat kegiatan lain pada berkas.", mapping=m))


def timeline(obj, request, officer=None):
    """Rows {seq, when, who, sentence, note, internal} of ``obj``'s history;
    internal entries and notes only for officers."""
    officer = is_officer(request) if officer is None else officer
    rows, previous = [], {}
    for entry in obj.history:
        internal = entry["action"] in INTERNAL_ACTIONS
        text = sentence(obj, entry, request, previous)
        if entry["action"] == "checklist":
            previous = entry["data"].get("checklist") or {}
        if internal and not officer:
            continue
        rows.append({"seq": entry["seq"], "when": when(entry["at"]),
                     "who": person(request, entry["actor"]), "login": entry["actor"],
                     "sentence": text, "note": entry["comment"], "internal": internal})
    return rows

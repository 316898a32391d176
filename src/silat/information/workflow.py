"""The PPID workflow (public information requests, seed 002 and UU
14/2008): answered within 10 working days, extendable once by 7 with a
written reason; a refusal names the exemption; an objection (keberatan)
against a refusal or a late or missing answer is filed within 30 working
days and answered by the PPID's superior within 30 working days."""
from silat.i18n import _
from silat.security import permissions as P
from silat.workflow.definitions import State, Transition, Workflow

V, H = P.VIEW_DOSSIER, P.HANDLE_COMPLAINTS
OPEN = {"analis_pengaduan": (V, H), "pengawas": (V,), "owner": (V,)}
DONE = {"analis_pengaduan": (V, H), "pengawas": (V,), "owner": (V,)}
READ = {"analis_pengaduan": (V,), "pengawas": (V,), "owner": (V,)}
R = ("analis_pengaduan",)

STATES = (
    State("received", _("Diterima"), OPEN, responsible=R),
    State("extended", _("Diperpanjang"), OPEN, responsible=R),
    State("granted", _("Informasi diberikan"), DONE),
    State("refused", _("Ditolak (informasi dikecualikan)"), DONE),
    State("objection", _("Keberatan diajukan"), OPEN, responsible=R),
    State("objection_answered", _("Keberatan dijawab"), READ, final=True),
)

TRANSITIONS = (
    Transition("extend", _("Perpanjang 7 hari kerja"), ("received",), "extended", H,
               needs_comment=True, notify=("owner",)),
    Transition("grant", _("Berikan informasi"), ("received", "extended"), "granted", H,
               needs_comment=True, notify=("owner",)),
    Transition("refuse", _("Tolak dengan alasan pengecualian"), ("received", "extended"), "refused", H,
               needs_comment=True, notify=("owner",)),
    Transition("object", _("Ajukan keberatan"), ("received", "extended", "granted", "refused"),
               "objection", P.VIEW, needs_comment=True, notify=("responsible",)),
    Transition("answer_objection", _("Jawab keberatan"), ("objection",), "objection_answered", H,
               needs_comment=True, notify=("owner",)),
)

PPID = Workflow.build("ppid", "received", STATES, TRANSITIONS)

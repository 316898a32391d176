"""The workflow of a complaint (pengaduan).

received -> in_progress -> answered -> closed; the reporter may reopen an
answer they find wanting; a complaint that cannot be handled is
dismissed with a reason (and a letter). The clock starts when it is filed.
"""
from silat.i18n import _
from silat.security import permissions as P
from silat.workflow.definitions import State, Transition, Workflow

V, H = P.VIEW_DOSSIER, P.HANDLE_COMPLAINTS
STAFF = {"analis_pengaduan": (V, H), "pengawas": (V,)}
READ = {"analis_pengaduan": (V,), "pengawas": (V,), "owner": (V,)}

STATES = (
    State("received", _("Diterima"), {**STAFF, "owner": (V,)}, responsible=("analis_pengaduan",)),
    State("in_progress", _("Ditindaklanjuti"), {**STAFF, "owner": (V,)},
          responsible=("analis_pengaduan",)),
    State("answered", _("Dijawab"), {**STAFF, "owner": (V, P.SUBMIT)}),
    State("closed", _("Selesai"), READ, final=True),
    State("dismissed", _("Tidak dapat ditindaklanjuti"), READ, final=True),
)

TRANSITIONS = (
    Transition("accept", _("Tindak lanjuti"), ("received",), "in_progress", H, notify=("owner",)),
    Transition("answer", _("Jawab pengaduan"), ("in_progress",), "answered", H, needs_comment=True,
               notify=("owner",)),
    Transition("reopen", _("Ajukan keberatan atas jawaban"), ("answered",), "in_progress", P.SUBMIT,
               needs_comment=True, notify=("responsible",)),
    Transition("close", _("Selesaikan"), ("answered",), "closed", H),
    Transition("dismiss", _("Tidak dapat ditindaklanjuti"), ("received", "in_progress"), "dismissed", H,
               needs_comment=True, notify=("owner",)),
)

COMPLAINT = Workflow.build("complaint", "received", STATES, TRANSITIONS)

"""The workflow of a public information request to the PPID.

received -> in_process -> granted | rejected; the answer may be put off
once by seven working days (``extend``, with a reason: UU 14/2008 art.
22(8)). A rejection names the exemption and produces a letter.
"""
from silat.i18n import _
from silat.security import permissions as P
from silat.workflow.definitions import State, Transition, Workflow

V, H = P.VIEW_DOSSIER, P.HANDLE_COMPLAINTS
STAFF = {"analis_pengaduan": (V, H), "pengawas": (V,), "owner": (V,)}
READ = {"analis_pengaduan": (V,), "pengawas": (V,), "owner": (V,)}
RESPONSIBLE = ("analis_pengaduan",)

STATES = (
    State("received", _("Diterima"), STAFF, responsible=RESPONSIBLE),
    State("in_process", _("Diproses"), STAFF, responsible=RESPONSIBLE),
    State("extended", _("Diperpanjang"), STAFF, responsible=RESPONSIBLE),
    State("granted", _("Informasi diberikan"), READ, final=True),
    State("rejected", _("Ditolak"), READ, final=True),
)

TRANSITIONS = (
    Transition("process", _("Proses permohonan"), ("received",), "in_process", H, notify=("owner",)),
    Transition("extend", _("Perpanjang waktu"), ("in_process",), "extended", H, needs_comment=True,
               clock="extend", notify=("owner",)),
    Transition("grant", _("Berikan informasi"), ("in_process", "extended"), "granted", H,
               notify=("owner",)),
    Transition("reject", _("Tolak permohonan informasi"), ("received", "in_process", "extended"),
               "rejected", H, needs_comment=True, notify=("owner",)),
)

INFORMATION_REQUEST = Workflow.build("information_request", "received", STATES, TRANSITIONS)

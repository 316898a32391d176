"""The workflow of an application dossier (permohonan).

draft -> submitted -> (returned -> submitted)* -> verified
      -> [in_review: technical recommendations] -> approved | awaiting_payment -> approved
      -> issued;  rejected and withdrawn end it early.

The SLA clock starts on submit, pauses on return and resumes on
resubmit; a final state stops it. Rejection and cancellation need a
reason and produce a letter.
"""
from silat.i18n import _
from silat.security import permissions as P
from silat.workflow import guards as G
from silat.workflow.definitions import State, Transition, Workflow

V, E, S = P.VIEW_DOSSIER, P.EDIT_DOSSIER, P.SUBMIT
# read-only in every state; "reviewed": agencies that signed their recommendation
WATCHERS = {"pengawas": (V,), "front_office": (V,), "reviewed": (V,)}
OFFICE = {**WATCHERS, "verifikator": (V,), "penandatangan": (V,)}
CLOSED = {**OFFICE, "owner": (V,), "arsiparis": (V, P.ARCHIVE)}

STATES = (
    State("draft", _("Draf"), {"owner": (V, E, S)}, responsible=("owner",)),
    State("submitted", _("Diajukan"), {**OFFICE, "owner": (V, S), "verifikator": (V, E, P.VERIFY),
                                       "penandatangan": (V, P.DECIDE)},
          responsible=("verifikator",)),
    State("returned", _("Dikembalikan ke pemohon"), {**OFFICE, "owner": (V, E, S)},
          responsible=("owner",)),
    State("verified", _("Terverifikasi"), {**OFFICE, "owner": (V,), "verifikator": (V, P.VERIFY),
                                           "penandatangan": (V, P.DECIDE)},
          responsible=("verifikator", "penandatangan")),
    State("in_review", _("Kajian teknis OPD"), {**OFFICE, "owner": (V,), "verifikator": (V, P.VERIFY),
                                               "reviewer": (V, P.REVIEW, P.APPROVE_RECOMMENDATION),
                                               "penandatangan": (V, P.DECIDE)},
          responsible=("reviewer",)),
    State("awaiting_payment", _("Menunggu pembayaran retribusi"),
          {**OFFICE, "owner": (V,), "verifikator": (V, P.VERIFY), "penandatangan": (V, P.DECIDE)},
          revoke_on_entry=("reviewer",), responsible=("verifikator",)),
    State("approved", _("Disetujui"), {**OFFICE, "owner": (V,), "verifikator": (V, P.VERIFY),
                                       "penandatangan": (V, P.DECIDE, P.SIGN)},
          revoke_on_entry=("reviewer",), responsible=("penandatangan",)),
    State("issued", _("Izin terbit"), CLOSED, revoke_on_entry=("reviewer",), final=True),
    State("rejected", _("Ditolak"), CLOSED, revoke_on_entry=("reviewer",), final=True),
    State("withdrawn", _("Dibatalkan"), CLOSED, revoke_on_entry=("reviewer",), final=True),
)

OWNER, RESP = ("owner",), ("responsible",)

TRANSITIONS = (
    Transition("submit", _("Ajukan"), ("draft",), "submitted", S, (G.requirements_uploaded,),
               clock="start", notify=OWNER + RESP),
    Transition("return", _("Kembalikan ke pemohon"), ("submitted",), "returned", P.VERIFY,
               (G.some_requirement_invalid,), needs_comment=True, clock="pause", notify=OWNER),
    Transition("resubmit", _("Ajukan kembali"), ("returned",), "submitted", S, (G.requirements_uploaded,),
               clock="resume", notify=OWNER + RESP),
    Transition("verify", _("Nyatakan lengkap"), ("submitted",), "verified", P.VERIFY,
               (G.requirements_verified,)),
    Transition("request_review", _("Teruskan ke OPD teknis"), ("verified",), "in_review", P.VERIFY,
               (G.needs_recommendations,), notify=RESP),
    Transition("approve", _("Setujui"), ("verified", "in_review"), "approved", P.DECIDE,
               (G.no_recommendations_needed_or_complete,), notify=OWNER + RESP),
    Transition("assess_fee", _("Tetapkan retribusi (SKRD)"), ("approved",), "awaiting_payment", P.DECIDE,
               (G.fee_outstanding,), notify=OWNER),
    Transition("confirm_payment", _("Konfirmasi pembayaran"), ("awaiting_payment",), "approved", P.VERIFY,
               (G.fee_settled,), notify=RESP),
    Transition("issue", _("Terbitkan izin"), ("approved",), "issued", P.SIGN, (G.fee_settled,),
               notify=OWNER),
    Transition("reject", _("Tolak"), ("submitted", "verified", "in_review", "awaiting_payment", "approved"),
               "rejected", P.DECIDE, needs_comment=True, notify=OWNER, letter="rejection"),
    Transition("withdraw", _("Batalkan permohonan"), ("draft", "submitted", "returned"), "withdrawn", S,
               needs_comment=True, letter="cancellation"),
)

APPLICATION = Workflow.build("application", "draft", STATES, TRANSITIONS)

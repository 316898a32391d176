"""The workflow of an application dossier (permohonan).

draft -> submitted -> (returned -> submitted)* -> verified
      -> [in_review: technical recommendations] -> approved | awaiting_payment -> approved
      -> issued;  rejected and withdrawn end it early.
"""
from silat.i18n import _
from silat.security import permissions as P
from silat.workflow import guards as G
from silat.workflow.definitions import State, Transition, Workflow

V, E, S = P.VIEW_DOSSIER, P.EDIT_DOSSIER, P.SUBMIT
WATCHERS = {"pengawas": (V,), "front_office": (V,)}     # read-only in every state
OFFICE = {**WATCHERS, "verifikator": (V,), "penandatangan": (V,)}
CLOSED = {**OFFICE, "owner": (V,), "arsiparis": (V, P.ARCHIVE)}

STATES = (
    State("draft", _("Draf"), {"owner": (V, E, S)}),
    State("submitted", _("Diajukan"), {**OFFICE, "owner": (V, S), "verifikator": (V, E, P.VERIFY)}),
    State("returned", _("Dikembalikan ke pemohon"), {**OFFICE, "owner": (V, E, S)}),
    State("verified", _("Terverifikasi"), {**OFFICE, "owner": (V,), "verifikator": (V, P.VERIFY),
                                           "penandatangan": (V, P.DECIDE)}),
    State("in_review", _("Kajian teknis OPD"), {**OFFICE, "owner": (V,), "verifikator": (V, P.VERIFY),
                                               "reviewer": (V, P.REVIEW, P.APPROVE_RECOMMENDATION),
                                               "penandatangan": (V, P.DECIDE)}),
    State("awaiting_payment", _("Menunggu pembayaran retribusi"),
          {**OFFICE, "owner": (V,), "verifikator": (V, P.VERIFY), "penandatangan": (V, P.DECIDE)},
          revoke_on_entry=("reviewer",)),
    State("approved", _("Disetujui"), {**OFFICE, "owner": (V,), "penandatangan": (V, P.DECIDE, P.SIGN)},
          revoke_on_entry=("reviewer",)),
    State("issued", _("Izin terbit"), CLOSED, revoke_on_entry=("reviewer",), final=True),
    State("rejected", _("Ditolak"), CLOSED, revoke_on_entry=("reviewer",), final=True),
    State("withdrawn", _("Dibatalkan pemohon"), CLOSED, revoke_on_entry=("reviewer",), final=True),
)

TRANSITIONS = (
    Transition("submit", _("Ajukan"), ("draft",), "submitted", S, (G.requirements_uploaded,)),
    Transition("return", _("Kembalikan ke pemohon"), ("submitted",), "returned", P.VERIFY,
               (G.some_requirement_invalid,), needs_comment=True),
    Transition("resubmit", _("Ajukan kembali"), ("returned",), "submitted", S, (G.requirements_uploaded,)),
    Transition("verify", _("Nyatakan lengkap"), ("submitted",), "verified", P.VERIFY,
               (G.requirements_verified,)),
    Transition("request_review", _("Teruskan ke OPD teknis"), ("verified",), "in_review", P.VERIFY,
               (G.needs_recommendations,)),
    Transition("approve", _("Setujui"), ("verified", "in_review"), "approved", P.DECIDE,
               (G.no_recommendations_needed_or_complete,)),
    Transition("assess_fee", _("Tetapkan retribusi (SKRD)"), ("approved",), "awaiting_payment", P.DECIDE,
               (G.fee_outstanding,)),
    Transition("confirm_payment", _("Konfirmasi pembayaran"), ("awaiting_payment",), "approved", P.VERIFY,
               (G.fee_settled,)),
    Transition("issue", _("Terbitkan izin"), ("approved",), "issued", P.SIGN, (G.fee_settled,)),
    Transition("reject", _("Tolak"), ("submitted", "verified", "in_review", "awaiting_payment", "approved"),
               "rejected", P.DECIDE, needs_comment=True),
    Transition("withdraw", _("Batalkan permohonan"), ("draft", "submitted", "returned"), "withdrawn", S),
)

APPLICATION = Workflow.build("application", "draft", STATES, TRANSITIONS)

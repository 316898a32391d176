"""The complaint SOP (seed 003, Keputusan Bupati Bekasi
HK.02.02/KEP.465/DPMPTSP/2024 annexes III-V) as a workflow.

Each SOP step is a state: the complaint sits in it while the step is
being done, and ``done_<step>`` moves it on. Each step has the SOP's
actor and time standard; minutes and hours count in office hours,
days in working days (``silat.complaints.timing``). The system role that
acts for every SOP actor is the complaint analyst (``analis_pengaduan``).
"""
from dataclasses import dataclass

from silat.catalog.model import Duration
from silat.i18n import _
from silat.security import permissions as P
from silat.workflow.definitions import State, Transition, Workflow

LOKET = _("Petugas Loket Pengaduan")
ANALIS = _("Analis Pengaduan")
KOORDINATOR = _("Koordinator Bidang Pengendalian DPMPTSP")


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    actor: object
    standard: Duration
    public: bool = False      # the complainant is told when it is done


STEPS = (
    Step("register", _("Pencatatan dan registrasi pengaduan"), LOKET, Duration(30, "minutes"), True),
    Step("distribute", _("Pengelompokan dan distribusi per jenis layanan"), LOKET, Duration(10, "minutes")),
    Step("report", _("Penerimaan dan pelaporan ke koordinator"), ANALIS, Duration(10, "minutes")),
    Step("dispose", _("Disposisi pemeriksaan dan penelaahan"), KOORDINATOR, Duration(30, "minutes"), True),
    Step("identify", _("Identifikasi dokumen dan peraturan terkait"), ANALIS, Duration(2, "hours")),
    Step("collect", _("Pengumpulan bahan telaahan"), ANALIS, Duration(2, "working_days")),
    Step("joint_review", _("Telaah bersama perangkat daerah terkait"), KOORDINATOR,
         Duration(3, "working_days"), True),
    Step("draft", _("Penyusunan surat balasan bersama analis hukum"), ANALIS, Duration(1, "hours")),
    Step("review", _("Tinjauan konsep surat balasan"), KOORDINATOR, Duration(30, "minutes")),
    Step("approve", _("Persetujuan surat balasan dalam sistem"), KOORDINATOR, Duration(20, "minutes")),
    Step("send", _("Pengiriman surat balasan"), ANALIS, Duration(60, "minutes"), True),
    Step("archive", _("Pengarsipan berkas pengaduan"), ANALIS, Duration(15, "minutes")),
)
BY_NAME = {s.name: s for s in STEPS}

CATEGORIES = {
    "aspirasi": _("Aspirasi"),
    "pengaduan": _("Pengaduan"),
    "permintaan_informasi": _("Permintaan informasi"),
    "whistleblowing": _("Pengaduan pelanggaran (whistle-blowing)"),
    "bukan_kewenangan": _("Bukan kewenangan (dirujuk)"),
}
CHANNELS = {"loket": _("Loket pengaduan"), "online": _("Daring (pengguna terdaftar)"),
            "anonim": _("Anonim")}

V, H = P.VIEW_DOSSIER, P.HANDLE_COMPLAINTS
OPEN = {"analis_pengaduan": (V, H), "pengawas": (V,), "owner": (V,)}
READ = {"analis_pengaduan": (V,), "pengawas": (V,), "owner": (V,)}


def _build():
    states = [State(s.name, s.title, OPEN, responsible=("analis_pengaduan",)) for s in STEPS]
    states += [State("closed", _("Selesai"), READ, final=True),
               State("referred", _("Dirujuk (bukan kewenangan)"), READ, final=True)]
    transitions = []
    for step, following in zip(STEPS, STEPS[1:] + (None,)):
        transitions.append(Transition(
            f"done_{step.name}", step.title, (step.name,),
            following.name if following else "closed", H,
            needs_comment=step.name == "draft",
            notify=("owner",) if step.public else ()))
    transitions.append(Transition("refer", _("Rujuk ke instansi berwenang"), ("register", "distribute"),
                                  "referred", H, needs_comment=True, notify=("owner",)))
    return Workflow.build("complaint_sop", "register", states, transitions)


COMPLAINT_SOP = _build()

"""The tables of the dashboard and of the periodic report, one definition
each: (name, title, column titles, rows). Exports and the PDF use these."""
from silat.i18n import _
from silat.workflow.application import APPLICATION
from silat.workflow.complaint import COMPLAINT


def stage_title(stage):
    return APPLICATION.states[stage].title


def _none(value):
    return "-" if value is None else value


def tables(figures, translate):
    t = translate
    wd = figures["working_days"]
    summary = [
        (t(_("Diterima")), figures["received"]), (t(_("Izin terbit")), figures["issued"]),
        (t(_("Ditolak")), figures["rejected"]), (t(_("Dibatalkan")), figures["withdrawn"]),
        (t(_("Dalam proses")), figures["in_progress_total"]),
        (t(_("Terlambat saat ini")), figures["overdue"]),
        (t(_("Selesai tepat waktu (%)")), _none(figures["on_time_share"])),
        (t(_("Dikembalikan untuk perbaikan (%)")), _none(figures["returned_rate"])),
        (t(_("Median hari kerja")), _none(wd["median"])), (t(_("Persentil ke-90 hari kerja")), _none(wd["p90"])),
        (t(_("Retribusi ditetapkan (Rp)")), figures["fees"]["assessed"]),
        (t(_("Retribusi dibayar (Rp)")), figures["fees"]["paid"]),
    ]
    sat = figures["satisfaction"]
    summary.append((t(_("Indeks kepuasan masyarakat")), _none(sat and sat.get("index"))))
    out = [("ringkasan", t(_("Ringkasan")), [t(_("Ukuran")), t(_("Nilai"))], summary)]
    out.append(("tahap", t(_("Dalam proses per tahap")), [t(_("Tahap")), t(_("Jumlah"))],
                [(t(stage_title(s)), n) for s, n in figures["in_progress"].items()]))
    out.append(("tunggakan", t(_("Tunggakan per perangkat daerah dan tahap")),
                [t(_("Perangkat daerah")), t(_("Tahap")), t(_("Jumlah"))],
                [(b["agency"], t(stage_title(b["stage"])), b["count"]) for b in figures["backlog"]]))
    out.append(("layanan", t(_("Per layanan")),
                [t(_("Layanan")), t(_("Diterima")), t(_("Izin terbit")), t(_("Ditolak")), t(_("Dibatalkan")),
                 t(_("Tepat waktu (%)")), t(_("Median hari kerja")), t(_("Persentil ke-90 hari kerja"))],
                [(r["service"], r["received"], r["issued"], r["rejected"], r["withdrawn"],
                  _none(r["on_time_share"]), _none(r["working_days"]["median"]),
                  _none(r["working_days"]["p90"])) for r in figures["by_service"]]))
    out.append(("rekomendasi", t(_("Lama rekomendasi teknis per OPD")),
                [t(_("Perangkat daerah")), t(_("Jumlah")), t(_("Median hari kerja")),
                 t(_("Persentil ke-90 hari kerja"))],
                [(r["agency"], r["count"], _none(r["median"]), _none(r["p90"]))
                 for r in figures["recommendation_days"]]))
    out.append(("kecamatan", t(_("Per kecamatan")),
                [t(_("Kecamatan")), t(_("Diterima")), t(_("Izin terbit")), t(_("Tepat waktu (%)"))],
                [(r["kecamatan"], r["received"], r["issued"], _none(r["on_time_share"]))
                 for r in figures["by_kecamatan"]]))
    out.append(("bulan", t(_("Per bulan")),
                [t(_("Bulan")), t(_("Diterima")), t(_("Izin terbit")), t(_("Ditolak")), t(_("Dibatalkan"))],
                [(r["month"], r["received"], r["issued"], r["rejected"], r["withdrawn"])
                 for r in figures["by_month"]]))
    out.append(("pengaduan", t(_("Pengaduan per status")), [t(_("Status")), t(_("Jumlah"))],
                [(t(COMPLAINT.states[s].title) if s in COMPLAINT.states else s, n)
                 for s, n in figures["complaints"].items()]))
    return out

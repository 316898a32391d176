"""Demo accounts, one per role, for a development site."""
from silat.security import accounts

DEMO_PASSWORD = "silat-demo-2026"

# username, role, agency, full name
DEMO_ACCOUNTS = (
    ("pemohon", "pemohon", None, "Budi Santoso (demo)"),
    ("loket", "front_office", None, "Petugas Loket (demo)"),
    ("verifikator", "verifikator", None, "Verifikator Berkas (demo)"),
    ("opd.dinkes", "petugas_opd", "DINKES", "Staf Dinas Kesehatan (demo)"),
    ("kepala.dinkes", "kepala_opd", "DINKES", "Kepala Dinas Kesehatan (demo)"),
    ("opd.distaru", "petugas_opd", "DISTARU", "Staf Dinas Tata Ruang (demo)"),
    ("kepala.distaru", "kepala_opd", "DISTARU", "Kepala Dinas Tata Ruang (demo)"),
    ("penandatangan", "penandatangan", None, "Kepala DPMPTSP (demo)"),
    ("arsiparis", "arsiparis", None, "Arsiparis (demo)"),
    ("pengaduan", "analis_pengaduan", None, "Analis Pengaduan (demo)"),
    ("pengawas", "pengawas", None, "Inspektorat (demo)"),
    ("admin", "admin", None, "Administrator (demo)"),
)


def create_demo_accounts(site):
    """Create the missing demo accounts; return every demo account's row."""
    rows = []
    for username, role, agency, title in DEMO_ACCOUNTS:
        if username not in site["pengguna"]:
            accounts.create_user(site, username, DEMO_PASSWORD, roles=[role], agency=agency,
                                 title=title, email=f"{username}@demo.silat.invalid")
        rows.append((username, DEMO_PASSWORD, role, agency))
    return rows

"""Identity numbers of applicants: NIK (persons) and NIB (companies).

A NIK is 16 digits: province (2), regency/city (2), district (2), birth
date DDMMYY (women add 40 to the day) and a 4-digit sequence. We check its
form and that its parts are plausible; we cannot know that it exists.
A NIB (Nomor Induk Berusaha, OSS) is 13 digits.
"""
import datetime as dt
import re

from silat.i18n import _

# Province codes of Kemendagri (including the Papua provinces formed in 2022).
PROVINCES = {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53,
             61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96}
_DIGITS = re.compile(r"^[0-9]+$")


def _plausible_date(day, month, yy):
    for century in (1900, 2000):
        try:
            born = dt.date(century + yy, month, day)
        except ValueError:
            continue
        if born <= dt.date.today():
            return True
    return False


def nik_problem(value):
    """Why ``value`` is not a plausible NIK (a translation string), or None."""
    value = (value or "").strip()
    if len(value) != 16 or not _DIGITS.match(value):
        return _("NIK harus 16 digit angka.")
    if int(value[0:2]) not in PROVINCES:
        return _("Kode provinsi pada NIK (dua digit pertama) tidak dikenal.")
    if value[2:4] == "00" or value[4:6] == "00":
        return _("Kode kabupaten/kota atau kecamatan pada NIK tidak sah.")
    day, month, yy = int(value[6:8]), int(value[8:10]), int(value[10:12])
    if day > 40:
        day -= 40
    if not _plausible_date(day, month, yy):
        return _("Tanggal lahir pada NIK (digit 7-12) tidak sah.")
    if value[12:] == "0000":
        return _("Nomor urut pada NIK (empat digit terakhir) tidak sah.")
    return None


def nib_problem(value):
    value = (value or "").strip()
    if len(value) != 13 or not _DIGITS.match(value):
        return _("NIB harus 13 digit angka.")
    return None


def identity_problem(kind, value):
    return nik_problem(value) if kind == "person" else nib_problem(value)


def mask(value):
    """``3275**********01``: enough to recognise, not to copy."""
    value = value or ""
    return value[:4] + "*" * max(len(value) - 6, 0) + value[-2:] if len(value) > 6 else value

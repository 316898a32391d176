"""The two survey methods: elements, weights, index and grade.

``skm9``: PermenPANRB 14/2017, nine elements answered 1-4; the index is
the sum of each element's average (NRR) x 1/9, times 25; grades A
88.31-100, B 76.61-88.30, C 65.00-76.60, D 25.00-64.99 (issue 13).

``ikm14``: Kep MENPAN 25/2004, the fourteen elements listed in the BPPT
Renstra (seed 001); weight 1/14, times 25. Its grade bands are not in
the seeds: the defaults below are the bands of Kep MENPAN 25/2004 and
can be replaced by the setting ``silat.survey.ikm14.bands``
("A:81.26,B:62.51,C:43.76,D:25") -- to be configured/confirmed.
"""
from dataclasses import dataclass
from fractions import Fraction

from silat.i18n import _


@dataclass(frozen=True)
class Method:
    name: str
    title: str
    elements: tuple          # (code, Indonesian title)
    bands: tuple             # ((grade, lower bound), ...) highest first

    @property
    def weight(self):
        return Fraction(1, len(self.elements))

    def totals(self, responses):
        """(count, {code: sum of answers}) over ``responses`` (dicts code -> 1..4)."""
        return len(responses), {code: sum(r[code] for r in responses) for code, _t in self.elements}

    def averages_from(self, count, sums):
        """NRR per element code: its sum / the number of responses."""
        if not count:
            return {}
        return {code: Fraction(sums[code], count) for code, _title in self.elements}

    def element_averages(self, responses):
        return self.averages_from(*self.totals(responses))

    def index_from(self, count, sums):
        """The index (25-100), rounded to two decimals, or None without responses:
        sum of NRR x 1/n (the weight), x 25."""
        averages = self.averages_from(count, sums)
        if not averages:
            return None
        return round(float(sum(averages.values()) * self.weight * 25), 2)

    def index(self, responses):
        return self.index_from(*self.totals(responses))

    def grade(self, index):
        if index is None:
            return None
        for grade, lower in self.bands:
            if index >= lower:
                return grade
        return self.bands[-1][0]


SKM9 = Method("skm9", _("SKM 9 unsur (PermenPANRB 14/2017)"), (
    ("u1", _("Persyaratan")),
    ("u2", _("Sistem, mekanisme dan prosedur")),
    ("u3", _("Waktu penyelesaian")),
    ("u4", _("Biaya/tarif")),
    ("u5", _("Produk spesifikasi jenis pelayanan")),
    ("u6", _("Kompetensi pelaksana")),
    ("u7", _("Perilaku pelaksana")),
    ("u8", _("Penanganan pengaduan, saran dan masukan")),
    ("u9", _("Sarana dan prasarana")),
), (("A", 88.31), ("B", 76.61), ("C", 65.00), ("D", 25.00)))

IKM14_ELEMENTS = (
    ("u1", _("Prosedur pelayanan")),
    ("u2", _("Persyaratan pelayanan")),
    ("u3", _("Kejelasan petugas pelayanan")),
    ("u4", _("Kedisiplinan petugas pelayanan")),
    ("u5", _("Tanggung jawab petugas pelayanan")),
    ("u6", _("Kemampuan petugas pelayanan")),
    ("u7", _("Kecepatan pelayanan")),
    ("u8", _("Keadilan mendapatkan pelayanan")),
    ("u9", _("Kesopanan dan keramahan petugas")),
    ("u10", _("Kewajaran biaya pelayanan")),
    ("u11", _("Kepastian biaya pelayanan")),
    ("u12", _("Kepastian jadwal pelayanan")),
    ("u13", _("Kenyamanan lingkungan")),
    ("u14", _("Keamanan pelayanan")),
)
IKM14_DEFAULT_BANDS = (("A", 81.26), ("B", 62.51), ("C", 43.76), ("D", 25.00))


def parse_bands(text):
    """"A:81.26,B:62.51,..." -> (("A", 81.26), ...), highest first."""
    bands = []
    for part in text.split(","):
        grade, lower = part.split(":")
        bands.append((grade.strip(), float(lower)))
    return tuple(sorted(bands, key=lambda b: -b[1]))


def methods(settings=None):
    """name -> Method, with the configured IKM bands."""
    text = (settings or {}).get("silat.survey.ikm14.bands")
    bands = parse_bands(text) if text else IKM14_DEFAULT_BANDS
    ikm = Method("ikm14", _("IKM 14 unsur (Kep MENPAN 25/2004)"), IKM14_ELEMENTS, bands)
    return {"skm9": SKM9, "ikm14": ikm}


def krejcie_morgan(population, chi2=3.841, p=0.5, d=0.05):
    """Krejcie & Morgan (1970) sample size for a population of N."""
    import math
    if population <= 0:
        return 0
    n = chi2 * population * p * (1 - p) / (d * d * (population - 1) + chi2 * p * (1 - p))
    return math.ceil(round(n, 6))

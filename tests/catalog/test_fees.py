"""Fee rules: free, fixed and formula, and formulas that must be refused."""
import time

import pytest

from silat.catalog import fees
from silat.catalog.fees import FeeError, FeeRule, make_rule
from silat.present import rupiah


def test_free_and_fixed_rules():
    assert make_rule({"kind": "free"}).compute() == 0
    assert make_rule({"kind": "fixed", "amount": 150000}).compute({"luas": 99}) == 150000
    assert make_rule(None) is None


def test_formula_area_times_rate_in_whole_rupiah():
    rule = make_rule({"kind": "formula", "formula": "luas_bangunan * 15000 + 25000"})
    assert rule.fields() == ("luas_bangunan",)
    assert rule.compute({"luas_bangunan": 120}) == 1_825_000
    # decimal input as typed in a form (comma), rounded half up to whole rupiah
    assert fees.evaluate("luas * 1000.5", {"luas": "2,5"}) == 2501
    assert fees.evaluate("round(luas / 3) * 100", {"luas": 10}) == 300
    assert fees.evaluate("max(50000, min(luas * 100, 500000))", {"luas": 10}) == 50000
    assert fees.evaluate("-(-luas) * 2", {"luas": 7}) == 14
    assert rule.plain() == {"kind": "formula", "formula": "luas_bangunan * 15000 + 25000"}


@pytest.mark.parametrize("formula", [
    "__import__('os').system('id')",
    "luas.__class__",
    "(lambda: 1)()",
    "9 ** 9 ** 9",
    "luas ** 2",
    "open('/etc/passwd')",
    "eval('1')",
    "[x for x in range(10**9)]",
    "luas if luas else 0",
    "luas < 5",
    "'abc' * 1000",
    "luas; 1",
    "luas[0]",
    "1e300 * luas",
    "round(luas, ndigits=2)",
    "max(*[1, 2])",
    "__builtins__",
    "luas % 7",
    "luas // 2",
    "True + luas",
    "1 + " * 60 + "1",
    "",
])
def test_hostile_or_unsupported_formulas_are_refused(formula):
    with pytest.raises(FeeError) as info:
        make_rule({"kind": "formula", "formula": formula})
    assert str(info.value.message)          # an Indonesian message for the admin


def test_refusal_messages_are_clear_indonesian():
    with pytest.raises(FeeError) as info:
        fees.parse_formula("__import__('os')")
    assert "Fungsi yang boleh dipakai" in info.value.message
    with pytest.raises(FeeError) as info:
        fees.parse_formula("9 ** 9 ** 9")
    assert "hanya + - * /" in info.value.message
    with pytest.raises(FeeError) as info:
        fees.parse_formula("luas.__class__")
    assert "tidak diizinkan" in info.value.message


def test_evaluation_errors_are_refused_not_raised_as_crashes():
    for formula, values, message in [
        ("luas / 0", {"luas": 1}, "membagi dengan nol"),
        ("luas * 1000", {}, "Isian luas diperlukan"),
        ("luas * 1000", {"luas": "banyak"}, "harus berupa angka"),
        ("luas * 1000", {"luas": "1e999"}, "di luar batas"),
        ("0 - luas", {"luas": 5}, "negatif"),
        ("luas * luas * luas * luas", {"luas": 10 ** 14}, "di luar batas"),
    ]:
        with pytest.raises(FeeError) as info:
            fees.evaluate(formula, values)
        assert message in str(info.value)


def test_huge_products_stay_fast():
    start = time.perf_counter()
    with pytest.raises(FeeError):
        fees.evaluate(" * ".join(["luas"] * 30), {"luas": 10 ** 14})
    assert time.perf_counter() - start < 0.5


def test_fixed_amount_must_be_whole_non_negative():
    for amount in (-1, 1.5, "100", True, None):
        with pytest.raises(FeeError):
            make_rule({"kind": "fixed", "amount": amount})
    with pytest.raises(FeeError):
        make_rule({"kind": "gratis"})
    assert FeeRule("fixed", amount=0).compute() == 0
    assert rupiah(1250000) == "Rp 1.250.000"

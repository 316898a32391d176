"""Fee rules (biaya/tarif): free, a fixed amount, or a formula over named
application fields, e.g. ``luas_bangunan * 15000``.

Formulas are parsed with :mod:`ast` and only a whitelist of nodes is
accepted: numbers, field names, ``+ - * /``, parentheses, unary minus and
calls of ``min``, ``max`` and ``round``. Nothing is ever passed to
``eval``; the tree is walked here with :class:`decimal.Decimal` and the
result is whole rupiah.
"""
import ast
import decimal
import re
import threading
from dataclasses import dataclass
from decimal import Decimal

from silat.i18n import _

KINDS = ("free", "fixed", "formula")
MAX_FORMULA_LENGTH = 300
MAX_NODES = 80
MAX_AMOUNT = Decimal(10) ** 15           # a thousand trillion rupiah is surely a mistake
_FIELD = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
_FUNCTIONS = {"min": 2, "max": 2, "round": 1}   # name -> minimum number of arguments
_OPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
        ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b}
_CONTEXT = decimal.Context(prec=34, rounding=decimal.ROUND_HALF_UP, Emax=60, Emin=-60,
                           traps=[decimal.Overflow, decimal.DivisionByZero,
                                  decimal.InvalidOperation])


class FeeError(ValueError):
    """A refused formula or a failed evaluation; ``message`` is a translation string."""

    def __init__(self, message):
        super().__init__(message.interpolate() if hasattr(message, "interpolate") else message)
        self.message = message


@dataclass(frozen=True)
class FeeRule:
    """How the fee of a service is computed."""

    kind: str
    amount: int = None
    formula: str = None

    def fields(self):
        """Names of the application fields the formula reads."""
        return formula_fields(self.formula) if self.kind == "formula" else ()

    def compute(self, values=None):
        """The fee in whole rupiah for an application's ``values``."""
        if self.kind == "free":
            return 0
        if self.kind == "fixed":
            return int(self.amount)
        return evaluate(self.formula, values or {})

    def plain(self):
        out = {"kind": self.kind}
        if self.kind == "fixed":
            out["amount"] = self.amount
        if self.kind == "formula":
            out["formula"] = self.formula
        return out


def make_rule(data):
    """A validated FeeRule from ``{kind, amount?, formula?}`` (None stays None)."""
    if data is None:
        return None
    kind = data.get("kind")
    if kind not in KINDS:
        raise FeeError(_("Jenis biaya tidak dikenal: ${kind}.", mapping={"kind": kind}))
    if kind == "free":
        return FeeRule("free")
    if kind == "fixed":
        amount = data.get("amount")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0 \
                or amount > MAX_AMOUNT:
            raise FeeError(_("Biaya tetap harus berupa bilangan bulat rupiah, tidak negatif."))
        return FeeRule("fixed", amount=amount)
    formula = (data.get("formula") or "").strip()
    parse_formula(formula)
    return FeeRule("formula", formula=formula)


_PARSE_LOCK = threading.Lock()


def parse_formula(text):
    """Check a formula; return its expression tree or raise FeeError."""
    if not isinstance(text, str) or not text.strip():
        raise FeeError(_("Rumus biaya wajib diisi."))
    if len(text) > MAX_FORMULA_LENGTH:
        raise FeeError(_("Rumus biaya terlalu panjang (maksimal ${n} karakter).",
                         mapping={"n": MAX_FORMULA_LENGTH}))
    try:
        # CPython 3.11's AST constructor is not safe in several threads at
        # once ("AST constructor recursion depth mismatch"): parse under a lock.
        with _PARSE_LOCK:
            tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError):
        raise FeeError(_("Rumus biaya tidak dapat dibaca. Gunakan angka, nama isian, "
                         "+ - * / dan tanda kurung."))
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise FeeError(_("Rumus biaya terlalu rumit."))
    for node in nodes:
        _check_node(node)
    return tree.body


def _check_node(node):
    if isinstance(node, (ast.Expression, ast.Load, ast.Add, ast.Sub, ast.Mult, ast.Div,
                         ast.USub, ast.UAdd)):
        return
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _OPS:
            raise FeeError(_("Operator tidak diizinkan dalam rumus biaya: hanya + - * /."))
        return
    if isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise FeeError(_("Operator tidak diizinkan dalam rumus biaya: hanya + - * /."))
        return
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or abs(value) > MAX_AMOUNT:
            raise FeeError(_("Rumus biaya hanya boleh memuat angka (paling besar 10^15)."))
        return
    if isinstance(node, ast.Name):
        if not _FIELD.match(node.id) and node.id not in _FUNCTIONS:
            raise FeeError(_("Nama isian tidak sah dalam rumus biaya: ${name}. Gunakan huruf "
                             "kecil, angka dan garis bawah.", mapping={"name": node.id}))
        return
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in _FUNCTIONS or node.keywords:
            raise FeeError(_("Fungsi yang boleh dipakai dalam rumus biaya hanya min, max "
                             "dan round."))
        if len(node.args) < _FUNCTIONS[name] or (name == "round" and len(node.args) != 1):
            raise FeeError(_("Jumlah argumen fungsi ${name} tidak sesuai.", mapping={"name": name}))
        return
    raise FeeError(_("Rumus biaya memuat unsur yang tidak diizinkan. Gunakan angka, nama "
                     "isian, + - * /, tanda kurung, min, max dan round."))


def formula_fields(text):
    """Sorted names of the fields a (valid) formula reads."""
    body = parse_formula(text)
    called = {id(n.func) for n in ast.walk(body) if isinstance(n, ast.Call)}
    return tuple(sorted({n.id for n in ast.walk(body)
                         if isinstance(n, ast.Name) and id(n) not in called}))


def _number(value, name):
    if isinstance(value, bool):
        raise FeeError(_("Isian ${name} harus berupa angka.", mapping={"name": name}))
    try:
        number = Decimal(str(value).strip().replace(",", ".")) if isinstance(value, str) \
            else Decimal(value)
    except (decimal.InvalidOperation, TypeError, ValueError):
        raise FeeError(_("Isian ${name} harus berupa angka.", mapping={"name": name}))
    if not number.is_finite() or abs(number) > MAX_AMOUNT:
        raise FeeError(_("Isian ${name} di luar batas.", mapping={"name": name}))
    return number


def _eval(node, values):
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        if node.id not in values or values[node.id] in (None, ""):
            raise FeeError(_("Isian ${name} diperlukan untuk menghitung biaya.",
                             mapping={"name": node.id}))
        return _number(values[node.id], node.id)
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, values)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp):
        return _OPS[type(node.op)](_eval(node.left, values), _eval(node.right, values))
    if isinstance(node, ast.Call):
        args = [_eval(a, values) for a in node.args]
        if node.func.id == "round":
            return args[0].quantize(Decimal(1))
        return min(args) if node.func.id == "min" else max(args)
    raise FeeError(_("Rumus biaya memuat unsur yang tidak diizinkan."))   # unreachable


def evaluate(text, values):
    """The fee in whole rupiah (half up) for the given field values."""
    body = parse_formula(text)
    try:
        with decimal.localcontext(_CONTEXT):
            result = _eval(body, values)
            rupiah = result.quantize(Decimal(1))
    except decimal.DivisionByZero:
        raise FeeError(_("Perhitungan biaya membagi dengan nol."))
    except (decimal.Overflow, decimal.InvalidOperation):
        raise FeeError(_("Hasil perhitungan biaya di luar batas."))
    if rupiah < 0:
        raise FeeError(_("Hasil perhitungan biaya negatif."))
    if rupiah > MAX_AMOUNT:
        raise FeeError(_("Hasil perhitungan biaya di luar batas."))
    return int(rupiah)

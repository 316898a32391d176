"""Reading and checking JSON request bodies: the one way every API view
does it.

``json_body(request)`` returns the body as a dict or raises ``ApiError``
(``parse_json`` does the same for JSON sent as a multipart form field):
413 when it is larger than ``MAX_BYTES``, 400 when it is not JSON (also
for ``NaN``/``Infinity``, non-UTF-8 bytes, lone surrogates, NUL and nesting
deeper than ``MAX_DEPTH``), 400 when it is not an object.

``validate(body, spec)`` checks the types of the named keys and raises a
422 ``invalid_input`` error naming each wrong field, so that a list, a
number or an object where a string is expected never reaches the domain
code. A spec maps key -> ``Field``; keys not in the spec are ignored.
"""
import json
import math

from silat.api.errors import ApiError
from silat.i18n import _

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 20


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def depth(value):
    """Nesting depth of a decoded JSON value, without recursion; -1 when a
    string (or key) holds a lone surrogate or NUL, which would break every
    page, feed and PDF that later shows it."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            return level
        if isinstance(item, dict):
            stack.extend((k, level) for k in item)
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
        elif isinstance(item, str) and not _clean(item):
            return -1
    return deepest


def _clean(text):
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def json_body(request, required=True):
    """The request's JSON object. An empty body is ``{}`` unless ``required``
    is false and then also ``{}``: the views check the keys they need."""
    if (request.content_length or 0) > MAX_BYTES:
        raise ApiError(413, "body_too_large", _(
            "Isi permintaan terlalu besar (paling banyak ${n} byte).", mapping={"n": MAX_BYTES}))
    raw = request.body_file.read(MAX_BYTES + 1) if request.content_length is None else request.body
    if len(raw) > MAX_BYTES:
        raise ApiError(413, "body_too_large", _(
            "Isi permintaan terlalu besar (paling banyak ${n} byte).", mapping={"n": MAX_BYTES}))
    return parse_json(raw)


def parse_json(raw):
    """``raw`` (bytes or text) as a JSON object, with the checks of
    ``json_body`` except the size; ``{}`` when blank."""
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "invalid_json", _("Isi permintaan bukan JSON yang sah."))
    except RecursionError:
        body = None
    levels = depth(body) if body is not None else MAX_DEPTH + 1
    if levels > MAX_DEPTH:
        raise ApiError(400, "invalid_json", _(
            "Isi permintaan bersarang terlalu dalam (paling banyak ${n} tingkat).",
            mapping={"n": MAX_DEPTH}))
    if levels < 0:
        raise ApiError(400, "invalid_json", _(
            "Isi permintaan berisi karakter yang tidak sah (surrogate tunggal atau NUL)."))
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_json", _("Isi permintaan harus berupa objek JSON."))
    return body


class Field:
    """One expected key: its kind and limits.

    kind: ``text``, ``text_list``, ``boolean``, ``object`` (a flat object of
    scalars) or ``integer``.
    """

    def __init__(self, kind, required=False, max_length=2000, choices=None, max_items=100):
        self.kind, self.required, self.max_length = kind, required, max_length
        self.choices, self.max_items = choices, max_items

    def problem(self, value):
        """None when ``value`` is acceptable, else a translation string."""
        if self.kind == "text":
            if not isinstance(value, str):
                return _("Harus berupa teks.")
            if self.required and not value.strip():
                return _("Wajib diisi.")
            if len(value) > self.max_length:
                return _("Paling banyak ${n} karakter.", mapping={"n": self.max_length})
            if self.choices is not None and value not in self.choices:
                return _("Pilihan: ${choices}.", mapping={"choices": ", ".join(self.choices)})
        elif self.kind == "text_list":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return _("Harus berupa daftar teks.")
            if len(value) > self.max_items or any(len(v) > self.max_length for v in value):
                return _("Paling banyak ${n} butir, masing-masing ${m} karakter.",
                         mapping={"n": self.max_items, "m": self.max_length})
        elif self.kind == "boolean":
            if not isinstance(value, bool):
                return _("Harus bernilai true atau false.")
        elif self.kind == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                return _("Harus berupa bilangan bulat.")
        elif self.kind == "object":
            if not isinstance(value, dict):
                return _("Harus berupa objek JSON.")
            for item in value.values():
                if not _scalar(item) or (isinstance(item, str) and len(item) > self.max_length):
                    return _("Isinya harus berupa teks, angka atau true/false.")
        return None


def _scalar(value):
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, (str, int, bool))


def validate(body, spec, message=None):
    """Raise a 422 ``invalid_input`` naming every key of ``spec`` whose value
    in ``body`` is missing (when required) or of the wrong type. A key given
    as ``null`` counts as absent."""
    fields = {}
    for key, field in spec.items():
        value = body.get(key)
        if value is None:
            if field.required:
                fields[key] = _("Wajib diisi.")
            continue
        problem = field.problem(value)
        if problem:
            fields[key] = problem
    if fields:
        raise ApiError(422, "invalid_input", message or _("Isian tidak sah."), fields)
    return body

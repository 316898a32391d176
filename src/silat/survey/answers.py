"""Checking survey answers (shared by the form, the kiosk and the API)."""
from silat.i18n import _

MAX_SUGGESTION = 2000


def check_answers(method, answers, suggestion=""):
    """(clean answers, errors): every element answered with 1..4."""
    errors = {}
    clean = {}
    if not isinstance(answers, dict):
        return None, {"answers": _("Jawaban harus berupa objek unsur -> nilai 1-4.")}
    for code, _title in method.elements:
        value = answers.get(code)
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = None
        if value not in (1, 2, 3, 4):
            errors[code] = _("Pilih nilai 1 sampai 4.")
        else:
            clean[code] = value
    unknown = set(answers) - set(clean) - set(errors)
    if unknown:
        errors["answers"] = _("Unsur tidak dikenal: ${codes}.",
                              mapping={"codes": ", ".join(sorted(map(str, unknown)))})
    if not isinstance(suggestion, str) or len(suggestion) > MAX_SUGGESTION:
        errors["suggestion"] = _("Saran paling banyak 2000 karakter.")
    return (clean if not errors else None), errors

"""colander schemas of the admin forms (agencies, service standards),
with every message in Bahasa Indonesia."""
import datetime as dt
import re

import colander
import deform

from silat.catalog import fees
from silat.catalog.model import CATEGORIES, CONFIGURABLE, LABELS, PROVIDERS, TEXT_COMPONENTS, \
    TIME_UNITS, VALIDITY_UNITS
from silat.forms import CSRFSchema
from silat.i18n import _
from silat.resources.site import get_site

REQUIRED = _("Wajib diisi.")
CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,39}$")
KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
CLASSIFICATION = re.compile(r"^[0-9]{3}(\.[0-9]+)*$")
FILE_TYPES = ("pdf", "jpg", "jpeg", "png")
ADD_ITEM = _("Tambah ${subitem_title}")
AGENCY_KINDS = {"dinas": _("Dinas"), "badan": _("Badan"), "sekretariat": _("Sekretariat"),
                "inspektorat": _("Inspektorat"), "kecamatan": _("Kecamatan"),
                "pimpinan": _("Pimpinan Daerah")}


class WholeNumber(colander.SchemaType):
    """A whole number >= 0 typed as text; ``1.000`` is read as 1000."""

    def serialize(self, node, appstruct):
        return colander.null if appstruct in (colander.null, None) else str(appstruct)

    def deserialize(self, node, cstruct):
        if cstruct in (colander.null, None) or not str(cstruct).strip():
            return colander.null
        text = str(cstruct).strip().replace(".", "")
        if not text.isdigit():
            raise colander.Invalid(node, _("Harus berupa bilangan bulat tanpa tanda minus."))
        return int(text)


class Day(colander.SchemaType):
    """A date as ``YYYY-MM-DD`` (the value of an HTML date input)."""

    def serialize(self, node, appstruct):
        return colander.null if appstruct in (colander.null, None) else appstruct.isoformat()

    def deserialize(self, node, cstruct):
        if cstruct in (colander.null, None) or not str(cstruct).strip():
            return colander.null
        try:
            return dt.date.fromisoformat(str(cstruct).strip())
        except ValueError:
            raise colander.Invalid(node, _("Tanggal tidak sah; gunakan format TTTT-BB-HH."))


def _text(title, required=True, area=False, **kw):
    widget = deform.widget.TextAreaWidget(rows=4) if area else deform.widget.TextInputWidget()
    return colander.SchemaNode(colander.String(), title=title, widget=widget,
                               missing=colander.required if required else "",
                               missing_msg=REQUIRED, **kw)


def _sequence(**kw):
    return deform.widget.SequenceWidget(min_len=0, add_subitem_text_template=ADD_ITEM, **kw)


def _choices(mapping):
    return [(key, label) for key, label in mapping.items()]


def _site(kw):
    return get_site(kw["request"])


def _agency_values(node, kw):
    return [(a.code, f"{a.code} - {a.title}") for a in _site(kw)["opd"].values()]


@colander.deferred
def _agency_select(node, kw):
    return deform.widget.SelectWidget(values=[("", _("- pilih -"))] + _agency_values(node, kw))


@colander.deferred
def _agency_checkboxes(node, kw):
    return deform.widget.CheckboxChoiceWidget(values=_agency_values(node, kw), inline=False)


@colander.deferred
def _agency_known(node, kw):
    known = set(_site(kw)["opd"].keys())

    def check(node, value):
        values = value if isinstance(value, (set, list, tuple)) else {value}
        unknown = sorted(set(values) - known)
        if unknown:
            raise colander.Invalid(node, _("Kode OPD tidak dikenal: ${codes}.",
                                           mapping={"codes": ", ".join(unknown)}))
    return check


def _one_of(mapping):
    def check(node, value):
        if value not in mapping:
            raise colander.Invalid(node, _("Pilihan tidak sah."))
    return check


def _pattern(regex, message):
    def check(node, value):
        if not regex.match(value or ""):
            raise colander.Invalid(node, message)
    return check


class DurationSchema(colander.MappingSchema):
    amount = colander.SchemaNode(WholeNumber(), title=_("Jumlah"), missing=None)
    unit = colander.SchemaNode(colander.String(), title=_("Satuan"), missing="",
                               widget=deform.widget.SelectWidget(values=_choices(TIME_UNITS)))
    per = colander.SchemaNode(colander.String(), title=_("Per (mis. kegiatan, usulan)"),
                              missing="")


def _duration_validator(units):
    def check(node, value):
        if value.get("amount") is not None and value.get("unit") not in units:
            raise colander.Invalid(node, _("Pilih satuan waktu."))
        if value.get("amount") == 0:
            exc = colander.Invalid(node, _("Jangka waktu harus lebih dari nol."))
            exc["amount"] = _("Jangka waktu harus lebih dari nol.")
            raise exc
    return check


class ValiditySchema(colander.MappingSchema):
    amount = colander.SchemaNode(WholeNumber(), title=_("Jumlah"), missing=None)
    unit = colander.SchemaNode(colander.String(), title=_("Satuan"), missing="",
                               widget=deform.widget.SelectWidget(values=_choices(VALIDITY_UNITS)))


class FeeSchema(colander.MappingSchema):
    kind = colander.SchemaNode(
        colander.String(), title=_("Jenis biaya"), missing="",
        widget=deform.widget.SelectWidget(values=[
            ("", _("Belum ditetapkan")), ("free", _("Gratis")),
            ("fixed", _("Tarif tetap")), ("formula", _("Rumus"))]))
    amount = colander.SchemaNode(WholeNumber(), title=_("Tarif tetap (rupiah)"), missing=None)
    formula = colander.SchemaNode(
        colander.String(), title=_("Rumus (mis. luas_bangunan * 15000)"), missing="",
        description=_("Angka, nama isian (huruf kecil), + - * /, tanda kurung, min, max, round."))


def _fee_validator(node, value):
    kind = value.get("kind")
    if kind not in ("", "free", "fixed", "formula"):
        raise colander.Invalid(node, _("Pilihan tidak sah."))
    if kind == "fixed" and value.get("amount") is None:
        exc = colander.Invalid(node, _("Isi tarif tetap dalam rupiah."))
        exc["amount"] = _("Isi tarif tetap dalam rupiah.")
        raise exc
    if kind == "formula":
        try:
            fees.parse_formula(value.get("formula"))
        except fees.FeeError as error:
            exc = colander.Invalid(node, error.message)
            exc["formula"] = error.message
            raise exc


class RequirementSchema(colander.MappingSchema):
    key = colander.SchemaNode(
        colander.String(), title=_("Kunci"), missing_msg=REQUIRED,
        description=_("Huruf kecil, angka dan garis bawah; tetap walau nama berubah."),
        validator=_pattern(KEY, _("Kunci hanya huruf kecil, angka dan garis bawah, "
                                  "diawali huruf.")))
    name = _text(_("Nama persyaratan"))
    mandatory = colander.SchemaNode(colander.Boolean(), title=_("Wajib"), missing=False,
                                    widget=deform.widget.CheckboxWidget())
    file_types = colander.SchemaNode(
        colander.Set(), title=_("Jenis berkas yang diterima"), missing=(),
        widget=deform.widget.CheckboxChoiceWidget(values=[(t, t.upper()) for t in FILE_TYPES],
                                                  inline=True))
    provided_by = colander.SchemaNode(
        colander.String(), title=_("Dipenuhi oleh"), validator=_one_of(PROVIDERS),
        missing_msg=REQUIRED, widget=deform.widget.SelectWidget(values=_choices(PROVIDERS)))


def _unique_keys(node, value):
    seen, dupes = set(), set()
    for item in value:
        (dupes if item["key"] in seen else seen).add(item["key"])
    if dupes:
        raise colander.Invalid(node, _("Kunci persyaratan harus unik; ganda: ${keys}.",
                                       mapping={"keys": ", ".join(sorted(dupes))}))


class RequirementsSchema(colander.SequenceSchema):
    requirement = RequirementSchema(title=_("Persyaratan"))


class StepSchema(colander.MappingSchema):
    step = _text(_("Langkah"), area=True)
    actor = _text(_("Pelaksana"), required=False)
    time = _text(_("Waktu"), required=False)
    output = _text(_("Keluaran"), required=False)


class ProcedureSchema(colander.SequenceSchema):
    step = StepSchema(title=_("Langkah prosedur"))


class LegalBasisSchema(colander.SequenceSchema):
    item = _text(_("Peraturan"), area=True)


@colander.deferred
def _code_validator(node, kw):
    catalog = _site(kw)["layanan"]

    def check(node, value):
        if not CODE.match(value or ""):
            raise colander.Invalid(node, _("Kode hanya huruf besar, angka dan tanda hubung "
                                           "(2-40 karakter)."))
        if value in catalog:
            raise colander.Invalid(node, _("Kode ${code} sudah dipakai.", mapping={"code": value}))
    return check


def _not_in_past(node, value):
    if value < dt.date.today():
        raise colander.Invalid(node, _("Tanggal berlaku tidak boleh sebelum hari ini."))


class ServiceSchema(CSRFSchema):
    """Everything an admin edits in a service standard (one revision)."""

    code = colander.SchemaNode(colander.String(), title=_("Kode layanan"),
                               missing_msg=REQUIRED, validator=_code_validator,
                               preparer=lambda v: v.strip().upper() if isinstance(v, str) else v)
    name = _text(_("Nama layanan"))
    category = colander.SchemaNode(
        colander.String(), title=_("Kategori"), missing_msg=REQUIRED,
        validator=_one_of(CATEGORIES),
        widget=deform.widget.SelectWidget(values=[("", _("- pilih -"))] + _choices(CATEGORIES)))
    agency = colander.SchemaNode(colander.String(), title=_("OPD penyelenggara"),
                                 missing_msg=REQUIRED, widget=_agency_select,
                                 validator=_agency_known)
    recommendations_from = colander.SchemaNode(
        colander.Set(), title=_("Rekomendasi teknis dari"), missing=(),
        widget=_agency_checkboxes, validator=_agency_known)
    legal_basis = LegalBasisSchema(title=LABELS["legal_basis"], missing=(),
                                   widget=_sequence())
    requirements = RequirementsSchema(title=LABELS["requirements"], missing=(),
                                      validator=_unique_keys,
                                      widget=_sequence())
    procedure = ProcedureSchema(title=LABELS["procedure"], missing=(),
                                widget=_sequence(orderable=True))
    completion_time = DurationSchema(title=LABELS["completion_time"],
                                     validator=_duration_validator(TIME_UNITS))
    fee = FeeSchema(title=LABELS["fee"], validator=_fee_validator)
    validity = ValiditySchema(title=LABELS["validity"],
                              validator=_duration_validator(VALIDITY_UNITS))
    classification_code = colander.SchemaNode(
        colander.String(), title=LABELS["classification_code"], missing="",
        description=_("Misalnya 503 untuk perizinan."),
        validator=_pattern(CLASSIFICATION, _("Kode klasifikasi berupa tiga angka, boleh diikuti "
                                             "titik dan angka (mis. 503 atau 503.1).")))
    to_configure = colander.SchemaNode(
        colander.Set(), title=_("Komponen yang masih perlu dikonfigurasi"), missing=(),
        description=_("Komponen kosong selalu ditandai belum ditetapkan."),
        widget=deform.widget.CheckboxChoiceWidget(
            values=[(f, LABELS[f]) for f in CONFIGURABLE]))
    notes = _text(_("Catatan"), required=False, area=True)
    effective_date = colander.SchemaNode(
        Day(), title=_("Berlaku mulai"), missing_msg=REQUIRED, validator=_not_in_past,
        widget=deform.widget.TextInputWidget(attributes={"type": "date"}),
        default=colander.deferred(lambda node, kw: dt.date.today()))
    note = _text(_("Keterangan perubahan"), required=False)


ORDER = ("csrf_token", "code", "name", "category", "agency", "recommendations_from",
         "legal_basis", "requirements", "procedure", "completion_time", "fee") + \
    TEXT_COMPONENTS + ("validity", "classification_code", "to_configure", "notes",
                       "effective_date", "note")


def service_schema(adding):
    """The schema in the order of the standard; the code is only asked when adding.

    Bound by ``silat.forms.make_form`` (with ``request``)."""
    schema = ServiceSchema()
    for name in TEXT_COMPONENTS:
        schema.add(_text(LABELS[name], required=False, area=True, name=name))
    nodes = {node.name: node for node in schema.children}
    schema.children[:] = [nodes[name] for name in ORDER if name in nodes]
    if not adding:
        del schema["code"]
    return schema


class OfficialSchema(colander.MappingSchema):
    position = _text(_("Jabatan"))
    name = _text(_("Nama pejabat"), required=False)


class OfficialsSchema(colander.SequenceSchema):
    official = OfficialSchema(title=_("Pejabat"))


@colander.deferred
def _agency_code_validator(node, kw):
    directory = _site(kw)["opd"]

    def check(node, value):
        if not CODE.match(value or ""):
            raise colander.Invalid(node, _("Kode hanya huruf besar, angka dan tanda hubung "
                                           "(2-40 karakter)."))
        if value in directory:
            raise colander.Invalid(node, _("Kode ${code} sudah dipakai.", mapping={"code": value}))
    return check


class AgencySchema(CSRFSchema):
    code = colander.SchemaNode(colander.String(), title=_("Kode OPD"), missing_msg=REQUIRED,
                               validator=_agency_code_validator,
                               preparer=lambda v: v.strip().upper() if isinstance(v, str) else v)
    title = _text(_("Nama OPD"))
    kind = colander.SchemaNode(
        colander.String(), title=_("Jenis"), validator=_one_of(AGENCY_KINDS),
        missing_msg=REQUIRED, widget=deform.widget.SelectWidget(values=_choices(AGENCY_KINDS)))
    recommender = colander.SchemaNode(
        colander.Boolean(), title=_("Menerbitkan rekomendasi teknis"), missing=False,
        widget=deform.widget.CheckboxWidget())
    officials = OfficialsSchema(title=_("Pejabat menurut jabatan"), missing=(),
                                widget=_sequence())


def agency_schema(adding):
    schema = AgencySchema()
    if not adding:
        del schema["code"]
    return schema

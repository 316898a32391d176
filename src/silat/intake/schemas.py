"""colander schemas of intake: the application (built from the service
standard), the document upload, the declaration, the checklist, the
self-registration and the tracking form. The API validates the same
application schema (without the CSRF token)."""
import functools
import re

import colander
import deform

from silat.catalog.loader import kecamatan
from silat.forms import CSRFSchema
from silat.i18n import _
from silat.intake.identity import identity_problem

KINDS = (("person", _("Perorangan (NIK)")), ("company", _("Badan usaha (NIB)")))
_PHONE = re.compile(r"^\+?[0-9][0-9 -]{6,18}[0-9]$")
REQUIRED = _("Wajib diisi.")


def _string(title, required=True, max_length=200, widget=None, **kw):
    kw.setdefault("missing", colander.required if required else "")
    return colander.SchemaNode(colander.String(), title=title, widget=widget,
                               validator=colander.Length(max=max_length),
                               missing_msg=REQUIRED, **kw)


def _check_identity(node, value):
    problem = identity_problem(value.get("kind"), value.get("identity_number"))
    if problem:
        error = colander.Invalid(node)
        error["identity_number"] = problem
        raise error


def _check_phone(node, value):
    if not _PHONE.match(value or ""):
        raise colander.Invalid(node, _("Nomor telepon tidak sah (contoh: 081234567890)."))


class ApplicantSchema(colander.MappingSchema):
    kind = colander.SchemaNode(
        colander.String(), title=_("Jenis pemohon"), missing_msg=REQUIRED,
        validator=colander.OneOf([k for k, _t in KINDS]),
        widget=deform.widget.RadioChoiceWidget(values=KINDS, inline=True))
    name = _string(_("Nama lengkap pemohon / nama badan usaha"))
    identity_number = _string(_("NIK (16 digit) atau NIB (13 digit)"), max_length=20)
    email = colander.SchemaNode(colander.String(), title=_("Email"), missing_msg=REQUIRED,
                                validator=colander.Email(msg=_("Alamat email tidak sah.")))
    phone = colander.SchemaNode(colander.String(), title=_("Nomor telepon"),
                                missing_msg=REQUIRED, validator=_check_phone)
    address = _string(_("Alamat pemohon"), max_length=500,
                      widget=deform.widget.TextAreaWidget(rows=2))
    business_name = _string(_("Nama usaha (jika ada)"), required=False)
    business_type = _string(_("Bidang usaha (jika ada)"), required=False)

    def __init__(self, *args, **kw):
        kw.setdefault("validator", _check_identity)
        super().__init__(*args, **kw)


def kecamatan_choices():
    return [("", _("- pilih kecamatan -"))] + [(k["code"], k["name"]) for k in kecamatan()]


def kelurahan_choices():
    groups = [deform.widget.OptGroup(k["name"], *[(name, name) for name in k["kelurahan"]])
              for k in kecamatan()]
    return [("", _("- pilih kelurahan -"))] + groups


def kelurahan_of(code):
    for k in kecamatan():
        if k["code"] == code:
            return k["kelurahan"]
    return ()


def kecamatan_name(code):
    return next((k["name"] for k in kecamatan() if k["code"] == code), code)


def _check_location(node, value):
    if value.get("kelurahan") not in kelurahan_of(value.get("kecamatan")):
        error = colander.Invalid(node)
        error["kelurahan"] = _("Kelurahan tidak berada di kecamatan yang dipilih.")
        raise error


def _check_kecamatan(node, value):
    if value not in {k["code"] for k in kecamatan()}:
        raise colander.Invalid(node, _("Kecamatan tidak dikenal di Kota Bekasi."))


class LocationSchema(colander.MappingSchema):
    address = _string(_("Alamat lokasi (jalan, nomor, RT/RW)"), max_length=500,
                      widget=deform.widget.TextAreaWidget(rows=2))
    kecamatan = colander.SchemaNode(
        colander.String(), title=_("Kecamatan"), missing_msg=REQUIRED,
        validator=_check_kecamatan,
        widget=deform.widget.SelectWidget(values=kecamatan_choices()))
    kelurahan = colander.SchemaNode(
        colander.String(), title=_("Kelurahan"), missing_msg=REQUIRED,
        widget=deform.widget.SelectWidget(values=kelurahan_choices()))

    def __init__(self, *args, **kw):
        kw.setdefault("validator", _check_location)
        super().__init__(*args, **kw)


def field_title(name):
    return name.replace("_", " ").capitalize()


@functools.lru_cache(maxsize=512)
def _formula_fields(rule):
    return tuple(rule.fields())


def fields_schema(standard):
    """The service's own fields: the values its fee formula reads."""
    return _fields_node(_shape(standard)[1])


def _fields_node(names):
    node = colander.SchemaNode(colander.Mapping(), name="fields", title=_("Data layanan"))
    for name in names:
        node.add(colander.SchemaNode(
            colander.Decimal(), name=name, title=field_title(name), missing_msg=REQUIRED,
            validator=colander.Range(min=0, max=10 ** 9,
                                     min_err=_("Tidak boleh negatif."),
                                     max_err=_("Nilai terlalu besar."))))
    return node


def needs_nop(standard):
    """Services whose officer checks the PBB paid proof (IMB) ask the NOP at filing."""
    from silat.permits.pbb import PBB_REQUIREMENT
    return any(r.key == PBB_REQUIREMENT for r in standard.requirements or ())


def _check_nop(node, value):
    from silat.permits.pbb import normal_nop
    if normal_nop(value) is None:
        raise colander.Invalid(node, _("NOP harus 18 digit."))


def nop_node():
    return colander.SchemaNode(
        colander.String(), name="nop", title=_("NOP PBB tanah lokasi (Nomor Objek Pajak)"),
        description=_("18 digit, tertera pada SPPT PBB, misalnya 32.75.010.001.002-0123.0."),
        missing_msg=REQUIRED, validator=_check_nop,
        preparer=lambda v: v.strip() if isinstance(v, str) else v)


def application_schema(standard, base=colander.MappingSchema):
    """The application form of a service standard."""
    return _application_schema(base, *_shape(standard))


def _shape(standard):
    """What an application schema depends on: (NOP asked, fee formula fields)."""
    rule = standard.fee
    return needs_nop(standard), _formula_fields(rule) if rule is not None else ()


def _application_schema(base, nop, fields):
    schema = base()
    schema.add(ApplicantSchema(name="applicant", title=_("Data pemohon")))
    schema.add(LocationSchema(name="location", title=_("Lokasi")))
    if nop:
        schema["location"].add(nop_node())
    schema.add(_fields_node(fields))
    return schema


def api_application_schema(standard):
    """The application schema of the JSON API. It has no deferred values
    (no CSRF token) and deserializing does not change it, so one schema
    per shape is built once and shared by every request."""
    return _api_schema(*_shape(standard))


@functools.lru_cache(maxsize=256)
def _api_schema(nop, fields):
    return _application_schema(colander.MappingSchema, nop, fields)


def web_application_schema(standard):
    return application_schema(standard, base=CSRFSchema)


def plain_fields(values):
    """Decimals from the form as JSON-friendly numbers."""
    out = {}
    for key, value in (values or {}).items():
        out[key] = int(value) if value == value.to_integral_value() else float(value)
    return out


# -- uploads, declaration, checklist ----------------------------------------

class RequestTmpStore(dict):
    """deform's upload tmpstore for one request only: an upload is checked
    and stored (or refused) within the request that carries it, nothing
    is kept in memory between requests or processes."""

    def preview_url(self, uid):
        return None


def upload_schema(req, limit):
    """One requirement's upload form: the file is checked (size while
    copying, type from its content, PDF/image structure) by the node's
    validator; the checked temporary file is handed on as
    ``value["inspected"]``."""
    from silat.intake.uploads import UploadRefused, inspect

    def check_file(node, value):
        try:
            value["inspected"] = inspect(value["fp"], value.get("filename"), limit,
                                         req.file_types)
        except UploadRefused as exc:
            raise colander.Invalid(node, exc.message)

    schema = CSRFSchema()
    types = ", ".join(t.upper() for t in (req.file_types or ("pdf", "jpg", "png")))
    schema.add(colander.SchemaNode(
        deform.FileData(), name="file", title=_("Berkas (${types})", mapping={"types": types}),
        missing_msg=_("Pilih berkas yang akan diunggah."), validator=check_file,
        widget=deform.widget.FileUploadWidget(RequestTmpStore())))
    return schema


def _check_declared(node, value):
    if value is not True:
        raise colander.Invalid(node, _("Pernyataan wajib disetujui sebelum mengajukan."))


class DeclarationSchema(CSRFSchema):
    declaration = colander.SchemaNode(
        colander.Boolean(), title=_("Pernyataan"),
        label=_("Saya menyatakan bahwa data dan dokumen yang saya sampaikan benar dan sah, "
                "dan saya bersedia menanggung akibat hukum bila tidak benar."),
        validator=_check_declared,
        widget=deform.widget.CheckboxWidget())


# -- self-registration and tracking ------------------------------------------

class RegistrationSchema(CSRFSchema):
    username = colander.SchemaNode(
        colander.String(), title=_("Nama pengguna"),
        validator=colander.Regex(r"^[a-z0-9][a-z0-9._-]{2,39}$", msg=_(
            "3-40 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung.")),
        preparer=lambda v: v.strip().lower() if isinstance(v, str) else v)
    applicant = ApplicantSchema(title=_("Data pemohon"))
    password = colander.SchemaNode(colander.String(), title=_("Kata sandi"),
                                   widget=deform.widget.CheckedPasswordWidget(),
                                   validator=colander.Length(max=500))


class TrackSchema(CSRFSchema):
    nomor = colander.SchemaNode(colander.String(), title=_("Nomor registrasi"),
                                validator=colander.Length(max=40),
                                preparer=lambda v: v.strip().upper() if isinstance(v, str) else v)
    kode = colander.SchemaNode(colander.String(), title=_("Kode lacak"),
                               validator=colander.Length(max=40),
                               preparer=lambda v: v.strip() if isinstance(v, str) else v)

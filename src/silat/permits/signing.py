"""PAdES signatures (pyHanko) on SILAT's PDFs, and their validation.

The signing certificate and key come from ``silat.signing.cert`` and
``silat.signing.key`` (PEM; ``silat.signing.key_passphrase`` optional),
the trust anchor used to validate from ``silat.signing.ca``. When none is
configured, ``silat init`` generates a *development* CA and signing
certificate under ``<silat.var_dir>/signing/`` (never commit them; var/
is ignored by git). A production deployment configures its own
certificate issued by a real CA.
"""
import asyncio
import concurrent.futures
import datetime as dt
import hashlib
import io
import logging
import os
from dataclasses import dataclass

log = logging.getLogger(__name__)

DEV_DIR = "signing"
DEV_FILES = {"ca": "dev-ca.pem", "cert": "signer.pem", "key": "signer-key.pem"}


class SigningNotConfigured(RuntimeError):
    pass


def paths(settings):
    """(cert, key, ca) paths: configured, else the development ones under var/."""
    cert = settings.get("silat.signing.cert")
    key = settings.get("silat.signing.key")
    ca = settings.get("silat.signing.ca")
    if cert and key:
        return cert, key, ca
    var = settings.get("silat.var_dir") or (
        os.path.dirname(settings["silat.secret_file"]) if settings.get("silat.secret_file") else None)
    if not var:
        raise SigningNotConfigured("set silat.signing.cert/key or silat.var_dir")
    base = os.path.join(var, DEV_DIR)
    return (os.path.join(base, DEV_FILES["cert"]), os.path.join(base, DEV_FILES["key"]),
            ca or os.path.join(base, DEV_FILES["ca"]))


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def _name(common_name):
    from cryptography import x509
    from cryptography.x509.oid import NameOID
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Jawa Barat"),
        x509.NameAttribute(NameOID.LOCALITY_NAME, "Kota Bekasi"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pemerintah Kota Bekasi (PENGEMBANGAN)"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def generate_dev_ca(settings, force=False):
    """Create the development CA and signing certificate under var/ unless
    a certificate is configured or they exist. Returns the paths created
    (empty when nothing was done)."""
    if settings.get("silat.signing.cert") and settings.get("silat.signing.key"):
        return []
    cert_path, key_path, ca_path = paths(settings)
    if not force and all(os.path.exists(p) for p in (cert_path, key_path, ca_path)):
        return []
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID

    os.makedirs(os.path.dirname(cert_path), exist_ok=True)
    now = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name("SILAT Development CA")
    ca_cert = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
               .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now).not_valid_after(now + dt.timedelta(days=3650))
               .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                            key_encipherment=False, data_encipherment=False,
                                            key_agreement=False, key_cert_sign=True, crl_sign=True,
                                            encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                              critical=False)
               .sign(ca_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (x509.CertificateBuilder().subject_name(_name("DPMPTSP Kota Bekasi - Penandatangan (dev)"))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=1825))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=False, crl_sign=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM

    def write(path, data, mode=0o644):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(fd, "wb") as out:
            out.write(data)

    write(ca_path, ca_cert.public_bytes(pem))
    write(cert_path, cert.public_bytes(pem))
    write(key_path, key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()), 0o600)
    # the CA key is thrown away: nothing else can ever be issued by this dev CA
    log.warning("generated a DEVELOPMENT signing CA and certificate under %s",
                os.path.dirname(cert_path))
    return [ca_path, cert_path, key_path]


_SIGNERS = {}


def _signer(settings):
    """The signer of the configured key and certificate, loaded once per file version."""
    cert_path, key_path, ca_path = paths(settings)
    try:
        key = (cert_path, key_path, ca_path, os.path.getmtime(cert_path), os.path.getmtime(key_path),
               settings.get("silat.signing.key_passphrase"))
    except OSError:
        key = None
    if key is not None and key in _SIGNERS:
        return _SIGNERS[key]
    signer = _load_signer(settings, cert_path, key_path, ca_path)
    if key is not None:
        _SIGNERS.clear()
        _SIGNERS[key] = signer
    return signer


def _load_signer(settings, cert_path, key_path, ca_path):
    from pyhanko.sign import signers
    if not (os.path.exists(cert_path) and os.path.exists(key_path)):
        raise SigningNotConfigured(
            f"no signing certificate at {cert_path}: run 'silat init' or set silat.signing.cert/key")
    passphrase = settings.get("silat.signing.key_passphrase")
    chain = (ca_path,) if ca_path and os.path.exists(ca_path) else ()
    from silat.permits.signer import caching
    signer = signers.SimpleSigner.load(key_path, cert_path, ca_chain_files=chain,
                                       key_passphrase=passphrase.encode() if passphrase else None)
    return caching(signer)


def sign_pdf(pdf_bytes, settings, reason, location="Kota Bekasi", field_name="TandaTanganElektronik"):
    """Return ``pdf_bytes`` with an invisible PAdES (B-B) signature appended."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    meta = signers.PdfSignatureMetadata(field_name=field_name, reason=reason, location=location,
                                        subfilter=fields.SigSeedSubFilter.PADES,
                                        md_algorithm="sha256")
    signer = _signer(settings)

    def sign():
        try:    # a known reserve saves pyHanko's dummy signing run (half the cost)
            return signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf_bytes)), meta,
                                    signer=signer, bytes_reserved=_reserve(signer))
        except Exception:       # reserve too small for an unusual chain: let pyHanko estimate
            return signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf_bytes)), meta,
                                    signer=signer)

    return outside_event_loop(sign).getvalue()


def outside_event_loop(call):
    """``call()``, in a thread of its own when this thread runs an event loop:
    pyHanko's synchronous API starts its own loop, which cannot start inside
    a running one (an async server, a browser driver)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def _reserve(signer):
    """Bytes for the CMS container: the certificates it embeds, doubled, plus room
    for the signed attributes and the signature value."""
    certs = list(signer.cert_registry) + [signer.signing_cert]
    return 2 * sum(len(c.dump()) for c in certs) + 8192


@dataclass
class SignatureCheck:
    ok: bool
    reason: str              # short code: ok, no_signature, invalid, untrusted, modified, unreadable
    signer: str = ""
    signed_at: object = None


def _load_cert(path):
    from asn1crypto import pem, x509
    with open(path, "rb") as inp:
        data = inp.read()
    if pem.detect(data):
        _type, _headers, data = pem.unarmor(data)
    return x509.Certificate.load(data)


def validate_pdf(pdf_bytes, settings):
    """Check the PDF's (last) signature against the configured trust anchor."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    _cert, _key, ca_path = paths(settings)
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
    except Exception:   # noqa: BLE001 - any parse failure means "not authentic"
        return SignatureCheck(False, "unreadable")
    if not signatures:
        return SignatureCheck(False, "no_signature")
    context = ValidationContext(trust_roots=[_load_cert(ca_path)], allow_fetching=False)
    try:
        status = outside_event_loop(lambda: validate_pdf_signature(signatures[-1], context))
    except Exception:   # noqa: BLE001
        return SignatureCheck(False, "invalid")
    signer = status.signing_cert.subject.human_friendly if status.signing_cert else ""
    if not (status.intact and status.valid):
        return SignatureCheck(False, "invalid", signer)
    if not status.trusted:
        return SignatureCheck(False, "untrusted", signer)
    if status.coverage.name != "ENTIRE_FILE":
        return SignatureCheck(False, "modified", signer)
    return SignatureCheck(True, "ok", signer, status.signer_reported_dt)

"""The caching signer writes the same signature as pyHanko's own signer,
and what it keeps between signatures stays the same objects."""
import io

import time_machine

from silat.pdf import build_pdf, para
from silat.permits import signing
from silat.permits.signer import CachingSigner


def _plain_signer(settings):
    from pyhanko.sign.signers import SimpleSigner
    cert, key, ca = signing.paths(settings)
    return SimpleSigner.load(key, cert, ca_chain_files=(ca,))


def _sign(pdf, signer):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    meta = signers.PdfSignatureMetadata(field_name="TandaTanganElektronik", reason="Izin 1",
                                        location="Kota Bekasi", md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES)
    # outside_event_loop as the app signs: a test before this one in the same
    # worker may leave an event loop running in this thread
    return signing.outside_event_loop(lambda: signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signer,
        bytes_reserved=signing._reserve(signer))).getvalue()


def _signature_parts(pdf):
    """The CMS of the PDF's signature, less what differs between two
    signings of one document (the message digest: pyHanko writes a fresh
    document ID) and the signature value that signs it."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    signed_data = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0].signed_data
    info = signed_data["signer_infos"][0]
    attrs = sorted(a.dump() for a in info["signed_attrs"] if a["type"].native != "message_digest")
    return (attrs, sorted(c.dump() for c in signed_data["certificates"]),
            signed_data["digest_algorithms"].dump(), info["sid"].dump(),
            info["digest_algorithm"].dump(), info["signature_algorithm"].dump(),
            len(info["signature"].native))


def test_same_signature_as_pyhankos_signer_and_validates(settings, signing_ca):
    pdf = build_pdf([para("Keputusan")], title="Izin 1")
    caching = signing._signer(settings)
    assert type(caching) is CachingSigner
    with time_machine.travel("2026-05-04 03:00:00+00:00", tick=False):
        expected = _sign(pdf, _plain_signer(settings))
        first, second = _sign(pdf, caching), _sign(pdf, caching)   # the second from the cache
    assert len(first) == len(second) == len(expected)
    assert _signature_parts(first) == _signature_parts(second) == _signature_parts(expected)
    for signed in (first, second):
        assert signing.validate_pdf(signed, settings).ok


def test_constant_attributes_are_built_once_per_signer(settings, signing_ca):
    signer = signing._signer(settings)
    pdf = build_pdf([para("Keputusan")], title="Izin 1")
    signing.sign_pdf(pdf, settings, reason="Izin 1")
    kept = dict(signer._attribute_cache)
    assert "signing_certificate_v2" in {key[0] for key in kept}
    signed = signing.sign_pdf(build_pdf([para("Lain")], title="Izin 2"), settings, reason="Izin 2")
    assert signer._attribute_cache == kept
    assert all(kept[key] is signer._attribute_cache[key] for key in kept)
    assert signing.validate_pdf(signed, settings).ok

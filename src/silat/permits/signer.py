"""A pyHanko ``SimpleSigner`` that does once what does not change between
signatures.

- pyHanko parses (and checks) the RSA private key again for every
  signature: the parsed key is kept.
- The signing-certificate-v2 and CMS algorithm protection attributes are
  the same in every signature of one certificate and digest algorithm,
  but pyHanko builds them anew each time, and asn1crypto re-encodes a
  freshly built value on every access (a SetOf sorts its members by their
  encoding): three quarters of the cost of a signature. They are built
  once and kept as parsed DER, which encodes to the very same bytes.
"""
from asn1crypto import cms
from pyhanko.sign import attributes
from pyhanko.sign.signers import SimpleSigner


def _constant_key(provider):
    """What a provider's attribute depends on, or None when it may vary
    between signatures (signing time, timestamps, revocation data)."""
    if type(provider) is attributes.SigningCertificateV2Provider:
        return ("signing_certificate_v2", provider.signing_cert.dump())
    if type(provider) is attributes.CMSAlgorithmProtectionProvider:
        return ("cms_algorithm_protection", provider.digest_algo,
                provider.signature_algo.dump())
    return None


class _ParsedAttribute(attributes.CMSAttributeProvider):
    """The attribute of ``provider``, built on first use and kept parsed."""

    def __init__(self, provider):
        self.provider = provider
        self.attribute_type = provider.attribute_type
        self.attribute = None

    async def get_attribute(self, dry_run=False):
        if self.attribute is None:
            built = await self.provider.get_attribute(dry_run=False)
            self.attribute = cms.CMSAttribute.load(built.dump())
        return self.attribute


class CachingSigner(SimpleSigner):
    _pyca_key = None
    _attribute_cache = None

    def sign_raw(self, data, digest_algorithm):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
        from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
        from pyhanko_certvalidator.util import get_pyca_cryptography_hash
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            name = mechanism.signature_algo
        except ValueError:
            name = mechanism["algorithm"].native
        if name != "rsassa_pkcs1v15":
            return super().sign_raw(data, digest_algorithm)
        if self._pyca_key is None:
            self._pyca_key = serialization.load_der_private_key(self.signing_key.dump(),
                                                                password=None)
        if not isinstance(self._pyca_key, RSAPrivateKey):
            return super().sign_raw(data, digest_algorithm)
        return self._pyca_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))

    def _signed_attr_providers(self, *args, **kwargs):
        if self._attribute_cache is None:
            self._attribute_cache = {}
        for provider in super()._signed_attr_providers(*args, **kwargs):
            key = _constant_key(provider)
            if key is None:
                yield provider
                continue
            if key not in self._attribute_cache:
                self._attribute_cache[key] = _ParsedAttribute(provider)
            yield self._attribute_cache[key]


def caching(signer):
    """``signer`` as a CachingSigner when it is a plain SimpleSigner."""
    if signer is not None and type(signer) is SimpleSigner:
        signer.__class__ = CachingSigner
    return signer

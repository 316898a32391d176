"""Password hashing (argon2id) and the password strength policy."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from silat.i18n import _

_hasher = PasswordHasher()


def configure(settings):
    """Set the argon2 cost from ``silat.argon2.*`` settings (defaults are
    argon2-cffi's RFC 9106 profile; tests use a cheaper one)."""
    global _hasher
    costs = {key: int(settings[f"silat.argon2.{key}"])
             for key in ("time_cost", "memory_cost", "parallelism")
             if settings.get(f"silat.argon2.{key}")}
    _hasher = PasswordHasher(**costs)

MIN_LENGTH = 10
_COMMON = {
    "password", "password1", "password123", "passw0rd", "qwerty123",
    "1234567890", "12345678910", "bismillah", "indonesia", "rahasia123",
    "admin12345", "administrator", "silat12345", "bekasi1234", "letmein123",
}


def hash_password(password):
    return _hasher.hash(password)


def verify_password(stored_hash, password):
    """True when ``password`` matches; never raises on a bad hash."""
    if not stored_hash:
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_dummy = None


def verify_dummy(password):
    """Spend the time of a real verification for a login that found no
    user, so the answer time does not tell which accounts exist."""
    global _dummy
    if _dummy is None or _dummy[0] is not _hasher:
        _dummy = (_hasher, _hasher.hash("silat-no-such-user"))
    verify_password(_dummy[1], password)
    return False


def needs_rehash(stored_hash):
    return _hasher.check_needs_rehash(stored_hash)


def weakness(password, username=""):
    """Return why ``password`` is too weak (a translation string), or None."""
    if len(password) < MIN_LENGTH:
        return _("Kata sandi minimal ${n} karakter.", mapping={"n": MIN_LENGTH})
    lowered = password.lower()
    if lowered in _COMMON or len(set(lowered)) < 4:
        return _("Kata sandi terlalu mudah ditebak.")
    if username and username.lower() in lowered:
        return _("Kata sandi tidak boleh memuat nama pengguna.")
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        return _("Kata sandi harus memuat huruf dan angka.")
    return None

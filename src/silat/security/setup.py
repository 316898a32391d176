"""Session, CSRF and security-policy configuration."""
import os
import secrets

from pyramid.session import SignedCookieSessionFactory
from pyramid.settings import asbool

from silat.resources import history
from silat.security import passwords
from silat.security.policy import SecurityPolicy, get_user


def load_secret(settings):
    """The signing secret: from the settings, else from a file under var/
    that is created (mode 0600) on first use."""
    secret = settings.get("silat.secret", "").strip()
    if secret:
        return secret
    path = settings.get("silat.secret_file")
    if not path:
        raise ValueError("set silat.secret or silat.secret_file")
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    with open(path) as inp:
        return inp.read().strip()


def includeme(config):
    settings = config.get_settings()
    settings["silat.secure_cookies"] = asbool(settings.get("silat.secure_cookies", False))
    settings["silat.session_idle_seconds"] = int(settings.get("silat.session_idle_seconds", 8 * 3600))
    secret = load_secret(settings)
    history.configure(secret)       # seals the dossiers' history entries
    config.set_session_factory(SignedCookieSessionFactory(
        secret, cookie_name="silat_session", httponly=True, samesite="Lax",
        secure=settings["silat.secure_cookies"], timeout=None, reissue_time=None,
        hashalg="sha512"))
    passwords.configure(settings)
    config.set_default_csrf_options(require_csrf=True, token="csrf_token", header="X-CSRF-Token")
    config.set_security_policy(SecurityPolicy())
    config.add_request_method(get_user, "user", reify=True)
    config.scan("silat.security.views")
    config.scan("silat.security.admin")
    config.scan("silat.security.unlock")
    config.scan("silat.security.hiding")

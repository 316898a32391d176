"""Users and groups stored in ZODB (``/pengguna``)."""
import datetime as dt

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from zope.interface import implementer

from silat.interfaces import IGroup, IPrincipalFolder, IUser
from silat.resources.folder import Folder
from silat.security import passwords
from silat.security.roles import BY_ID, role_principal


def utcnow():
    return dt.datetime.now(dt.timezone.utc)


def user_principal(username):
    return f"user:{username}"


def agency_principal(code):
    return f"agency:{code}"


def group_principal(name):
    return f"group:{name}"


@implementer(IUser)
class User(Persistent):
    """A person who can log in. Agency-bound roles are also granted as
    local roles on the agency's folder (see ``security.accounts``)."""

    __name__ = None
    __parent__ = None
    language = None
    # self-registered applicants (intake); class defaults keep older records valid
    phone = ""
    identity_kind = None        # "person" (NIK) or "company" (NIB)
    identity_number = ""        # NIK or NIB: private, never on public pages
    email_confirmed = True      # False until a self-registered applicant confirms
    confirm_token_hash = None   # sha256 of the emailed confirmation token
    confirm_expires = None

    def __init__(self, username, title="", email="", roles=(), agency=None):
        self.username = username
        self.title = title or username
        self.email = email
        self.roles = tuple(sorted(set(roles)))
        self.agency = agency
        self.groups = ()
        self.active = True
        self.password_hash = None
        self.created = utcnow()
        self.session_epoch = 0

    def set_password(self, password):
        self.password_hash = passwords.hash_password(password)
        self.session_epoch += 1    # logs out every other session

    def check_password(self, password):
        ok = self.active and passwords.verify_password(self.password_hash, password)
        if ok and passwords.needs_rehash(self.password_hash):
            self.password_hash = passwords.hash_password(password)
        return ok

    def principals(self):
        """Principals this user holds everywhere (not local roles)."""
        found = [user_principal(self.username)]
        found += [group_principal(g) for g in self.groups]
        if self.agency:
            found.append(agency_principal(self.agency))
        found += [role_principal(r) for r in self.roles
                  if r in BY_ID and not BY_ID[r].agency_bound]
        return found


@implementer(IGroup)
class Group(Persistent):
    def __init__(self, name, title=""):
        self.name = name
        self.title = title or name


@implementer(IPrincipalFolder)
class PrincipalFolder(Folder):
    """Users by username, plus groups, API tokens and login failures."""

    def __init__(self, title=""):
        super().__init__(title)
        self.groups = OOBTree()
        self.tokens = OOBTree()      # sha256(token) -> ApiToken
        self.failures = OOBTree()    # throttle key -> FailureRecord
        self.by_email = OOBTree()    # lower-cased email -> username

    def find(self, login):
        """Find a user by username or email, case-insensitively."""
        login = (login or "").strip().lower()
        user = self.get(login)
        if user is None and login in self.by_email:
            user = self.get(self.by_email[login])
        return user

    def add_user(self, user):
        self.add(user.username, user)
        if user.email:
            self.by_email[user.email.lower()] = user.username
        return user

"""Console accounts: roles, local sign-in (password + TOTP), rate limit of sign-in attempts, audit.

A local account is a Django user whose username is the e-mail, with a :class:`StaffProfile` (role)
and a confirmed TOTP device (django-otp). ProConnect users sign in through OpenID Connect instead
(see :mod:`barometre.apps.console.oidc`); they need an account with a role all the same.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from barometre.apps.console.models import Role, StaffProfile
from barometre.apps.editions.models import AuditEntry, Edition, Response
from barometre.core.errors import BarometreError, NotFound

#: Failed sign-ins allowed per address (and per e-mail) within the window before answering 429.
MAX_FAILED_SIGNINS = 10
SIGNIN_WINDOW_SECONDS = 15 * 60
#: Session key set once the second factor (TOTP, or the OpenID provider) was checked.
VERIFIED_SESSION_KEY = "barometre_console_verified"


class AccountError(BarometreError):
    """A console account cannot be created or changed as asked."""


@dataclass(frozen=True)
class CreatedAccount:
    email: str
    role: str
    password: str | None
    totp_uri: str


def normalize_email(email: str) -> str:
    return email.strip().lower()


def create_user(email: str, role: str, *, password: str | None = None) -> CreatedAccount:
    """Create a console account with a TOTP device; return the password (if generated) and its otpauth URI.

    The URI is shown once (to enrol the authenticator app); a second call for the same e-mail fails.
    """
    email = normalize_email(email)
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise AccountError(f"adresse e-mail invalide : « {email} »")
    if role not in Role.values:
        raise AccountError(f"rôle inconnu : « {role} » (admin, analyst ou viewer)")
    user_model = get_user_model()
    if user_model.objects.filter(username=email).exists():
        raise AccountError(f"le compte {email} existe déjà")
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    with transaction.atomic():
        user = user_model.objects.create_user(username=email, email=email, password=password)
        StaffProfile.objects.create(user=user, role=role)
        device = TOTPDevice.objects.create(user=user, name="application", confirmed=True)
    return CreatedAccount(email, role, password if generated else None, device.config_url)


def list_users() -> list[dict[str, object]]:
    rows = []
    for profile in StaffProfile.objects.select_related("user").order_by("user__username"):
        rows.append(
            {
                "email": profile.user.get_username(),
                "role": profile.role,
                "active": profile.user.is_active,
                "last_login": profile.user.last_login,
            }
        )
    return rows


def set_role(email: str, role: str) -> None:
    if role not in Role.values:
        raise AccountError(f"rôle inconnu : « {role} »")
    n = StaffProfile.objects.filter(user__username=normalize_email(email)).update(role=role)
    if not n:
        raise NotFound(f"compte inconnu : {email}")


# --------------------------------------------------------------------------- sign-in rate limit


def _key(kind: str, value: str) -> str:
    window = int(time.time() // SIGNIN_WINDOW_SECONDS)
    return f"barometre:console:signin:{kind}:{window}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def signin_blocked(ip: str, email: str) -> bool:
    return any(int(cache.get(_key(k, v), 0)) >= MAX_FAILED_SIGNINS for k, v in (("ip", ip), ("email", email)))


def record_failed_signin(ip: str, email: str) -> None:
    for kind, value in (("ip", ip), ("email", email)):
        key = _key(kind, value)
        cache.add(key, 0, timeout=SIGNIN_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=SIGNIN_WINDOW_SECONDS)


def check_local_signin(email: str, password: str, code: str) -> User | None:
    """The user whose password and current TOTP code match, or None."""
    from django.contrib.auth import authenticate

    user = authenticate(username=normalize_email(email), password=password)
    if not isinstance(user, User) or not hasattr(user, "staff"):
        return None
    code = code.strip().replace(" ", "")
    if not code.isdigit():
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            return user
    return None


# --------------------------------------------------------------------------- audit


def actor_of(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    return user.get_username() if user is not None and user.is_authenticated else "anonyme"


def audit(
    request: HttpRequest | None,
    action: str,
    *,
    edition: Edition | None = None,
    response: Response | None = None,
    reason: str = "",
    actor: str | None = None,
) -> AuditEntry:
    """Record a console action (who, when, what, which edition or response)."""
    who = actor or (actor_of(request) if request is not None else "cli")
    return AuditEntry.objects.create(actor=who, action=action, edition=edition, response=response, reason=reason)

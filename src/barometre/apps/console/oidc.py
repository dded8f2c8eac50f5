"""Sign-in with ProConnect (OpenID Connect) through mozilla-django-oidc, configured from the environment.

``OIDC_OP_ISSUER`` names the provider; its endpoints come from its discovery document
(``/.well-known/openid-configuration``), fetched on first use and kept for the process, unless
given one by one (``OIDC_OP_AUTHORIZATION_ENDPOINT``, ``OIDC_OP_TOKEN_ENDPOINT``, ``OIDC_OP_USER_ENDPOINT``,
``OIDC_OP_JWKS_ENDPOINT``). Only an existing, active console account with the same e-mail may sign
in (no account is created): the role stays decided by an administrator. The provider checked the
person, so the session counts as verified (no TOTP asked).
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from barometre.apps.console.accounts import VERIFIED_SESSION_KEY, audit
from barometre.core.errors import BarometreError

#: Setting → key of the discovery document.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_lock = threading.Lock()
_discovered: dict[str, dict[str, Any]] = {}


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def discovery() -> dict[str, Any]:
    issuer = str(getattr(settings, "OIDC_OP_ISSUER", "")).rstrip("/")
    if not issuer:
        raise BarometreError("OIDC_OP_ISSUER non défini : pas de connexion OpenID Connect")
    with _lock:
        if issuer not in _discovered:
            import requests

            response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
            response.raise_for_status()
            _discovered[issuer] = response.json()
        return _discovered[issuer]


def setting(attr: str, *args: Any) -> Any:
    """A mozilla-django-oidc setting; endpoints not set explicitly come from the discovery document."""
    if attr in ENDPOINTS and not getattr(settings, attr, ""):
        return discovery()[ENDPOINTS[attr]]
    return import_from_settings(attr, *args)


class ConsoleOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        if attr in ENDPOINTS and not getattr(settings, attr, ""):
            return ""  # resolved when a provider's answer is actually being checked
        return import_from_settings(attr, *args)

    def authenticate(self, request: Any, **kwargs: Any) -> Any:
        if request is None or not enabled() or not request.GET.get("code"):
            return None  # a local sign-in (password + TOTP) or nothing to do with OpenID Connect
        self.OIDC_OP_TOKEN_ENDPOINT = setting("OIDC_OP_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = setting("OIDC_OP_USER_ENDPOINT")
        self.OIDC_OP_JWKS_ENDPOINT = setting("OIDC_OP_JWKS_ENDPOINT")
        return super().authenticate(request, **kwargs)

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        email = str(claims.get("email", "")).strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True, staff__isnull=False)


class ConsoleOIDCRequestView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return setting(attr, *args)


class ConsoleOIDCCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        self.request.session[VERIFIED_SESSION_KEY] = "oidc"
        audit(self.request, "signin", reason="OpenID Connect")
        return response

"""Who may open what: secret links resolved to one response, failed lookups rate-limited.

Every portal view receives the invitation resolved from the token of its URL and
reaches objects only through it (its response, its sections, its delegations).
Unknown, expired, revoked and tampered tokens all give the same plain 404 page;
after ``MAX_FAILED_LOOKUPS`` failures from one IP address within the window, every
lookup from that address gets a plain 429 page until the window ends.
Tokens are never logged.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from barometre.apps.portal.models import Invitation
from barometre.apps.portal.services import FAILED_LOOKUP_WINDOW_SECONDS, MAX_FAILED_LOOKUPS


def client_ip(request: HttpRequest) -> str:
    """The peer address (a proxy in front must pass the real one in REMOTE_ADDR)."""
    return str(request.META.get("REMOTE_ADDR", ""))


def _counter_key(ip: str) -> str:
    window = int(time.time() // FAILED_LOOKUP_WINDOW_SECONDS)
    digest = hashlib.sha256(ip.encode("utf-8")).hexdigest()[:32]
    return f"barometre:portal:failed:{window}:{digest}"


def failed_lookups(ip: str) -> int:
    return int(cache.get(_counter_key(ip), 0))


def record_failed_lookup(ip: str) -> int:
    key = _counter_key(ip)
    cache.add(key, 0, timeout=FAILED_LOOKUP_WINDOW_SECONDS)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=FAILED_LOOKUP_WINDOW_SECONDS)
        return 1


def too_many_attempts(request: HttpRequest) -> HttpResponse:
    response = render(request, "portal/429.html", status=429)
    response["Retry-After"] = str(FAILED_LOOKUP_WINDOW_SECONDS)
    return response


def with_invitation(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve ``token`` from the URL into ``request.invitation`` (404/429 otherwise)."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        ip = client_ip(request)
        if failed_lookups(ip) >= MAX_FAILED_LOOKUPS:
            return too_many_attempts(request)
        invitation = Invitation.resolve(token)
        if invitation is None:
            record_failed_lookup(ip)
            raise Http404()
        request.invitation = invitation  # type: ignore[attr-defined]
        request.portal_token = token  # type: ignore[attr-defined]
        return view(request, invitation, *args, **kwargs)

    return wrapper

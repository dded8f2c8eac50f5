"""Who may open what: secret links resolved to one response, failed lookups rate-limited.

Every portal view receives the invitation resolved from the token of its URL and
reaches objects only through it (its response, its sections, its delegations).
Unknown, expired, revoked and tampered tokens all give the same 404 page, which says how to get a
new link and whom to ask (the help contact of the edition open for collection, never one derived
from the token: the page reveals nothing about whether a link exists).

The rate limit protects without locking anyone out:

- failures are counted in the shared cache (``default``: Redis with several processes), per
  client (its address, an IPv6 client by its /64 network) and per token prefix (guesses at
  one link's secret from many addresses);
- past ``MAX_FAILED_LOOKUPS`` failures of a client, or ``MAX_FAILED_LOOKUPS_PER_PREFIX``
  failures on a prefix, within the window, further failed lookups answer 429 instead of 404;
- a valid link always opens, whatever the counts: a respondent behind the same proxy or
  NAT as an attacker is never locked out (a 192-bit secret cannot be guessed anyway);
- the client address is ``REMOTE_ADDR``, unless that peer is one of ``TRUSTED_PROXIES``:
  then the right-most address of ``X-Forwarded-For`` that is not a trusted proxy.

Tokens are never logged; cache keys hold hashes of addresses and prefixes only. Every page
opened with a link answers ``Cache-Control: no-store, private``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from barometre.apps.portal.models import Invitation
from barometre.apps.portal.services import FAILED_LOOKUP_WINDOW_SECONDS, MAX_FAILED_LOOKUPS
from barometre.core import tokens

#: Failed lookups allowed on one token prefix (whatever the address) within the window.
MAX_FAILED_LOOKUPS_PER_PREFIX = 10

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_proxies() -> list[IpNetwork]:
    return [ipaddress.ip_network(p, strict=False) for p in getattr(settings, "TRUSTED_PROXIES", [])]


def _parse_ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address: the peer, or what trusted proxies say in ``X-Forwarded-For``."""
    peer = str(request.META.get("REMOTE_ADDR", ""))
    proxies = trusted_proxies()

    def trusted(value: str) -> bool:
        ip = _parse_ip(value)
        return ip is not None and any(ip in net for net in proxies)

    if not proxies or not trusted(peer):
        return peer
    forwarded = [a.strip() for a in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if a.strip()]
    for address in reversed(forwarded):
        if not trusted(address):
            return address if _parse_ip(address) is not None else peer
    return forwarded[0] if forwarded else peer


def client_key(ip: str) -> str:
    """What one client is counted as: its IPv4 address, its IPv6 /64 network."""
    parsed = _parse_ip(ip)
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is None:
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed.ipv4_mapped if isinstance(parsed, ipaddress.IPv6Address) else parsed or ip)


def _counter_key(kind: str, value: str) -> str:
    window = int(time.time() // FAILED_LOOKUP_WINDOW_SECONDS)
    digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:32]
    return f"barometre:portal:failed:{window}:{kind}:{digest}"


def _keys(ip: str, prefix: str) -> list[tuple[str, int]]:
    keys = [(_counter_key("client", client_key(ip)), MAX_FAILED_LOOKUPS)]
    if prefix:
        keys.append((_counter_key("prefix", prefix), MAX_FAILED_LOOKUPS_PER_PREFIX))
    return keys


def _incr(key: str) -> int:
    cache.add(key, 0, timeout=FAILED_LOOKUP_WINDOW_SECONDS)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=FAILED_LOOKUP_WINDOW_SECONDS)
        return 1


def failed_lookups(ip: str, prefix: str = "") -> int:
    """Failures so far in this window of client ``ip`` (and of ``prefix`` when given: the larger)."""
    counts = cache.get_many([k for k, _limit in _keys(ip, prefix)])
    return max((int(v) for v in counts.values()), default=0)


def is_throttled(ip: str, prefix: str = "") -> bool:
    counts = cache.get_many([k for k, _limit in _keys(ip, prefix)])
    return any(int(counts.get(k, 0)) >= limit for k, limit in _keys(ip, prefix))


def record_failed_lookup(ip: str, prefix: str = "") -> int:
    """Count one failed lookup of client ``ip`` (and on token ``prefix``); return the client's count."""
    counts = [_incr(k) for k, _limit in _keys(ip, prefix)]
    return counts[0]


def too_many_attempts(request: HttpRequest) -> HttpResponse:
    response = render(request, "portal/429.html", status=429)
    response["Retry-After"] = str(FAILED_LOOKUP_WINDOW_SECONDS)
    return response


def link_not_found(request: HttpRequest) -> HttpResponse:
    """The one page of a link that does not open (unknown, mistyped, expired, revoked)."""
    from barometre.apps.portal.landing import help_contact

    response = render(request, "portal/invalid_link.html", {"contact": help_contact()}, status=404)
    patch_cache_control(response, no_store=True, private=True)
    return response


def with_invitation(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve ``token`` from the URL into ``request.invitation`` (404/429 otherwise)."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        invitation = Invitation.resolve(token)
        if invitation is None:
            ip = client_ip(request)
            prefix = tokens.prefix_of(token) if tokens.is_well_formed(token) else ""
            throttled = is_throttled(ip, prefix)
            record_failed_lookup(ip, prefix)
            if throttled:
                return too_many_attempts(request)
            return link_not_found(request)
        request.invitation = invitation  # type: ignore[attr-defined]
        request.portal_token = token  # type: ignore[attr-defined]
        response = view(request, invitation, *args, **kwargs)
        # Personal pages (answers, names, results, links): never kept by a browser or a proxy.
        patch_cache_control(response, no_store=True, private=True)
        return response

    return wrapper

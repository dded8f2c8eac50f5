"""CSRF protection compatible with ``Referrer-Policy: no-referrer``.

With that policy (required so that a respondent's secret link never leaks in
a Referer header) browsers send ``Origin: null`` and no Referer on form
posts, so Django's origin and referer checks would refuse every legitimate
POST. This middleware treats a ``null`` Origin as an absent one and skips the
HTTPS referer check in that case only. The CSRF token check (cookie + form
token, compared in constant time by Django) still applies to every POST, and
the cookie is ``SameSite=Lax`` so it is not sent on cross-site posts.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware


class NullOriginCsrfViewMiddleware(CsrfViewMiddleware):
    def process_view(self, request: HttpRequest, callback: Any, callback_args: Any, callback_kwargs: Any) -> Any:
        if request.META.get("HTTP_ORIGIN") == "null":
            del request.META["HTTP_ORIGIN"]
            request._barometre_null_origin = True  # type: ignore[attr-defined]
        return super().process_view(request, callback, callback_args, callback_kwargs)

    def _check_referer(self, request: HttpRequest) -> None:
        if getattr(request, "_barometre_null_origin", False) and "HTTP_REFERER" not in request.META:
            return
        super()._check_referer(request)  # type: ignore[misc]  # private in Django, so absent from its stubs

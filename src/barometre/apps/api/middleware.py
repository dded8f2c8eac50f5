"""Caching headers of the public API."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers


class ApiCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/") and request.method in ("GET", "HEAD"):
            if response.status_code == 200:
                patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
            else:
                patch_cache_control(response, no_store=True)
            patch_vary_headers(response, ["Accept"])
        return response

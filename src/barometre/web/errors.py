"""Error pages: JSON in the API's error shape under /api/, HTML elsewhere."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse

from barometre.apps.api.errors import error_body, json_404
from barometre.apps.public.views import not_found as html_404
from barometre.apps.public.views import server_error as html_500


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return json_404(request, exception)
    return html_404(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("server_error", "Erreur interne du serveur."), status=500)
    return html_500(request)

"""One error shape for the whole API: ``{"error": {"code", "message", "details"}}``."""

from __future__ import annotations

from typing import Any

from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from barometre.core.errors import BarometreError, NotFound


class ApiError(exceptions.APIException):
    def __init__(self, code: str, message: str, http_status: int, details: Any = None) -> None:
        super().__init__(detail=message)
        self.status_code = http_status
        self.error_code = code
        self.details = details or {}


def not_found(message: str, **details: Any) -> ApiError:
    return ApiError("not_found", message, status.HTTP_404_NOT_FOUND, details)


def bad_request(message: str, **details: Any) -> ApiError:
    return ApiError("invalid_parameter", message, status.HTTP_400_BAD_REQUEST, details)


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApiError):
        return Response(error_body(exc.error_code, str(exc.detail), exc.details), status=exc.status_code)
    if isinstance(exc, NotFound):
        return Response(error_body("not_found", exc.message), status=404)
    if isinstance(exc, BarometreError):
        return Response(error_body(exc.code, exc.message), status=400)
    if isinstance(exc, Http404):
        return Response(error_body("not_found", "Ressource introuvable."), status=404)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = {
        400: "invalid_parameter",
        401: "unauthenticated",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        406: "not_acceptable",
        429: "throttled",
    }.get(response.status_code, "error")
    detail = response.data
    message = detail.get("detail") if isinstance(detail, dict) and "detail" in detail else "Requête invalide."
    details = {} if isinstance(detail, dict) and set(detail) == {"detail"} else detail
    response.data = error_body(code, str(message), details)
    return response


def json_404(request: Any, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse(error_body("not_found", "Ressource introuvable."), status=404)

"""Text input cleaned at the boundary, before any view or database sees it.

Every path, query-string parameter and form field is checked once here: a control
character (NUL, ESC, DEL…; TAB and line breaks are allowed in form fields, which may be
multi-line answers) or a value longer than the bound is refused with a 400 and one clear
message naming the field — in the API's JSON error shape under ``/api/``, as JSON for the
portal's autosave (``Accept: application/json``), as a short HTML page otherwise.
PostgreSQL refuses NUL in text (a 500 before this check); SQLite would store it.
Cookies carrying control characters are dropped (a forged session cookie is no session).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from barometre.core.text import describe_char, find_control

#: Longest query-string value (search texts, codes, filters are all far shorter).
MAX_QUERY_VALUE_LENGTH = 500
#: Longest form value (the questionnaire bounds each text answer more tightly).
MAX_FORM_VALUE_LENGTH = 20_000


class InputRefused(Exception):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _check(field: str, values: Iterable[str], *, multiline: bool, max_length: int) -> None:
    for value in values:
        for text, what in ((field, "name"), (value, "value")):
            at = find_control(text, multiline=multiline and what == "value")
            if at is not None:
                raise InputRefused(
                    _("Le champ « %(field)s » contient un caractère de contrôle interdit (%(char)s) : retirez-le.")
                    % {"field": field.encode("unicode_escape").decode("ascii"), "char": describe_char(text[at])},
                    field,
                )
        if len(value) > max_length:
            raise InputRefused(
                _("Le champ « %(field)s » est trop long (%(length)s caractères, au plus %(max)s).")
                % {"field": field, "length": len(value), "max": max_length},
                field,
            )


def check_request(request: HttpRequest) -> None:
    """Raise :class:`InputRefused` for the first unacceptable part of ``request``."""
    at = find_control(request.path)
    if at is not None:
        raise InputRefused(
            _("L’adresse demandée contient un caractère de contrôle interdit (%(char)s).")
            % {"char": describe_char(request.path[at])},
            "path",
        )
    for name, values in request.GET.lists():
        _check(name, values, multiline=False, max_length=MAX_QUERY_VALUE_LENGTH)
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        for name, values in request.POST.lists():
            _check(name, values, multiline=True, max_length=MAX_FORM_VALUE_LENGTH)


def refusal(request: HttpRequest, message: str, field: str) -> HttpResponse:
    """The 400 answer for refused input, in the shape the caller reads."""
    if request.path.startswith("/api/"):
        from barometre.apps.api.errors import error_body

        return JsonResponse(
            error_body("invalid_parameter", message, {"parameter": field}),
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"ok": False, "error": message, "field": field, "errors": {field: [message]}}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


class CleanInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name in [n for n, v in request.COOKIES.items() if find_control(n + v) is not None]:
            del request.COOKIES[name]
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE
        with translation.override(language):
            try:
                check_request(request)
            except InputRefused as refused:
                return refusal(request, refused.message, refused.field)
        return self.get_response(request)

"""Public page of the console app: opting out of reminders (GET shows, POST confirms)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from barometre.apps.console import mailing


@require_http_methods(["GET", "HEAD", "POST"])
def optout(request: HttpRequest, token: str) -> HttpResponse:
    from django.core import signing

    try:
        signing.loads(token, salt=mailing.OPTOUT_SALT)
    except signing.BadSignature:
        raise Http404 from None
    done = False
    if request.method == "POST":
        done = mailing.optout(token) is not None
    return render(request, "console/optout.html", {"done": done})

"""The notes de conjoncture on the site: ``/note/<edition>/`` (HTML, PDF, figures)."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import get_language

from barometre.apps.editions.notes import is_built, note_dir
from barometre.apps.editions.queries import published_editions


def _lang(request: HttpRequest) -> str:
    requested = request.GET.get("lang") or get_language() or "fr"
    return "en" if requested.startswith("en") else "fr"


def index(request: HttpRequest) -> HttpResponse:
    lang = _lang(request)
    editions = [{"edition": e, "built": is_built(e, lang)} for e in published_editions().order_by("-year")]
    return render(request, "public/notes.html", {"editions": editions, "lang": lang})


def _edition(year: int):  # type: ignore[no-untyped-def]
    edition = published_editions().filter(year=year).first()
    if edition is None:
        raise Http404("unknown edition")
    return edition


def note(request: HttpRequest, year: int) -> HttpResponseBase:
    lang = _lang(request)
    edition = _edition(year)
    if not is_built(edition, lang):
        return render(request, "public/note_missing.html", {"edition": edition, "lang": lang}, status=404)
    return FileResponse(open(note_dir(year, lang) / "index.html", "rb"), content_type="text/html; charset=utf-8")


ALLOWED_SUFFIXES = {".pdf", ".svg", ".png", ".csv", ".woff", ".woff2", ".ttf"}


def note_file(request: HttpRequest, year: int, path: str) -> FileResponse:
    lang = _lang(request)
    edition = _edition(year)
    if not is_built(edition, lang):
        raise Http404("note not built")
    base = note_dir(year, lang).resolve()
    try:
        target = (base / path).resolve()
        found = base in target.parents and target.suffix in ALLOWED_SUFFIXES and target.is_file()
    except (OSError, ValueError):  # a NUL byte, a name too long for the file system
        found = False
    if not found:
        raise Http404("unknown file")
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    response = FileResponse(open(target, "rb"), content_type=content_type)  # noqa: SIM115 - closed by Django
    if target.suffix in {".pdf", ".csv"}:
        response["Content-Disposition"] = f'attachment; filename="barometre-{year}-{lang}-{Path(path).name}"'
    return response

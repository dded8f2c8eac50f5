"""The notes de conjoncture on the site: ``/note/<edition>/`` (HTML, PDF, figures)."""

from __future__ import annotations

import functools
import mimetypes
import re
from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
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


def _scope_css(css: str) -> str:
    """The note's screen CSS scoped to ``.note-body`` (its print rules, pages and fonts left out)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out: list[str] = []
    depth, start, i = 0, 0, 0
    blocks: list[tuple[str, str]] = []
    while i < len(css):  # top-level blocks: (prelude, body)
        c = css[i]
        if c == "{":
            if depth == 0:
                prelude, body_start = css[start:i].strip(), i + 1
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                blocks.append((prelude, css[body_start:i]))
                start = i + 1
        i += 1
    for prelude, body in blocks:
        if prelude.startswith(("@page", "@font-face", "@media print")):
            continue
        if prelude.startswith("@media"):
            out.append(prelude + " {" + _scope_css(body) + "}")
            continue
        selectors = []
        for sel in prelude.split(","):
            sel = sel.strip()
            if sel in ("html", "body", ":root"):
                selectors.append(".note-body")
            else:
                selectors.append(".note-body " + sel)
        out.append(", ".join(selectors) + " {" + body.strip() + "}")
    return "\n".join(out)


@functools.lru_cache(maxsize=8)
def _embedded(path: str, mtime: float) -> tuple[str, str, str]:
    """(title, scoped CSS, body) of a built note, to show it inside the site's frame."""
    html = Path(path).read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    style = re.search(r"<style>(.*?)</style>", html, re.S)
    body = re.search(r"<body[^>]*>(.*)</body>", html, re.S)
    text = body.group(1) if body else html
    text = re.sub(r'<div class="sim-banner"[^>]*>.*?</div>\n?', "", text, count=1, flags=re.S)
    text = text.replace("<main>", '<div class="note-main">').replace("</main>", "</div>")
    return (title.group(1) if title else "", _scope_css(style.group(1)) if style else "", text)


def note(request: HttpRequest, year: int) -> HttpResponse:
    """The note inside the site's frame (header, breadcrumb, PDF and figures links)."""
    lang = _lang(request)
    edition = _edition(year)
    if not is_built(edition, lang):
        return render(request, "public/note_missing.html", {"edition": edition, "lang": lang}, status=404)
    folder = note_dir(year, lang)
    index_html = folder / "index.html"
    title, css, body = _embedded(str(index_html), index_html.stat().st_mtime)
    pdf = folder / "note.pdf"
    context = {
        "edition": edition,
        "lang": lang,
        "note_title": title,
        "note_css": css,
        "note_body": body,
        "pdf_size": pdf.stat().st_size if pdf.is_file() else None,
        "pdf_date": edition.closes_on
        or (edition.indicators_computed_at.date() if edition.indicators_computed_at else None),
    }
    return render(request, "public/note.html", context)


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

"""Open data downloads: the files of ``barometre opendata export``, built on demand and cached."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from barometre.apps.editions.generated import ensure_generated
from barometre.apps.editions.models import EditionState
from barometre.apps.editions.opendata import export_edition
from barometre.apps.editions.queries import published_editions

#: Files a visitor may download (nothing else from the folder is served).
FILES = {
    "datapackage.json": "application/json",
    "estimations.csv": "text/csv; charset=utf-8",
    "estimations.parquet": "application/vnd.apache.parquet",
    "estimations.json": "application/json",
    "indicateurs.csv": "text/csv; charset=utf-8",
    "indicateurs.parquet": "application/vnd.apache.parquet",
    "indicateurs.json": "application/json",
}


def _directory(year: int) -> Path:
    edition = published_editions().filter(year=year).first()
    if edition is None or edition.state != EditionState.PUBLISHED:
        raise Http404("unknown edition")
    stamp = (edition.indicators_computed_at or edition.created_at).isoformat()
    directory = Path(settings.DATA_DIR) / "opendata" / str(year)
    # Built once per computation of the indicators, into a fresh folder swapped in atomically:
    # concurrent first downloads wait for the one build and are served complete files.
    ensure_generated(directory, stamp, lambda folder: export_edition(year, folder))
    return directory


#: Files of a published poll of French adults (kept apart from the authorities' files).
POLL_FILES = {
    "datapackage.json": "application/json",
    "sondage-estimations.csv": "text/csv; charset=utf-8",
    "sondage-estimations.parquet": "application/vnd.apache.parquet",
    "sondage-estimations.json": "application/json",
    "sondage-indicateurs.csv": "text/csv; charset=utf-8",
    "sondage-indicateurs.json": "application/json",
}


def _poll_directory(year: int) -> Path:
    from barometre.apps.poll.models import PollEdition, PollState
    from barometre.apps.poll.opendata import export_poll

    edition = PollEdition.objects.filter(year=year, state=PollState.PUBLISHED).first()
    if edition is None:
        raise Http404("unknown poll")
    stamp = (edition.estimates_computed_at or edition.created_at).isoformat()
    directory = Path(settings.DATA_DIR) / "opendata" / "sondage" / str(year)
    marker = directory / ".computed_at"
    if not marker.exists() or marker.read_text() != stamp:
        export_poll(year, directory)
        marker.write_text(stamp)
    return directory


def index(request: HttpRequest) -> HttpResponse:
    from barometre.apps.poll.services import published as published_polls

    editions = list(published_editions().order_by("-year"))
    polls = list(reversed(published_polls()))
    listed = [{"edition": e, "files": _described(_directory(e.year), FILES)} for e in editions]
    return render(
        request,
        "public/opendata.html",
        {"editions": listed, "polls": polls, "poll_files": list(POLL_FILES)},
    )


def _described(directory: Path, names: dict[str, str]) -> list[dict[str, object]]:
    """Each downloadable file with its format, size and date (DSFR download component)."""
    import datetime

    out: list[dict[str, object]] = []
    for name in names:
        path = directory / name
        if not path.is_file():
            continue
        stat = path.stat()
        out.append(
            {
                "name": name,
                "format": path.suffix.lstrip(".").upper(),
                "size": stat.st_size,
                "date": datetime.datetime.fromtimestamp(stat.st_mtime, tz=datetime.UTC).date(),
            }
        )
    return out


def poll_download(request: HttpRequest, year: int, filename: str) -> FileResponse:
    if filename not in POLL_FILES:
        raise Http404("unknown file")
    path = _poll_directory(year) / filename
    response = FileResponse(open(path, "rb"), content_type=POLL_FILES[filename])  # noqa: SIM115 - closed by Django
    response["Content-Disposition"] = f'attachment; filename="barometre-sondage-{year}-{filename}"'
    if filename == "datapackage.json":
        simulated = json.loads(path.read_text(encoding="utf-8"))["barometre"]["simulated"]
        response["X-Barometre-Simulated"] = "true" if simulated else "false"
    return response


def download(request: HttpRequest, year: int, filename: str) -> FileResponse:
    if filename not in FILES:
        raise Http404("unknown file")
    path = _directory(year) / filename
    response = FileResponse(open(path, "rb"), content_type=FILES[filename])  # noqa: SIM115 - closed by Django
    response["Content-Disposition"] = f'attachment; filename="barometre-{year}-{filename}"'
    if filename == "datapackage.json":
        simulated = json.loads(path.read_text(encoding="utf-8"))["barometre"]["simulated"]
        response["X-Barometre-Simulated"] = "true" if simulated else "false"
    return response

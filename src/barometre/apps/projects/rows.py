"""One row per published project: the shape of the catalogue's open data and of its API."""

from __future__ import annotations

from typing import Any

from barometre.apps.projects.models import Project
from barometre.core.projects import catalogue

#: Columns of the catalogue's open data (CSV and JSON), one row per published project.
EXPORT_COLUMNS = (
    "key",
    "title",
    "summary",
    "domain",
    "status",
    "authority_code",
    "authority_name",
    "region",
    "origin",
    "edition",
    "shared",
    "open_source",
    "source_title",
    "source_publisher",
    "source_date",
    "source_url",
    "simulated",
)


def source_of(project: Project, lang: str) -> dict[str, str] | None:
    if not project.source:
        return None
    src = catalogue.sources().get(project.source)
    if src is None:
        return None
    return {"title": src.title[lang], "publisher": src.publisher, "date": src.date, "url": src.url}


def project_row(p: Any, lang: str) -> dict[str, Any]:
    title, summary = p.text(lang)
    src = source_of(p, lang) or {}
    return {
        "key": p.key,
        "title": title,
        "summary": summary,
        "domain": p.domain,
        "status": p.status,
        "authority_code": p.authority.code,
        "authority_name": p.authority.name,
        "region": p.authority.region,
        "origin": p.origin,
        "edition": p.edition.year if p.edition else None,
        "shared": p.shared,
        "open_source": p.open_source,
        "source_title": src.get("title"),
        "source_publisher": src.get("publisher"),
        "source_date": src.get("date"),
        "source_url": src.get("url"),
        "simulated": p.simulated,
    }

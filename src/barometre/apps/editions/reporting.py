"""Feeds the report generator (``core.report``) from a published edition in the database."""

from __future__ import annotations

import re
from pathlib import Path

from barometre.apps.editions.answers import STATISTICS_STATUSES
from barometre.apps.editions.models import Edition, EditionState
from barometre.apps.editions.pipeline import DISCLOSURE_RULE, stored_rows
from barometre.apps.editions.queries import catalogue
from barometre.apps.poll.services import report_poll
from barometre.core.errors import EditionError, NotFound
from barometre.core.registry import load_snapshot
from barometre.core.report.model import AreaEstimate, EditionMeta, ReportInput, Row, SmallAreaMap, rows_from
from barometre.core.wording.note.text import disclosure_text


def _rows(edition: Edition) -> tuple[Row, ...]:
    return rows_from(stored_rows(edition.year))


def _field_period(edition: Edition, lang: str) -> str | None:
    if edition.opens_on is None or edition.closes_on is None:
        if edition.simulated:
            return "aucune : réponses simulées" if lang == "fr" else "none: simulated answers"
        return None
    from django.utils import formats, translation

    with translation.override(lang):
        start = formats.date_format(edition.opens_on, "j F Y")
        end = formats.date_format(edition.closes_on, "j F Y")
    return f"du {start} au {end}" if lang == "fr" else f"from {start} to {end}"


def _small_areas(edition: Edition) -> tuple[SmallAreaMap, ...]:
    """The département model of the first headline cyber indicator that has one (else of any)."""
    from barometre.apps.editions.models import SmallAreaFit
    from barometre.core.report.build import HEADLINE

    fits = {f.indicator: f for f in SmallAreaFit.objects.filter(edition=edition, level="departement")}
    cat = catalogue()
    themes = {i.id: i.theme for i in cat.indicators}
    order = [i for i in HEADLINE if themes.get(i) == "cyber"] + list(HEADLINE) + sorted(fits)
    fit = next((fits[i] for i in order if i in fits), None)
    if fit is None:
        return ()
    c = fit.checks
    areas = tuple(
        AreaEstimate(e.area, e.name, e.estimate, e.cv, e.direct, e.n, e.method) for e in fit.areas.order_by("area")
    )
    return (
        SmallAreaMap(
            fit.indicator,
            areas,
            str(c.get("method", "REML")),
            float(c.get("refvar", 0.0)),
            bool(c.get("refvar_truncated", False)),
            int(c.get("areas_fitted", 0)),
            float(c.get("std_residual_sd", 0.0)),
            len(c.get("contradictions", [])),
        ),
    )


def _frame_source(edition: Edition, current: str) -> str:
    """The frame the edition was drawn from (recorded when it was opened), else the loaded one."""
    recorded = (edition.frame_version or "").strip()
    if not recorded:
        return current
    m = re.fullmatch(r"(.+?) \(COG (\d{4}), population municipale \d{4}\)", recorded)
    return f"{m.group(1)}, COG {m.group(2)}" if m else recorded


def _population_year(edition: Edition, current: object) -> str:
    m = re.search(r"population municipale (\d{4})", edition.frame_version or "")
    return m.group(1) if m else str(current)


def _frozen_on(edition: Edition) -> str | None:
    """The date the edition's data were frozen: its close; a simulated edition without dates has none."""
    if edition.closes_on is not None:
        return edition.closes_on.isoformat()
    if edition.simulated:
        return None
    return (edition.indicators_computed_at or edition.created_at).date().isoformat()


def edition_facts(edition: Edition, lang: str) -> dict[str, object]:
    """What a reader needs to date an edition: collection period, frame and its vintage, freeze date."""
    info = load_snapshot().info
    return {
        "year": edition.year,
        "simulated": edition.simulated,
        "field_period": _field_period(edition, lang),
        "frame": _frame_source(edition, f"{info.package} {info.version}, COG {info.cog}"),
        "population_year": _population_year(edition, info.population_millesime),
        "frozen_on": _frozen_on(edition),
        "collection": edition.collection,
    }


def report_input(year: int, lang: str, editorial: Path | None = None) -> ReportInput:
    """The note's input for the published edition ``year``; ``editorial``: the authors' Markdown file
    (None: ``data/editorials/editorial-<year>-<lang>.md`` when the project ships one)."""
    from barometre.core.report.editorial import default_path, load_editorial

    editorial_path = editorial if editorial is not None else default_path(year, lang)
    edition = Edition.objects.filter(year=year).first()
    if edition is None:
        raise NotFound(f"l'édition {year} n'existe pas")
    if edition.state != EditionState.PUBLISHED or not edition.estimates.exists():
        raise EditionError(f"édition {year} : la note se construit sur une édition publiée, indicateurs calculés")
    info = load_snapshot().info
    previous = {
        e.year: _rows(e) for e in Edition.objects.filter(state=EditionState.PUBLISHED, year__lt=year).order_by("year")
    }
    n_resp = edition.responses.filter(status__in=STATISTICS_STATUSES).count()
    rule = DISCLOSURE_RULE
    return ReportInput(
        edition=EditionMeta(
            year=year,
            simulated=edition.simulated,
            n_respondents=n_resp,
            questionnaire_year=edition.questionnaire_year,
            frame_source=_frame_source(edition, f"{info.package} {info.version}, COG {info.cog}"),
            frame_millesime=(
                f"population municipale INSEE {_population_year(edition, info.population_millesime)}"
                if lang == "fr"
                else f"INSEE municipal population {_population_year(edition, info.population_millesime)}"
            ),
            n_units=edition.sample.count() or len(load_snapshot().authorities),
            collection="sample" if edition.collection == "sample" else "census",
            date=_frozen_on(edition),
            field_period=_field_period(edition, lang),
        ),
        catalogue=catalogue(),
        rows=_rows(edition),
        previous=previous,
        weighting=edition.weighting_report,
        disclosure_rule=disclosure_text(rule, lang),
        lang=lang,
        poll=report_poll(year),
        small_areas=_small_areas(edition),
        editorial=load_editorial(editorial_path, edition=year, lang=lang) if editorial_path else None,
    )

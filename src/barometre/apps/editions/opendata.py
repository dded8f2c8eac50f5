"""Open data of a published edition: the core writes the files, this module feeds it."""

from __future__ import annotations

from pathlib import Path

from barometre.apps.editions import estimates
from barometre.apps.editions.models import Edition, EditionState, SmallAreaEstimate
from barometre.apps.editions.pipeline import DISCLOSURE_RULE
from barometre.apps.editions.queries import catalogue
from barometre.apps.editions.smallarea import row_dict
from barometre.core import opendata
from barometre.core.errors import EditionError, NotFound
from barometre.core.report.selection import stratum_order
from barometre.core.wording.labels import INTERVAL_METHOD_TEXT, MAR_ASSUMPTION_TEXT, plain_definition, reason_label
from barometre.core.wording.note.text import disclosure_text


def export_edition(year: int, directory: Path) -> opendata.ExportSummary:
    edition = Edition.objects.filter(year=year).first()
    if edition is None:
        raise NotFound(f"l'édition {year} n'existe pas")
    if edition.state != EditionState.PUBLISHED:
        raise EditionError(f"édition {year} : seules les éditions publiées sont exportées (état : {edition.state})")
    cat = catalogue()
    labels = {i.id: i for i in cat.indicators}
    rows = []
    for row in estimates.load(edition):
        ind = labels.get(row.indicator)
        label = ind.short_label.fr if ind else row.indicator
        theme = ind.theme if ind else ""
        rows.append(
            {
                "indicator": row.indicator,
                "theme": theme,
                "label": label,
                **estimates.record(row),
                "reason": row.reason or "",
                "reason_label": reason_label(row.reason, "fr"),
            }
        )
    # strata and kinds in their natural order (registry's enumerations), not alphabetically
    first_seen: dict[tuple[str, str], int] = {}
    for i, r in enumerate(rows):
        first_seen.setdefault((r["indicator"], r["breakdown"]), i)
    rows.sort(
        key=lambda r: (
            first_seen[(r["indicator"], r["breakdown"])],
            stratum_order(r["domain_value"]) if r["breakdown"] in ("strate", "type") else 0,
            r["domain_value"],
        )
    )
    indicators = [
        {
            "indicator": i.id,
            "theme": i.theme,
            "label_fr": i.label.fr,
            "label_en": i.label.en,
            "definition": plain_definition(i, cat, year, "fr"),
            "definition_en": plain_definition(i, cat, year, "en"),
            "universe": cat.universes[i.universe].label.fr,
            "unit": i.unit,
        }
        for i in cat.for_edition(year)
    ]
    sources = [
        {
            "title": "Base de sondage : " + edition.frame_version,
            "path": "https://www.npmjs.com/package/@etalab/decoupage-administratif",
        },
        {"title": "Valeurs publiées : notes de conjoncture data, IA et cybersécurité dans les territoires (2022-2025)"},
    ]
    small_areas = [
        {"indicator": e.fit.indicator, "level": e.fit.level, **row_dict(e)}
        for e in SmallAreaEstimate.objects.filter(fit__edition=edition)
        .select_related("fit")
        .order_by("fit__indicator", "fit__level", "area")
    ]
    computed = (edition.indicators_computed_at or edition.created_at).date().isoformat()
    return opendata.export(
        directory,
        edition={"year": year, "simulated": edition.simulated, "computed_at": computed},
        estimates=rows,
        indicators=indicators,
        min_n=DISCLOSURE_RULE.min_respondents,
        sources=sources,
        methodology=(
            "Estimations pondérées (poids de non-réponse par strate, calés sur les effectifs de la base de sondage "
            "par strate et par région et sur la population), "
            + INTERVAL_METHOD_TEXT["fr"]
            + ". "
            + MAR_ASSUMPTION_TEXT["fr"]
            + " "
            + disclosure_text(DISCLOSURE_RULE, "fr")
            + " Par département et par région : modèle de Fay–Herriot (REML) sur les estimations directes, "
            "variances lissées par une fonction de variance généralisée sous 10 répondants, covariables du "
            "registre ; estimation synthétique (sans les réponses de l'aire) sous le seuil de secret statistique."
        ),
        small_areas=small_areas,
    )

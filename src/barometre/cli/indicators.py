"""``barometre indicators …``: compute every indicator of an edition, compare with published values."""

from __future__ import annotations

import contextlib

import typer

from barometre.cli.common import (
    FormatOption,
    OutputFormat,
    TableFormat,
    console,
    print_csv,
    print_json,
    print_table,
    setup_django,
)
from barometre.core.indicators.compute import ESTIMATE_COLUMNS

indicators_app = typer.Typer(help="Indicateurs : calcul pondéré et comparaison avec les valeurs publiées.")

ROW_COLUMNS = [*ESTIMATE_COLUMNS, "base"]
COMPARE_COLUMNS = [
    "indicator",
    "breakdown",
    "domain_value",
    "published",
    "estimate",
    "ci_low",
    "ci_high",
    "difference",
    "published_inside_ci",
]
#: Extra context of a comparison row (JSON only): which published figure, on which base, whether
#: the simulation targets it (see data/indicators.yaml).
COMPARE_EXTRA = ["figure", "base", "published_base", "source", "target", "note", "reason"]


@indicators_app.command("compute")
def compute(
    edition: int = typer.Option(..., "--edition", "-e"),
    fmt: TableFormat = typer.Option(TableFormat.text, "--format", help="text, json ou csv."),
) -> None:
    """Calcule chaque indicateur dans chaque ventilation publiée (une ligne chacun)."""
    setup_django()
    from barometre.apps.editions import pipeline
    from barometre.apps.editions.models import Edition
    from barometre.apps.editions.queries import catalogue
    from barometre.core.wording.labels import definition_pair

    status = console.status(f"Calcul des indicateurs de l'édition {edition}…")
    with status if fmt is TableFormat.text else contextlib.nullcontext():
        result = pipeline.compute(edition)
    simulated = Edition.objects.get(year=edition).simulated
    # each cell twice: the weighted estimate, then the share of respondents (same disclosure)
    both = [row for r in result.rows for row in (r, r.respondents_row())]
    rows = [{c: getattr(r, c) for c in ROW_COLUMNS} for r in both]
    label = "données simulées" if simulated else ""
    if fmt is TableFormat.json:
        cat = catalogue()
        definitions = {i.id: definition_pair(i, cat, edition) for i in cat.for_edition(edition)}
        print_json(
            {
                "edition": edition,
                "simulated": simulated,
                "label": label,
                "estimator_paths": result.estimator_paths,
                "rows": [{**r, "definition": definitions.get(str(r["indicator"]))} for r in rows],
            }
        )
    elif fmt is TableFormat.csv:
        # every row says whether it comes from a simulated edition (a CSV travels without its header)
        print_csv(
            [{**r, "simulated": "true" if simulated else "false", "label": label} for r in rows],
            [*ROW_COLUMNS, "simulated", "label"],
        )
    else:
        console.print(result.summary + (" — [bold]données simulées[/bold]" if simulated else ""))


@indicators_app.command("compare")
def compare_(edition: int = typer.Option(..., "--edition", "-e"), fmt: OutputFormat = FormatOption) -> None:
    """Compare les estimations aux valeurs publiées pour cette édition."""
    setup_django()
    from barometre.apps.editions import pipeline
    from barometre.apps.editions.models import Edition

    every = [{c: getattr(r, c) for c in COMPARE_COLUMNS + COMPARE_EXTRA} for r in pipeline.comparison(edition)]
    rows = [r for r in every if r["reason"] is None]
    hidden = [r for r in every if r["reason"] is not None]
    simulated = Edition.objects.get(year=edition).simulated
    if fmt is OutputFormat.json:
        print_json(
            {
                "edition": edition,
                "simulated": simulated,
                "label": "données simulées" if simulated else "",
                "rows": rows,
                "hidden": hidden,
            }
        )
    else:
        print_table(rows, COMPARE_COLUMNS, title=f"Édition {edition}" + (" (données simulées)" if simulated else ""))
        comparable = [r for r in rows if r["estimate"] is not None]
        inside = sum(1 for r in comparable if r["published_inside_ci"])
        console.print(
            f"{inside} valeurs publiées sur {len(comparable)} comparables dans l'intervalle de confiance à 95 % "
            f"({len(hidden)} cellules masquées)"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(indicators_app, name="indicators")

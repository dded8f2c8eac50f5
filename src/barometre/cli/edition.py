"""``barometre edition …``: an edition's life cycle, sample, weights and simulation."""

from __future__ import annotations

from typing import Any

import typer

from barometre.cli.common import FormatOption, OutputFormat, console, print_json, print_table, setup_django

edition_app = typer.Typer(help="Éditions du baromètre : cycle de vie, échantillon, pondération, simulation.")

EditionOption = typer.Option(..., "--edition", "-e", help="Année de l'édition.")


def _summary(edition: Any) -> dict[str, Any]:
    from barometre.apps.editions.models import ResponseStatus

    counts = {s.value: edition.responses.filter(status=s.value).count() for s in ResponseStatus}
    return {
        "edition": edition.year,
        "state": edition.state,
        "collection": edition.collection,
        "simulated": edition.simulated,
        "questionnaire_year": edition.questionnaire_year,
        "frame_version": edition.frame_version,
        "sample_size": edition.sample.count(),
        "responses": counts,
        "weights_computed_at": edition.weights_computed_at,
        "weights_stale": edition.weights_stale,
        "indicators_computed_at": edition.indicators_computed_at,
    }


def _move(year: int, target: str, fmt: OutputFormat, reason: str) -> None:
    setup_django()
    from barometre.apps.editions.lifecycle import move

    edition = move(year, target, reason=reason)
    if fmt is OutputFormat.json:
        print_json(_summary(edition))
    else:
        console.print(f"Édition {edition.year} : {edition.get_state_display()}")


@edition_app.command("open")
def open_(
    edition: int = EditionOption, reason: str = typer.Option("", "--reason"), fmt: OutputFormat = FormatOption
) -> None:
    """Ouvre la collecte."""
    _move(edition, "open", fmt, reason)


@edition_app.command("close")
def close(
    edition: int = EditionOption, reason: str = typer.Option("", "--reason"), fmt: OutputFormat = FormatOption
) -> None:
    """Clôt la collecte."""
    _move(edition, "closed", fmt, reason)


@edition_app.command("publish")
def publish(
    edition: int = EditionOption, reason: str = typer.Option("", "--reason"), fmt: OutputFormat = FormatOption
) -> None:
    """Publie l'édition (exige des réponses, une pondération à jour et des indicateurs calculés)."""
    _move(edition, "published", fmt, reason)


@edition_app.command("list")
def list_(fmt: OutputFormat = FormatOption) -> None:
    """Liste les éditions et leur état."""
    setup_django()
    from barometre.apps.editions.models import Edition

    rows = [_summary(e) for e in Edition.objects.order_by("year")]
    if fmt is OutputFormat.json:
        print_json({"editions": rows})
    else:
        print_table(
            [{**r, "responses": r["responses"]["submitted"] + r["responses"]["validated"]} for r in rows],
            ["edition", "state", "collection", "simulated", "sample_size", "responses", "weights_stale"],
        )


def register(app: typer.Typer) -> None:
    app.add_typer(edition_app, name="edition")

"""``barometre edition …``: an edition's life cycle, sample, weights and simulation."""

from __future__ import annotations

import enum
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


def _move(year: int, target: str, fmt: OutputFormat, reason: str, allow_non_converged: bool = False) -> None:
    setup_django()
    from barometre.apps.editions.lifecycle import move

    edition = move(year, target, reason=reason, allow_non_converged=allow_non_converged)
    if fmt is OutputFormat.json:
        print_json(_summary(edition))
    else:
        console.print(f"Édition {edition.year} : {edition.get_state_display()}")


@edition_app.command("open")
def open_(
    edition: int = EditionOption, reason: str = typer.Option("", "--reason"), fmt: OutputFormat = FormatOption
) -> None:
    """Ouvre la collecte (exige un contact d'aide : adresse ou téléphone, donné aux répondants)."""
    _move(edition, "open", fmt, reason)


@edition_app.command("close")
def close(
    edition: int = EditionOption, reason: str = typer.Option("", "--reason"), fmt: OutputFormat = FormatOption
) -> None:
    """Clôt la collecte."""
    _move(edition, "closed", fmt, reason)


@edition_app.command("publish")
def publish(
    edition: int = EditionOption,
    reason: str = typer.Option("", "--reason"),
    allow_non_converged: bool = typer.Option(
        False, "--allow-non-converged", help="Publier même si le calage des poids n'a pas convergé (tracé)."
    ),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Publie l'édition (exige des réponses, une pondération à jour et convergée, des indicateurs calculés)."""
    _move(edition, "published", fmt, reason, allow_non_converged)


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


class Design(enum.StrEnum):
    proportional = "proportional"
    neyman = "neyman"
    census = "census"


@edition_app.command("sample")
def sample(
    edition: int = EditionOption,
    design: Design = typer.Option(Design.proportional, "--design", help="Allocation : proportional, neyman, census."),
    size: int = typer.Option(3000, "--size", min=1, help="Taille totale (strates exhaustives comprises)."),
    seed: int = typer.Option(0, "--seed", help="Graine : même graine, même échantillon."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Tire un échantillon stratifié (strates exhaustives prises en entier) et enregistre les probabilités."""
    setup_django()
    from barometre.apps.editions import pipeline

    summary = pipeline.draw_and_store_sample(edition, size=size, allocation=design.value, seed=seed)
    if fmt is OutputFormat.json:
        print_json(summary)
    else:
        print_table(
            summary["strata"],
            ["stratum", "population", "sample", "inclusion_probability", "certainty"],
            title=f"Échantillon {summary['allocation']} de l'édition {edition} : {summary['size']} unités",
        )


@edition_app.command("simulate")
def simulate(
    edition: int = EditionOption,
    seed: int = typer.Option(1, "--seed", help="Graine : même graine, même édition."),
    respondents: int | None = typer.Option(None, "--respondents", help="Nombre de répondants (défaut : réel)."),
    publish: bool = typer.Option(True, "--publish/--no-publish", help="Pondérer, calculer et publier ensuite."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Simule une édition entière (données simulées) : réponses, pondération, indicateurs."""
    setup_django()
    from barometre.apps.editions import pipeline

    with console.status(f"Simulation de l'édition {edition}…"):
        summary = pipeline.simulate(edition, seed, respondents, publish=publish)
    if fmt is OutputFormat.json:
        print_json({"edition": edition, "seed": seed, "simulated": True, "summary": summary})
    else:
        console.print(summary + " — [bold]données simulées[/bold]")


@edition_app.command("weight")
def weight(
    edition: int = EditionOption,
    collapse: list[str] = typer.Option(
        [], "--collapse", help="Fusionne une strate sans répondant dans une voisine : STRATE=VOISINE."
    ),
    region_group: list[str] = typer.Option(
        [],
        "--region-group",
        help="Cale une région sans répondant avec une voisine : RÉGION=VOISINE (codes INSEE, par exemple 94=93).",
    ),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Pondère l'édition : poids de sondage, non-réponse par strate, calage sur les marges, écrêtage."""
    setup_django()
    from barometre.apps.editions import pipeline
    from barometre.apps.editions.models import Edition
    from barometre.core.weighting.pipeline import chosen_options, parse_pairs
    from barometre.core.wording.note.text import weighting_event

    options = chosen_options(parse_pairs(collapse, "--collapse"), parse_pairs(region_group, "--region-group"))
    summary = pipeline.weight(edition, options)
    if fmt is OutputFormat.json:
        report = Edition.objects.get(year=edition).weighting_report
        print_json(
            {
                "edition": edition,
                "summary": summary,
                "converged": report.get("converged", True),
                "events": [{**ev, "message": weighting_event(ev, "fr")} for ev in report.get("events", [])],
                "report": report,
            }
        )
    else:
        console.print(summary)
        report = Edition.objects.get(year=edition).weighting_report
        for ev in report.get("events", []):
            console.print(f"[bold]Attention[/bold] : {weighting_event(ev, 'fr')}")


def register(app: typer.Typer) -> None:
    app.add_typer(edition_app, name="edition")

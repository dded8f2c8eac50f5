"""``barometre poll …``: the poll of French adults (open, simulate, import, weight, estimates)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from barometre.cli.common import FormatOption, OutputFormat, console, print_json, print_table, setup_django

poll_app = typer.Typer(help="Sondage auprès des Français : ouverture, simulation, import, pondération, estimations.")

EditionOption = typer.Option(..., "--edition", "-e", help="Année du sondage (celle de l'édition du baromètre).")


def _summary(edition: Any) -> dict[str, Any]:
    return {
        "edition": edition.year,
        "state": edition.state,
        "simulated": edition.simulated,
        "label": "données simulées" if edition.simulated else "",
        "origin": edition.origin,
        "respondents": edition.respondents.count(),
        "weights_computed_at": edition.weights_computed_at,
        "estimates_computed_at": edition.estimates_computed_at,
        "weighting": edition.weighting_report,
    }


def _done(message: str, year: int, fmt: OutputFormat) -> None:
    from barometre.apps.poll.services import get

    if fmt is OutputFormat.json:
        print_json({"message": message, **_summary(get(year))})
    else:
        console.print(message, highlight=False)


@poll_app.command("open")
def open_(edition: int = EditionOption, fmt: OutputFormat = FormatOption) -> None:
    """Ouvre le sondage de l'année (ses répondants peuvent alors être importés ou simulés)."""
    setup_django()
    from barometre.apps.poll.services import open_poll

    _done(open_poll(edition)[1], edition, fmt)


@poll_app.command("close")
def close(edition: int = EditionOption, fmt: OutputFormat = FormatOption) -> None:
    """Clôt la collecte du sondage."""
    setup_django()
    from barometre.apps.poll.services import close_poll

    _done(close_poll(edition), edition, fmt)


@poll_app.command("publish")
def publish(edition: int = EditionOption, fmt: OutputFormat = FormatOption) -> None:
    """Publie le sondage (clos et pondéré) : explorateur, API, données ouvertes, note."""
    setup_django()
    from barometre.apps.poll.services import publish_poll

    _done(publish_poll(edition), edition, fmt)


@poll_app.command("simulate")
def simulate(
    edition: int = EditionOption,
    seed: int = typer.Option(1, "--seed"),
    size: int = typer.Option(1000, "--size", help="Nombre de répondants."),
    publish: bool = typer.Option(False, "--publish", help="Pondère, clôt et publie aussi."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Simule un sondage ajusté aux chiffres publiés (données simulées)."""
    setup_django()
    from barometre.apps.poll.services import simulate as run

    _done(run(edition, seed, size, publish=publish), edition, fmt)


@poll_app.command("import")
def import_(
    file: Path = typer.Argument(..., help="Fichier de l'institut (CSV ou XLSX), une ligne par répondant."),
    mapping: Path = typer.Option(..., "--mapping", help="Correspondance colonnes → questions (YAML)."),
    edition: int = EditionOption,
    replace: bool = typer.Option(False, "--replace", help="Remplace les répondants déjà présents."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Importe un fichier de sondage : tout ou rien, chaque erreur avec sa ligne et sa colonne."""
    setup_django()
    from barometre.apps.poll.services import import_file

    _done(import_file(edition, file, mapping, replace=replace), edition, fmt)


@poll_app.command("weight")
def weight(edition: int = EditionOption, fmt: OutputFormat = FormatOption) -> None:
    """Redresse sur les marges du recensement et calcule les estimations."""
    setup_django()
    from barometre.apps.poll.services import weight as run

    _done(run(edition), edition, fmt)


@poll_app.command("estimates")
def estimates(edition: int = EditionOption, fmt: OutputFormat = FormatOption) -> None:
    """Estimations pondérées (en %), intervalles à 95 %, effectifs et effets de plan."""
    setup_django()
    from barometre.apps.poll.services import ESTIMATE_FIELDS, estimate_rows, get

    ed = get(edition)
    rows = estimate_rows(ed)
    label = "données simulées" if ed.simulated else ""
    if fmt is OutputFormat.json:
        print_json({"edition": edition, "simulated": ed.simulated, "label": label, "rows": rows})
    else:
        print_table(
            [r for r in rows if not r["suppressed"]],
            ESTIMATE_FIELDS,
            title=f"Sondage {edition}" + (" (données simulées)" if ed.simulated else ""),
        )


@poll_app.command("list")
def list_(fmt: OutputFormat = FormatOption) -> None:
    """Liste les sondages et leur état."""
    setup_django()
    from barometre.apps.poll.models import PollEdition

    rows = [_summary(e) for e in PollEdition.objects.order_by("year")]
    if fmt is OutputFormat.json:
        print_json({"polls": rows})
    else:
        print_table(rows, ["edition", "state", "simulated", "respondents", "origin"])


def register(app: typer.Typer) -> None:
    app.add_typer(poll_app, name="poll")

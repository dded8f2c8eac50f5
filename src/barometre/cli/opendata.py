"""``barometre opendata export``: the aggregates of a published edition as open data."""

from __future__ import annotations

from pathlib import Path

import typer

from barometre.cli.common import FormatOption, OutputFormat, console, print_json, setup_django

opendata_app = typer.Typer(help="Données ouvertes : agrégats en CSV, Parquet et JSON avec datapackage.json.")


@opendata_app.command("export")
def export(
    edition: int = typer.Option(..., "--edition", "-e"),
    out: Path = typer.Option(..., "--out", help="Dossier de sortie (créé s'il n'existe pas)."),
    survey: str = typer.Option(
        "authorities", "--survey", help="authorities (le baromètre) ou poll (le sondage auprès des Français)."
    ),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Écrit les estimations (jamais de réponse individuelle) et le catalogue, avec leur Table Schema."""
    setup_django()
    from barometre.apps.editions.opendata import export_edition
    from barometre.apps.poll.opendata import export_poll
    from barometre.core.errors import BarometreError

    if survey not in ("authorities", "poll"):
        raise BarometreError(f"--survey : {survey!r} inconnu (authorities ou poll)")
    summary = export_poll(edition, out) if survey == "poll" else export_edition(edition, out)
    if fmt is OutputFormat.json:
        print_json(
            {
                "edition": edition,
                "directory": str(summary.directory),
                "resources": list(summary.resources),
                "rows": summary.rows,
                "suppressed": summary.suppressed,
            }
        )
    else:
        console.print(
            f"{summary.rows} estimations ({summary.suppressed} masquées) et {len(summary.resources)} ressources "
            f"écrites dans {summary.directory} (datapackage.json)"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(opendata_app, name="opendata")

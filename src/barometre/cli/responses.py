"""``barometre responses``: reopen, export and check an edition's answers; purge names."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from barometre.cli.common import (
    OutputFormat,
    console,
    err_console,
    print_json,
    print_table,
    run_guarded,
    setup_django,
)

HELP = "Réponses des collectivités : réouverture, export, contrôle de cohérence, effacement des noms."


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=HELP, no_args_is_help=True)
    app.add_typer(sub, name="responses")

    @sub.command("reopen")
    def reopen(
        code: str = typer.Argument(..., help="Code de la collectivité."),
        edition: int = typer.Option(..., "--edition", "-e", help="Année de l'édition."),
        reason: str = typer.Option(..., "--reason", help="Pourquoi la réponse est rouverte (journalisé)."),
        actor: str = typer.Option(..., "--actor", help="Qui rouvre la réponse (journalisé)."),
        fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text ou json."),
    ) -> None:
        """Rouvre une réponse envoyée pour modification (entrée au journal d'audit)."""

        def run() -> None:
            setup_django()
            from barometre.apps.portal import services

            response = services.reopen(edition, code, reason=reason, actor=actor)
            if fmt is OutputFormat.json:
                print_json({"edition": edition, "authority": code, "status": response.status})
            else:
                console.print(f"Réponse de {code} à l'édition {edition} rouverte ({reason})", highlight=False)

        run_guarded(run)

    @sub.command("validate")
    def validate(
        codes: list[str] = typer.Argument(None, help="Codes des collectivités (toutes les réponses envoyées sinon)."),
        edition: int = typer.Option(..., "--edition", "-e", help="Année de l'édition."),
        actor: str = typer.Option(..., "--actor", help="Qui valide (journalisé)."),
        fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text ou json."),
    ) -> None:
        """Marque des réponses envoyées comme validées après relecture (entrée au journal d'audit)."""

        def run() -> None:
            setup_django()
            from barometre.apps.portal import services

            n = services.validate_responses(edition, list(codes) if codes else None, actor=actor)
            if fmt is OutputFormat.json:
                print_json({"edition": edition, "validated": n})
            else:
                console.print(f"{n} réponse(s) validée(s) pour l'édition {edition}", highlight=False)

        run_guarded(run)

    @sub.command("export")
    def export(
        edition: int = typer.Option(..., "--edition", "-e", help="Année de l'édition."),
        fmt: str = typer.Option("csv", "--format", help="csv ou json."),
        output: Path | None = typer.Option(None, "--output", "-o", help="Fichier (défaut : sortie standard)."),
    ) -> None:
        """Export à plat : une ligne par réponse à une question (réponses envoyées ou validées)."""

        def run() -> None:
            if fmt not in ("csv", "json"):
                raise typer.BadParameter("--format : csv ou json")
            setup_django()
            from barometre.apps.editions.lifecycle import get_edition
            from barometre.apps.portal.exports import export_rows, write_csv
            from barometre.cli.common import dump_json

            ed = get_edition(edition)
            out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
            try:
                if fmt == "csv":
                    n = write_csv(export_rows(ed), out)
                else:
                    rows = list(export_rows(ed))
                    out.write(dump_json(rows) + "\n")
                    n = len(rows)
            finally:
                if output:
                    out.close()
            err_console.print(f"{n} réponse(s) exportée(s) pour l'édition {edition}", highlight=False)

        run_guarded(run)

    @sub.command("check")
    def check(
        edition: int = typer.Option(..., "--edition", "-e", help="Année de l'édition."),
        fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text ou json."),
    ) -> None:
        """Vérifie que réponses enregistrées, exportées et lues par les statistiques sont les mêmes."""
        identical = True

        def run() -> None:
            nonlocal identical
            setup_django()
            from barometre.apps.editions.lifecycle import get_edition
            from barometre.apps.portal.exports import reconcile

            report = reconcile(get_edition(edition))
            identical = bool(report["identical"])
            if fmt is OutputFormat.json:
                print_json(report)
                return
            print_table(
                [
                    {"ensemble": "enregistrées (base)", "réponses": report["saved"]},
                    {"ensemble": "exportées (CSV relu)", "réponses": report["exported"]},
                    {"ensemble": "lues par les statistiques", "réponses": report["statistics"]},
                ],
                title=f"Édition {edition} : {report['responses']} questionnaire(s) envoyé(s)",
            )
            for r in report["reopened"]:
                console.print(
                    f"rouverte, non renvoyée (hors export et statistiques) : {r['authority']} "
                    f"depuis le {r['reopened_at'][:10]} ({r['reason']})",
                    highlight=False,
                )
            for key in ("missing_from_export", "extra_in_export", "missing_from_statistics", "extra_in_statistics"):
                for line in report[key]:
                    console.print(f"{key} : {line}", highlight=False)
            console.print(
                "identiques" if identical else "[red]DIFFÉRENCES[/red]",
                highlight=False,
            )

        run_guarded(run)
        if not identical:
            raise typer.Exit(1)

    @sub.command("purge-names")
    def purge_names(
        older_than: int | None = typer.Option(
            None, "--older-than", help="Âge en jours (défaut : durée de conservation NAME_RETENTION_DAYS)."
        ),
        fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text ou json."),
    ) -> None:
        """Efface les noms des répondants des réponses plus anciennes que la durée de conservation. Idempotent."""

        def run() -> None:
            setup_django()
            from barometre.apps.portal import services

            days = services.NAME_RETENTION_DAYS if older_than is None else older_than
            n = services.purge_names(days)
            if fmt is OutputFormat.json:
                print_json({"older_than_days": days, "names_removed": n})
            else:
                console.print(
                    f"{n} nom(s) effacé(s) (réponses inchangées depuis plus de {days} jours)", highlight=False
                )

        run_guarded(run)

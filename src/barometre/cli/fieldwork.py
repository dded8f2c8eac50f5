"""Field-work commands added to existing groups: ``edition create|monitor``, ``invitations send``,
``responses import``. Registered after those groups (see ``main._register``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from barometre.cli.common import (
    OutputFormat,
    TableFormat,
    console,
    err_console,
    print_csv,
    print_json,
    print_table,
    run_guarded,
    setup_django,
)
from barometre.core.errors import BarometreError


def _group(app: typer.Typer, name: str) -> typer.Typer:
    for info in app.registered_groups:
        if info.name == name and info.typer_instance is not None:
            return info.typer_instance
    raise RuntimeError(f"command group {name} not registered")


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BarometreError(f"{option} : date invalide « {value} » (attendu AAAA-MM-JJ)") from None


def register(app: typer.Typer) -> None:
    edition_app = _group(app, "edition")
    invitations_app = _group(app, "invitations")
    responses_app = _group(app, "responses")

    @edition_app.command("create")
    def create(
        edition: int = typer.Option(..., "--edition", "-e", help="Année de l'édition."),
        questionnaire: int = typer.Option(
            ..., "--questionnaire", help="Année du questionnaire (questionnaires/ANNÉE.yaml)."
        ),
        opens: str | None = typer.Option(None, "--opens", help="Ouverture (AAAA-MM-JJ)."),
        closes: str | None = typer.Option(None, "--closes", help="Clôture (AAAA-MM-JJ)."),
        organiser: str | None = typer.Option(None, "--organiser", help="Organisateur (nommé aux répondants)."),
        help_email: str | None = typer.Option(None, "--help-email", help="Adresse d'aide aux répondants."),
        help_phone: str | None = typer.Option(None, "--help-phone", help="Téléphone d'aide aux répondants."),
        fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text ou json."),
    ) -> None:
        """Crée une édition (brouillon) avec ses paramètres ; mêmes paramètres déjà en place : rien à faire."""

        def run() -> None:
            setup_django()
            from barometre.apps.console import setup

            result = setup.create_or_update(
                edition,
                questionnaire,
                opens_on=_date(opens, "--opens"),
                closes_on=_date(closes, "--closes"),
                organiser=organiser,
                help_email=help_email,
                help_phone=help_phone,
            )
            if fmt is OutputFormat.json:
                print_json(
                    {"outcome": result.outcome, "changed": list(result.changed), **setup.describe(result.edition)}
                )
            else:
                words = {"created": "créée", "updated": "modifiée", "unchanged": "inchangée"}
                console.print(f"Édition {edition} {words[result.outcome]}", highlight=False)

        run_guarded(run)

    @edition_app.command("monitor")
    def monitor(
        edition: int = typer.Option(..., "--edition", "-e", help="Année de l'édition."),
        fmt: TableFormat = typer.Option(TableFormat.text, "--format", help="text, json ou csv."),
    ) -> None:
        """Suivi de la collecte par strate et par région, R-indicateur et R partiels."""

        def run() -> None:
            setup_django()
            from barometre.apps.console import monitoring
            from barometre.apps.editions.lifecycle import get_edition

            data = monitoring.monitor(get_edition(edition))
            if fmt is TableFormat.json:
                print_json(data)
            elif fmt is TableFormat.csv:
                rows = [{"level": "stratum", "key": r["stratum"], **r} for r in data["strata"]]
                rows += [{"level": "region", "key": r["region"], **r} for r in data["regions"]]
                print_csv(rows, ["level", "key", *monitoring.COLUMNS, "under_represented"])
            else:
                print_table(data["strata"], ["stratum", *monitoring.COLUMNS])
                console.print(f"R-indicateur : {data['r_indicator']}", highlight=False)

        run_guarded(run)

    @invitations_app.command("send")
    def send(
        edition: int = typer.Option(..., "--edition", "-e", help="Année de l'édition."),
        reminder: bool = typer.Option(False, "--reminder", help="Relance des collectivités qui n'ont pas envoyé."),
        stratum: str | None = typer.Option(None, "--stratum", help="Seulement cette strate."),
        fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text ou json."),
    ) -> None:
        """Envoie les invitations (ou relances) par e-mail, chacune avec un lien neuf (l'ancien est révoqué)."""

        def run() -> None:
            setup_django()
            from barometre.apps.console import mailing
            from barometre.apps.console.accounts import audit
            from barometre.apps.editions.lifecycle import get_edition

            ed = get_edition(edition)
            report = mailing.send_invitations(ed, reminder=reminder, stratum=stratum)
            audit(None, "reminders_send" if reminder else "invitations_send", edition=ed, reason=report.sentence())
            if fmt is OutputFormat.json:
                print_json(report.as_dict())
            else:
                console.print(report.sentence(), highlight=False)
                for f in report.failures[:20]:
                    err_console.print(f"échec {f['authority']} <{f['email']}> : {f['error']}", highlight=False)

        run_guarded(run)

    @invitations_app.command("schedule")
    def schedule(
        edition: int = typer.Option(..., "--edition", "-e", help="Année de l'édition."),
        fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text ou json."),
    ) -> None:
        """Programme les relances aux non-répondants : J+10, J+20 et trois jours avant la clôture (par le worker)."""

        def run() -> None:
            setup_django()
            from barometre.apps.console import jobs
            from barometre.apps.editions.lifecycle import get_edition

            made = jobs.schedule_reminders(get_edition(edition), actor="cli")
            rows = [{"job": j.pk, "run_after": j.run_after} for j in made]
            if fmt is OutputFormat.json:
                print_json(rows)
            else:
                console.print(f"{len(made)} relance(s) programmée(s)", highlight=False)

        run_guarded(run)

    @responses_app.command("import")
    def import_(
        file: Path = typer.Argument(..., help="Export CSV ou XLSX (LimeSurvey, KoboToolbox…)."),
        edition: int = typer.Option(..., "--edition", "-e", help="Année de l'édition."),
        mapping: Path = typer.Option(..., "--mapping", help="Fichier YAML : colonne → question."),
        dry_run: bool = typer.Option(
            False, "--dry-run", help="Vérifie et montre ce qui serait importé, sans rien écrire."
        ),
        fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text ou json."),
    ) -> None:
        """Importe des réponses d'un autre outil : chaque ligne validée par le questionnaire, tout ou rien."""

        def run() -> None:
            setup_django()
            from barometre.apps.console import imports
            from barometre.apps.editions.lifecycle import get_edition

            ed = get_edition(edition)
            try:
                summary = imports.import_responses(ed, file, mapping, dry_run=dry_run)
            except imports.ImportInvalid as exc:
                for line in exc.errors[1:]:
                    err_console.print(line, highlight=False, soft_wrap=True)
                raise
            if fmt is OutputFormat.json:
                print_json(summary)
            else:
                verb = "seraient importées" if dry_run else "importées"
                console.print(f"{summary['rows']} réponses {verb} ({summary['answers']} valeurs)", highlight=False)

        run_guarded(run)

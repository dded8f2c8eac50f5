"""``barometre contacts``: the people to write to, per authority (CSV import, all or nothing)."""

from __future__ import annotations

from pathlib import Path

import typer

from barometre.cli.common import OutputFormat, console, err_console, print_json, run_guarded, setup_django


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Contacts des collectivités pour les invitations et relances.", no_args_is_help=True)
    app.add_typer(sub, name="contacts")

    @sub.command("import")
    def import_(
        file: Path = typer.Argument(..., help="CSV UTF-8 : authority,email,name,role (en-tête = ligne 1)."),
        edition: int = typer.Option(..., "--edition", "-e", help="Année de l'édition."),
        fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text ou json."),
    ) -> None:
        """Importe les contacts : tout ou rien, erreurs en fichier:ligne:colonne."""

        def run() -> None:
            setup_django()
            from barometre.apps.console import contacts
            from barometre.apps.console.accounts import audit
            from barometre.apps.editions.lifecycle import get_edition

            ed = get_edition(edition)
            try:
                summary = contacts.import_file(ed, file)
            except contacts.ContactsInvalid as exc:
                for line in exc.errors[1:]:
                    err_console.print(line, highlight=False, soft_wrap=True)
                raise
            audit(None, "contacts_import", edition=ed, reason=f"{file.name} : {summary.rows} lignes", actor="cli")
            if fmt is OutputFormat.json:
                print_json(summary.as_dict())
            else:
                console.print(
                    f"{summary.rows} contacts ({summary.created} nouveaux, {summary.updated} modifiés, "
                    f"{summary.unchanged} inchangés) pour {summary.authorities} collectivités",
                    highlight=False,
                )

        run_guarded(run)

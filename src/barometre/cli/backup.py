"""``barometre backup`` and ``barometre restore``: a whole instance in one archive, and back."""

from __future__ import annotations

from pathlib import Path

import typer

from barometre.cli.common import FormatOption, OutputFormat, console, print_json, run_guarded, setup_django


def register(app: typer.Typer) -> None:
    @app.command("backup")
    def backup(
        out: Path = typer.Option(..., "--out", "-o", help="Archive à écrire (.tar.gz)."),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """Sauvegarde la base, la clé des liens des répondants et les fichiers générés (notes, données ouvertes)."""

        def run() -> None:
            setup_django()
            from barometre.apps.backup import backup as do_backup

            summary = do_backup(out)
            if fmt is OutputFormat.json:
                print_json(summary)
            else:
                console.print(
                    f"{summary['objects']} objets, {summary['files']} fichiers générés et la clé des liens "
                    f"sauvegardés dans {summary['archive']} ({summary['bytes']} octets, base {summary['engine']})",
                    highlight=False,
                )

        run_guarded(run)

    @app.command("restore")
    def restore(
        archive: Path = typer.Argument(..., help="Archive écrite par `barometre backup`."),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """Restaure une sauvegarde dans une base et un dossier de données vides (même version du schéma)."""

        def run() -> None:
            setup_django()
            from barometre.apps.backup import restore as do_restore

            summary = do_restore(archive)
            if fmt is OutputFormat.json:
                print_json(summary)
            else:
                console.print(
                    f"{summary['objects']} objets et {summary['files']} fichiers restaurés "
                    f"(sauvegarde {summary['from_engine']} → base {summary['engine']}) ; clé des liens "
                    f"{summary['token_key']}",
                    highlight=False,
                )

        run_guarded(run)

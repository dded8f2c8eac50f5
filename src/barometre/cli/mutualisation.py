"""``barometre mutualisation``: what the members of an EPCI, a département or an OPSN say, in aggregate."""

from __future__ import annotations

import typer

from barometre.cli.common import FormatOption, OutputFormat, console, print_json, print_table, run_guarded, setup_django

HELP = "Vue mutualisation d'une intercommunalité, d'un département ou d'un opérateur public (OPSN)."


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=HELP, no_args_is_help=True)
    app.add_typer(sub, name="mutualisation")

    @sub.command("show")
    def show(
        code: str = typer.Argument(..., help="SIREN de l'EPCI, code du département (35D…) ou identifiant d'OPSN."),
        edition: int = typer.Option(..., "--edition", "-e", help="Année de l'édition."),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """Membres, répondants, indicateurs agrégés (secret statistique appliqué), ressources partagées, projets."""

        def run() -> None:
            setup_django()
            from barometre.apps.projects import mutualisation

            data = mutualisation.show(code, edition)
            if fmt == OutputFormat.json:
                print_json(data)
                return
            members = data["members"]
            simulated = " (données simulées)" if data["simulated"] else ""
            console.print(
                f"{data['name']} — édition {edition} : "
                f"{members['responding']} répondantes sur {members['count']} membres{simulated}",
                markup=False,
                highlight=False,
            )
            rows = [
                {
                    "indicateur": a["key"],
                    "part": "secret" if a["suppressed"] else f"{a['k']} sur {a['n']}",
                }
                for a in data["indicators"] + data["shared_resources"] + data["gaps"]
            ]
            print_table(rows)

        run_guarded(run)

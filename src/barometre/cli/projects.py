"""``barometre projects``: the catalogue of data and AI projects, and "who does the same as me"."""

from __future__ import annotations

from typing import Any

import typer

from barometre.cli.common import FormatOption, OutputFormat, console, print_json, print_table, run_guarded, setup_django

HELP = "Catalogue des projets data et IA des collectivités, projets similaires."


def _row(project: Any, lang: str = "fr") -> dict[str, Any]:
    title, summary = project.text(lang)
    return {
        "key": project.key,
        "title": title,
        "summary": summary,
        "domain": project.domain,
        "status": project.status,
        "authority_code": project.authority.code,
        "authority_name": project.authority.name,
        "origin": project.origin,
        "source": project.source or None,
        "edition": project.edition.year if project.edition else None,
        "simulated": project.simulated,
    }


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=HELP, no_args_is_help=True)
    app.add_typer(sub, name="projects")

    @sub.command("list")
    def list_(
        q: str = typer.Option("", "--q", help="Mots à chercher (titre, description, collectivité)."),
        domain: str = typer.Option("", "--domain", help="Domaine (energie, eau, dechets…)."),
        region: str = typer.Option("", "--region", help="Code INSEE de la région."),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """Liste les projets publiés (exemples cités par les notes et projets déclarés avec accord)."""

        def run() -> None:
            setup_django()
            from barometre.apps.projects import services

            rows = [_row(p) for p in services.public_projects(services.Filters(q=q, domain=domain, region=region))]
            if fmt == OutputFormat.json:
                print_json(rows)
            else:
                print_table(rows, ["key", "title", "authority_name", "domain", "status", "origin"])

        run_guarded(run)

    @sub.command("show")
    def show(key: str = typer.Argument(..., help="Identifiant du projet."), fmt: OutputFormat = FormatOption) -> None:
        """Affiche un projet publié."""

        def run() -> None:
            setup_django()
            from barometre.apps.projects import services

            row = _row(services.get_public(key))
            if fmt == OutputFormat.json:
                print_json(row)
            else:
                for k, v in row.items():
                    console.print(f"{k}: {v}", markup=False, highlight=False)

        run_guarded(run)

    @sub.command("similar")
    def similar(
        text: str = typer.Option("", "--text", help="Description d'un projet."),
        authority: str = typer.Option("", "--authority", help="Code de la collectivité (ses projets déclarés)."),
        limit: int = typer.Option(10, "--limit", min=1, max=100),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """Projets les plus proches d'un texte, ou des projets d'une collectivité (de taille comparable)."""

        def run() -> None:
            if bool(text) == bool(authority):
                raise typer.BadParameter("indiquez soit --text, soit --authority")
            setup_django()
            from barometre.apps.projects import services

            pairs = (
                services.similar_to_text(text, limit=limit)
                if text
                else services.similar_to_authority(authority, limit=limit)
            )
            rows: list[dict[str, Any]] = [
                {
                    "key": p.key,
                    "title": p.title,
                    "authority_code": p.authority.code,
                    "authority_name": p.authority.name,
                    "score": m.score,
                    "shared_terms": list(m.shared_terms),
                }
                for p, m in pairs
            ]
            if fmt == OutputFormat.json:
                print_json(rows)
            else:
                print_table(
                    [{**r, "shared_terms": ", ".join(r["shared_terms"])} for r in rows],
                    ["score", "title", "authority_name", "shared_terms"],
                )

        run_guarded(run)

    @sub.command("load-examples")
    def load_examples(fmt: OutputFormat = FormatOption) -> None:
        """Charge les exemples cités par les notes publiées (idempotent)."""

        def run() -> None:
            setup_django()
            from barometre.apps.projects import services

            summary = services.load_examples()
            if fmt == OutputFormat.json:
                print_json(summary)
            else:
                created, updated, removed = summary["created"], summary["updated"], summary["removed"]
                console.print(f"{created} exemples créés, {updated} mis à jour, {removed} retirés", highlight=False)

        run_guarded(run)

    @sub.command("sync")
    def sync(edition: int = typer.Option(..., "--edition", "-e"), fmt: OutputFormat = FormatOption) -> None:
        """Reprend les projets déclarés dans les réponses envoyées d'une édition."""

        def run() -> None:
            setup_django()
            from barometre.apps.editions.models import Edition
            from barometre.apps.projects import services
            from barometre.core.errors import NotFound

            ed = Edition.objects.filter(year=edition).first()
            if ed is None:
                raise NotFound(f"édition inconnue : {edition}")
            count = services.sync_edition(ed)
            if fmt == OutputFormat.json:
                print_json({"edition": edition, "projects": count})
            else:
                console.print(f"Édition {edition} : {count} projets déclarés repris", highlight=False)

        run_guarded(run)

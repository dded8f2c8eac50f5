"""``barometre demo``: everything the demo site needs, idempotent.

Registry, questionnaires, simulated editions 2022–2025, weights, indicators,
simulated polls of French adults (2024, 2025: the years with published poll figures),
and an open 2026 edition for the portal. Each step says what it did.
"""

from __future__ import annotations

from collections.abc import Callable

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from barometre.cli.common import console, setup_django

Step = tuple[str, Callable[[], str]]

#: Simulated, published editions of the demo (so that trends exist) and their seed.
DEMO_EDITIONS = (2022, 2023, 2024, 2025)
DEMO_SEED = 1
#: The edition opened for collection so that the portal can be tried at once.
OPEN_EDITION = 2026


def _steps() -> list[Step]:
    steps: list[Step] = []

    def registry() -> str:
        from barometre.apps.registry.loading import load_registry

        return load_registry().message()

    steps.append(("Registre des collectivités", registry))

    def questionnaires() -> str:
        from barometre.core.questionnaire import available_editions, load_edition

        years = available_editions()
        for year in years:
            load_edition(year)  # validates; a broken file stops the demo with its location
        return f"{len(years)} questionnaires valides ({', '.join(map(str, years))})"

    steps.append(("Questionnaires", questionnaires))
    for year in DEMO_EDITIONS:

        def simulated(year: int = year) -> str:
            from barometre.apps.editions.pipeline import simulate

            return simulate(year, DEMO_SEED)

        steps.append((f"Édition {year} simulée", simulated))

    def polls() -> str:
        from barometre.apps.poll.services import simulate as simulate_poll
        from barometre.core.paths import POLL_QUESTIONNAIRES_DIR
        from barometre.core.questionnaire import available_editions

        years = [y for y in DEMO_EDITIONS if y in available_editions(POLL_QUESTIONNAIRES_DIR)]
        return " ; ".join(simulate_poll(year, DEMO_SEED, publish=True) for year in years)

    steps.append(("Sondages auprès des Français (simulés)", polls))

    def projects() -> str:
        from barometre.apps.editions.models import Edition
        from barometre.apps.projects import services

        examples = services.load_examples()
        simulated = services.simulate_projects(Edition.objects.get(year=DEMO_EDITIONS[-1]), seed=DEMO_SEED)
        return (
            f"{examples['created'] + examples['updated']} exemples cités par les notes, "
            f"{simulated} projets simulés ({DEMO_EDITIONS[-1]}, données simulées)"
        )

    steps.append(("Catalogue des projets", projects))

    def notes() -> str:
        from barometre.apps.editions.notes import ensure_note

        return " ; ".join(ensure_note(DEMO_EDITIONS[-1], lang) for lang in ("fr", "en"))

    steps.append((f"Note de conjoncture {DEMO_EDITIONS[-1]}", notes))

    def open_edition() -> str:
        from barometre.apps.portal.services import DEMO_SETTINGS, ensure_open_edition

        # The organiser and help contact respondents see (only those not set yet).
        return ensure_open_edition(OPEN_EDITION, defaults=DEMO_SETTINGS)[1]

    steps.append((f"Édition {OPEN_EDITION} ouverte à la collecte", open_edition))
    return steps


def register(app: typer.Typer) -> None:
    @app.command()
    def demo() -> None:
        """Prépare le site de démonstration (idempotent) : registre, éditions simulées, indicateurs."""
        setup_django()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        steps = _steps()
        with Progress(
            TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console, transient=False
        ) as progress:
            task = progress.add_task("Démo", total=len(steps))
            for label, fn in steps:
                progress.update(task, description=label)
                summary = fn()
                progress.console.print(f"[green]✓[/green] {label} : {summary}")
                progress.advance(task)

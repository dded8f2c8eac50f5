"""``barometre demo``: everything the demo site needs, idempotent.

Registry, questionnaires, simulated editions 2022–2025, weights, indicators,
and an open 2026 edition for the portal. Each step says what it did.
"""

from __future__ import annotations

from collections.abc import Callable

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from barometre.cli.common import console, setup_django

Step = tuple[str, Callable[[], str]]


def _steps() -> list[Step]:
    steps: list[Step] = []

    def registry() -> str:
        from barometre.apps.registry.loading import load_registry

        return load_registry().message()

    steps.append(("Registre des collectivités", registry))
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

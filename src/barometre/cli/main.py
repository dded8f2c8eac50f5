"""Entry point of the ``barometre`` command.

Each command group lives in its own module and is registered here.
"""

from __future__ import annotations

import sys

import typer

from barometre.core.errors import BarometreError

app = typer.Typer(
    name="barometre",
    help="Baromètre : data, IA et cybersécurité des collectivités territoriales.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    from barometre.cli import serve

    serve.register(app)
    # Command groups (one module each) — keep this list sorted.
    import importlib

    for name in (
        "demo",
        "diagnostic",
        "edition",
        "indicators",
        "invitations",
        "opendata",
        "questionnaire",
        "registry",
        "report",
        "responses",
        "stats",
    ):
        try:
            module = importlib.import_module(f"barometre.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"barometre.cli.{name}":
                continue  # group not built yet
            raise
        module.register(app)


_register()


def main() -> None:
    try:
        app()
    except BarometreError as exc:
        from barometre.cli.common import err_console

        err_console.print(f"[red]erreur[/red] : {exc}", highlight=False, soft_wrap=True)
        sys.exit(2)


if __name__ == "__main__":
    main()

"""Entry point of the ``barometre`` command.

Each command group lives in its own module and is registered here.
"""

from __future__ import annotations

import functools
import sys
from typing import Any

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
        "backup",
        "demo",
        "diagnostic",
        "edition",
        "indicators",
        "invitations",
        "mutualisation",
        "opendata",
        "poll",
        "projects",
        "questionnaire",
        "registry",
        "report",
        "responses",
        "sae",
        "stats",
        "users",
        "contacts",
        # adds commands to the edition, invitations and responses groups: keep it last
        "fieldwork",
    ):
        try:
            module = importlib.import_module(f"barometre.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"barometre.cli.{name}":
                continue  # group not built yet
            raise
        module.register(app)


def _guard(typer_app: typer.Typer) -> None:
    """Wrap every command so an expected error is one line on stderr and exit status 2.

    Done on the callbacks themselves so that it holds however the command is
    invoked (console script, ``python -m barometre``, typer's test runner).
    """
    for info in typer_app.registered_commands:
        callback = info.callback
        if callback is None or getattr(callback, "_guarded", False):
            continue

        @functools.wraps(callback)
        def guarded(*args: Any, __callback: Any = callback, **kwargs: Any) -> Any:
            try:
                return __callback(*args, **kwargs)
            except BarometreError as exc:
                from barometre.cli.common import fail

                raise fail(str(exc)) from None

        guarded._guarded = True  # type: ignore[attr-defined]
        info.callback = guarded
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _guard(group.typer_instance)


_register()
_guard(app)


def main() -> None:
    try:
        app()
    except BarometreError as exc:
        from barometre.cli.common import err_console, safe

        err_console.print(f"[red]erreur[/red] : {safe(exc)}", highlight=False, soft_wrap=True)
        sys.exit(2)


if __name__ == "__main__":
    main()

"""Shared helpers of the command line: output formats, errors, Django set-up."""

from __future__ import annotations

import enum
import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from barometre.core.errors import BarometreError
from barometre.core.text import neutralise_formula, printable

console = Console()
err_console = Console(stderr=True)


def safe(value: Any) -> str:
    """Data shown in rich markup: markup escaped (``[/oops]`` stays text), control characters
    (escape sequences) shown as ``\\xNN``."""
    return escape(printable(str(value)))


class OutputFormat(enum.StrEnum):
    text = "text"
    json = "json"


class TableFormat(enum.StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


FormatOption = typer.Option(OutputFormat.text, "--format", help="Output format (text or json).")


def _default(o: Any) -> Any:
    if isinstance(o, (date, datetime)):
        return o.isoformat()
    if isinstance(o, Decimal):
        return float(o)
    if isinstance(o, Path):
        return str(o)
    if isinstance(o, enum.Enum):
        return o.value
    if hasattr(o, "tolist"):
        return o.tolist()
    if hasattr(o, "item"):
        return o.item()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def dump_json(data: Any, *, indent: int | None = 2) -> str:
    """JSON of ``data``; ``indent=None`` writes it on one line with the standard library's C encoder
    (several times faster on the large outputs of an edition than the indented, pure-Python one)."""
    return json.dumps(data, ensure_ascii=False, indent=indent, default=_default, allow_nan=False)


def print_json(data: Any) -> None:
    """``data`` as JSON on standard output: indented for a person at a terminal, on one line for a
    program reading a pipe or a file (same content)."""
    sys.stdout.write(dump_json(data, indent=2 if sys.stdout.isatty() else None) + "\n")


def print_table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None, title: str | None = None
) -> None:
    """Print rows as a readable rich table."""
    if not rows:
        console.print("(aucune ligne)")
        return
    cols = list(columns or rows[0].keys())
    table = Table(title=Text(printable(title)) if title else None)
    for c in cols:
        table.add_column(Text(printable(c)))
    for r in rows:
        # Text cells: never read as markup, control characters from the data made visible.
        table.add_row(*[Text("" if r.get(c) is None else printable(str(r.get(c)))) for c in cols])
    console.print(table)


def print_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], *, verbatim: Sequence[str] = ()) -> None:
    """Rows as CSV; text cells never read as formulas by a spreadsheet, except the ``verbatim``
    columns (identifiers this program generated, such as tokens, which must be copied exactly)."""
    import csv

    writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: v if k in verbatim and v is not None else _csv_cell(v) for k, v in r.items()})


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return neutralise_formula(value)  # text opened in a spreadsheet is never a formula
    return value


def fail(message: str, status: int = 2) -> typer.Exit:
    err_console.print(f"[red]erreur[/red] : {safe(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(status)


def setup_django() -> None:
    """Configure Django for commands that use the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "barometre.web.settings")
    import django
    from django.apps import apps

    if not apps.ready:  # once per process: a second setup would rebind the log handlers to today's stderr
        django.setup()


def run_guarded(fn: Callable[[], None]) -> None:
    """Run ``fn``, turning expected errors into one line and exit status 2."""
    try:
        fn()
    except BarometreError as exc:
        raise fail(str(exc)) from None

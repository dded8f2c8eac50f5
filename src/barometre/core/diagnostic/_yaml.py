"""YAML loading that remembers line numbers, so data errors can say ``file:LINE``.

Every mapping is returned as a :class:`LineDict` (a ``dict``) whose ``line`` is
the 1-based line where the mapping starts and whose ``key_lines`` gives the
line of each key. Lists are plain lists; scalars are what ``yaml.safe_load``
gives.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from barometre.core.errors import DiagnosticError
from barometre.core.paths import PROJECT_ROOT


class LineDict(dict[Any, Any]):
    """A ``dict`` that knows where it was written."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        lines: dict[Any, int] = getattr(self, "key_lines", {})
        return lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    pass


def _construct_map(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Iterator[LineDict]:
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = key_node.start_mark.line + 1


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)


def line_of(obj: Any, key: Any = None) -> int | None:
    """Line of ``obj`` (or of its ``key``) when it came from :func:`load_yaml`, else None."""
    if isinstance(obj, LineDict):
        return obj.line_of(key) if key is not None else obj.line
    return None


def display_path(path: Path) -> str:
    """``data/x.yaml`` for a file of the checkout, else the path as given."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def load_yaml(path: Path, what: str) -> Any:
    """Parse ``path``; unreadable or invalid YAML → :class:`DiagnosticError` located in the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DiagnosticError(f"{what} illisible : {exc}", location=display_path(path)) from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{display_path(path)}:{mark.line + 1}" if mark is not None else display_path(path)
        raise DiagnosticError(f"YAML invalide : {getattr(exc, 'problem', exc)}", location=where) from None

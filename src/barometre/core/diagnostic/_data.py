"""The diagnostic's data files, read by the one YAML reader (:mod:`barometre.core.yamlfile`).

Unreadable or invalid files raise :class:`DiagnosticError` located ``file:line:column``; mappings and lists
remember their lines (:func:`line_of`) so the parsers can locate their own errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from barometre.core import yamlfile
from barometre.core.errors import DiagnosticError
from barometre.core.yamlfile import display_path, line_of, localized

__all__ = ["display_path", "line_of", "load_yaml", "localized"]


def load_yaml(path: Path, what: str) -> Any:
    """Parse ``path``; unreadable or invalid YAML → :class:`DiagnosticError` located in the file."""
    try:
        return yamlfile.load_file(path)
    except OSError as exc:
        raise DiagnosticError(f"{what} illisible : {exc}", location=display_path(path)) from None
    except yamlfile.YamlError as exc:
        raise DiagnosticError(exc.message, location=exc.location) from None

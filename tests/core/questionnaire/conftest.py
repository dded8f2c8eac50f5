from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

HEADER = """\
edition: 2025
version: "1"
title: {fr: Test, en: Test}
sections:
"""


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[str], Path]:
    """Write a questionnaire whose sections are given (indented YAML under ``sections:``)."""

    def write(sections: str, *, raw: bool = False) -> Path:
        path = tmp_path / "q.yaml"
        text = sections if raw else HEADER + textwrap.indent(textwrap.dedent(sections), "  ")
        path.write_text(text, encoding="utf-8")
        return path

    return write

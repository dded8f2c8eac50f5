"""The CLI imports a command group's module (and its dependencies) only when that group runs."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from barometre.cli.main import EXTENSIONS, LAZY_COMMANDS, app, load_commands

HEAVY = ("numpy", "scipy", "pandas", "django", "matplotlib", "weasyprint")


def _modules_after(args: list[str]) -> tuple[int, set[str]]:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from barometre.cli.main import app\n"
        f"result = CliRunner().invoke(app, {args!r})\n"
        "print(result.exit_code)\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    status, modules = out.splitlines()[-2:]
    return int(status), set(modules.split())


def test_help_lists_every_command_without_importing_any_group() -> None:
    status, modules = _modules_after(["--help"])
    assert status == 0
    assert sorted(m for m in modules if m.startswith("barometre.cli.")) == ["barometre.cli.main"]
    assert sorted(m for m in modules if m.split(".")[0] in HEAVY) == []


def test_a_questionnaire_command_imports_neither_statistics_nor_django() -> None:
    status, modules = _modules_after(["questionnaire", "validate", "2025"])
    assert status == 0
    assert "barometre.cli.questionnaire" in modules
    assert {m for m in modules if m.startswith("barometre.cli.")} <= {
        "barometre.cli.main",
        "barometre.cli.common",
        "barometre.cli.questionnaire",
    }
    assert sorted({m.split(".")[0] for m in modules} & set(HEAVY)) == []


@pytest.mark.parametrize("name", sorted(LAZY_COMMANDS))
def test_the_help_line_of_each_command_is_the_commands_own(name: str) -> None:
    module, line = LAZY_COMMANDS[name]
    commands = load_commands(module)
    assert name in commands
    assert commands[name].get_short_help_str(limit=1000) == line


def test_every_registered_command_is_listed() -> None:
    import barometre.cli

    modules = {
        info.name
        for info in pkgutil.iter_modules(barometre.cli.__path__)
        if "def register(" in (Path(barometre.cli.__path__[0]) / f"{info.name}.py").read_text(encoding="utf-8")
    }
    assert modules == {module for module, _ in LAZY_COMMANDS.values()} | set(EXTENSIONS)
    registered = {name for module in modules - set(EXTENSIONS) for name in load_commands(module)}
    assert registered == set(LAZY_COMMANDS)


def test_help_lists_the_commands_in_the_declared_order() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    ctx = typer.Context(group)
    assert group.list_commands(ctx) == list(LAZY_COMMANDS)

"""The project checked against its own architecture rules."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "barometre"
CORE = SRC / "core"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_imports_no_django_statically() -> None:
    offenders = []
    for path in CORE.rglob("*.py"):
        for name in _imports(path):
            if name == "django" or name.startswith(("django.", "barometre.apps", "barometre.web", "barometre.cli")):
                offenders.append(f"{path.relative_to(SRC)} imports {name}")
    assert offenders == []


@pytest.mark.slow
def test_importing_the_whole_core_loads_no_django() -> None:
    modules = sorted(
        "barometre." + ".".join(p.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
        for p in CORE.rglob("*.py")
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_apps_do_not_import_the_cli() -> None:
    offenders = []
    for path in (SRC / "apps").rglob("*.py"):
        offenders += [f"{path} imports {n}" for n in _imports(path) if n.startswith("barometre.cli")]
    assert offenders == []


def test_one_module_reads_and_writes_yaml() -> None:
    root = SRC.parents[1]
    users = sorted(
        str(path.relative_to(root))
        for folder in ("src", "scripts", "tests", "benchmarks")
        for path in (root / folder).rglob("*.py")
        if "yaml" in path.read_text(encoding="utf-8")
        and any(n == "yaml" or n.startswith("yaml.") for n in _imports(path))
    )
    assert users == ["src/barometre/core/yamlfile.py"]


def test_data_files_give_english_as_fr_en_pairs_not_parallel_keys() -> None:
    from barometre.core import yamlfile

    data_dir = SRC.parents[1] / "data"

    def parallel_keys(node: object, where: str) -> list[str]:
        if isinstance(node, dict):
            found = [f"{where}.{k}" for k in node if str(k).endswith("_en")]
            return found + [x for k, v in node.items() for x in parallel_keys(v, f"{where}.{k}")]
        if isinstance(node, list):
            return [x for i, v in enumerate(node) for x in parallel_keys(v, f"{where}[{i}]")]
        return []

    files = sorted(data_dir.rglob("*.yaml"))
    assert files
    found = [x for path in files for x in parallel_keys(yamlfile.load_file(path), path.name)]
    assert found == []


def test_the_core_chooses_between_french_and_english_only_in_the_wording_layer() -> None:
    choice = re.compile(r'lang (==|!=) "(fr|en)"')
    offenders = [
        f"{path.relative_to(SRC)}:{n}: {line.strip()}"
        for path in sorted(CORE.rglob("*.py"))
        if path.relative_to(CORE).parts[0] != "wording"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if choice.search(line)
    ]
    assert offenders == []


#: Modules that may name the estimate's fields, and why (paths under ``src/barometre``).
ESTIMATE_FIELD_NAMERS = {
    "apps/editions/estimates.py": "the one mapper of the authorities' estimate rows",
    "apps/poll/estimates.py": "the one mapper of the poll's estimate rows",
    "core/indicators/compute.py": "defines EstimateRow and computes its values (the respondents' base)",
    "core/opendata.py": "describes each published column (the data package's schema), copies nothing",
    "core/stats/frame.py": "the statistics engine's own R-shaped result (request, statistic, df), not a row",
}


def test_only_the_mappers_copy_the_estimate_fields_by_name() -> None:
    copy = re.compile(r'\bci_(low|high)=|"ci_(low|high)"\s*:')
    offenders = [
        f"{rel}:{n}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        if "migrations" not in path.parts and (rel := path.relative_to(SRC).as_posix()) not in ESTIMATE_FIELD_NAMERS
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if copy.search(line)
    ]
    assert offenders == []

from __future__ import annotations

from pathlib import Path

import pytest

from barometre.core.registry import Frame, load_snapshot, read_snapshot
from barometre.core.registry.build import build_snapshot
from barometre.core.registry.sample import write_sample_package


@pytest.fixture(scope="session")
def frame() -> Frame:
    """The committed snapshot (data/registry/)."""
    return load_snapshot()


@pytest.fixture
def sample_dir(tmp_path: Path) -> Path:
    """A snapshot built from the synthetic sample package."""
    package = write_sample_package(tmp_path / "package")
    return build_snapshot(tmp_path / "snapshot", "6.0.0", package_dir=package)


@pytest.fixture
def sample(sample_dir: Path) -> Frame:
    return read_snapshot(sample_dir)

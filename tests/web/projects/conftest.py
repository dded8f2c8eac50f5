"""Authorities of the curated examples (taken from the committed registry snapshot), and a few others."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from barometre.core.registry.model import Frame


@cache
def _frame() -> Frame:
    from barometre.apps.registry.loading import SNAPSHOT_DIR
    from barometre.core.registry.snapshot import read_snapshot

    return read_snapshot(SNAPSHOT_DIR)


def make_registry_authority(code: str) -> Any:
    from tests.factories import make_authority

    a = _frame().get(code)
    return make_authority(
        code=a.code,
        name=a.name,
        kind=a.kind.value,
        type=a.type,
        population_municipale=a.population_municipale,
        stratum=a.stratum.value,
        region=a.region,
        departement=a.departement or "",
    )


@pytest.fixture
def examples_loaded(db: Any) -> int:
    from barometre.apps.projects import services
    from barometre.core.projects import catalogue

    for code in sorted({e.authority_code for e in catalogue.examples()}):
        make_registry_authority(code)
    return services.load_examples()["created"]

"""Shared fixtures."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# Tables printed by the CLI are as wide as the terminal: the same width for every test process, with or
# without a terminal (pytest-xdist's workers have none).
os.environ.setdefault("COLUMNS", "200")

# Property-based tests: no per-example deadline (a loaded CI machine is not a failure) and the same
# examples on every run (a CI result does not depend on luck); `HYPOTHESIS_PROFILE=explore` to search.
settings.register_profile("ci", deadline=None, derandomize=True)
settings.register_profile("explore", deadline=None, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


#: Fixtures through which a test reaches the database (pytest-django's, and what builds on them).
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"})


def touches_database(item: pytest.Item) -> bool:
    """Whether ``item`` may use the database: pytest-django refuses access to any test that does not say so."""
    names = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(names & DATABASE_FIXTURES)


#: Fixture scopes that a module's tests share: pytest-xdist keeps such a module on one worker.
SHARED_SCOPES = frozenset({"module", "package"})


def _shares_a_fixture(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    defs = info.name2fixturedefs.values() if info is not None else ()
    return any(d.scope in SHARED_SCOPES for chain in defs for d in chain)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep on one worker the tests of a module that share a module-scoped fixture (otherwise each
    worker builds it again: a simulated edition, a weighting…); with ``BAROMETRE_ONLY_DATABASE_TESTS=1``
    (the PostgreSQL pass of ``make test``), keep only the tests that touch the database: the others gave
    the same answer on SQLite."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None and _shares_a_fixture(item):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
    if os.environ.get("BAROMETRE_ONLY_DATABASE_TESTS") != "1":
        return
    kept = [item for item in items if touches_database(item)]
    deselected = [item for item in items if not touches_database(item)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with empty caches (rate-limit counters, cached API pages)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield


# A real registry and one simulated edition, loaded once for the module that asks and removed after.
SEED = 7


def _wipe() -> None:
    from barometre.apps.editions.models import AuditEntry, Edition
    from barometre.apps.registry.models import Authority, RegistryLoad

    AuditEntry.objects.all().delete()
    Edition.objects.all().delete()
    Authority.objects.update(epci=None, region_council=None, departement_council=None)
    Authority.objects.all().delete()
    RegistryLoad.objects.all().delete()


def _simulate_2025() -> None:
    from barometre.apps.editions.pipeline import simulate
    from barometre.apps.registry.loading import load_registry

    load_registry()
    simulate(2025, SEED)


def _save(path: Path) -> None:
    """Copy the test database into the SQLite file ``path`` (SQLite's backup API)."""
    from django.db import connection

    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def _restore(path: Path) -> None:
    """Replace the test database's content by the SQLite file ``path`` (SQLite's backup API)."""
    from django.db import connection

    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        copy.backup(connection.connection)
    finally:
        copy.close()


@pytest.fixture(scope="session")
def _simulated_2025_copy(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path] | None:
    """On SQLite: (the database as found, the database with the registry and edition 2025 simulated),
    made once per test process; a module asking for the edition copies the second in and the first back
    after (a fraction of a second, instead of simulating and deleting again)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return None
    folder = tmp_path_factory.mktemp("simulated")
    found, simulated = folder / "found.sqlite3", folder / "simulated_2025.sqlite3"
    with django_db_blocker.unblock():
        _save(found)
        _simulate_2025()
        _save(simulated)
        _restore(found)
    return found, simulated


@pytest.fixture(scope="module")
def simulated_2025(_simulated_2025_copy: tuple[Path, Path] | None, django_db_blocker: Any) -> Iterator[int]:
    with django_db_blocker.unblock():
        if _simulated_2025_copy is None:
            _simulate_2025()
        else:
            _restore(_simulated_2025_copy[1])
    yield 2025
    with django_db_blocker.unblock():
        if _simulated_2025_copy is None:
            from barometre.apps.projects.models import Project

            Project.objects.all().delete()
            _wipe()
        else:
            _restore(_simulated_2025_copy[0])

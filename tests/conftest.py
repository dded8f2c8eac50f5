"""Shared fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator
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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``BAROMETRE_ONLY_DATABASE_TESTS=1`` (the PostgreSQL pass of ``make test``), keep only the tests
    that touch the database: the others gave the same answer on SQLite."""
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


@pytest.fixture(scope="module")
def simulated_2025(django_db_setup: Any, django_db_blocker: Any) -> Iterator[int]:
    from barometre.apps.editions.pipeline import simulate
    from barometre.apps.registry.loading import load_registry

    with django_db_blocker.unblock():
        load_registry()
        simulate(2025, SEED)
    yield 2025
    with django_db_blocker.unblock():
        from barometre.apps.projects.models import Project

        Project.objects.all().delete()
        _wipe()

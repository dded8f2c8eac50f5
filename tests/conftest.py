"""Shared fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import settings

# Property-based tests: no per-example deadline (a loaded CI machine is not a failure) and the same
# examples on every run (a CI result does not depend on luck); `HYPOTHESIS_PROFILE=explore` to search.
settings.register_profile("ci", deadline=None, derandomize=True)
settings.register_profile("explore", deadline=None, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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

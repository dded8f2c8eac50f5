"""A real registry and one simulated edition, loaded once for the module and removed after."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

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
        _wipe()

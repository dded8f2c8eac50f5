"""Shared fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator

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

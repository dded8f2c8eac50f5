"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache (rate-limit counters, cached API pages)."""
    from django.core.cache import cache

    cache.clear()
    yield

"""Schemathesis explores the API from its own OpenAPI schema and finds no failure."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from barometre.web.wsgi import application
from tests.factories import make_authority, make_edition, make_estimate, make_response

pytestmark = pytest.mark.slow  # generates hundreds of requests

# The schema endpoint reads no database: it can be fetched at collection time.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def published_data(db: Any) -> Any:
    # Calling the WSGI application directly (as Django's test client does not)
    # would close the test's database connection at the end of each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    edition = make_edition(2025)
    make_response(edition, make_authority(name="Brest"))
    make_estimate(edition, "ai_deployed")
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_schema(case: Any, published_data: None) -> None:
    case.call_and_validate()

"""The API answers its JSON error shape for every bad parameter, path parameters included."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import make_authority, make_edition, make_estimate

pytestmark = pytest.mark.django_db


@pytest.fixture
def published() -> None:
    edition = make_edition(2025)
    make_authority(name="Saint-Étienne-du-Bois", population_municipale=2600)
    make_estimate(edition, "ai_deployed")


def _error(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status  # type: ignore[attr-defined]
    assert response["Content-Type"].startswith("application/json")  # type: ignore[index]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    return body["error"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/authorities/%00",
        "/api/v1/authorities/35238%1b",
        "/api/v1/indicators/rssi%00",
        "/api/v1/estimates?indicator=%00",
        "/api/v1/estimates?breakdown=strate%00",
        "/api/v1/estimates?domain_value=%7f",
        "/api/v1/authorities?q=sai%00nt",
        "/api/v1/authorities?kind=%00",
        "/api/v1/estimates?%00=1",
    ],
)
def test_a_control_character_anywhere_is_a_400_in_the_error_shape(client: Client, published: None, url: str) -> None:
    error = _error(client.get(url), 400)
    assert error["code"] == "invalid_parameter"
    assert "U+00" in str(error["message"])


def test_an_overlong_parameter_is_a_400_in_the_error_shape(client: Client, published: None) -> None:
    error = _error(client.get("/api/v1/authorities", {"q": "a" * 1000}), 400)
    assert error["details"] == {"parameter": "q"}


def test_a_server_error_under_the_api_is_json(published: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from barometre.apps.api import views

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "get_authority", broken)
    error = _error(Client(raise_request_exception=False).get("/api/v1/authorities/35238"), 500)
    assert error["code"] == "server_error"

"""Public pages never answer 500 to odd input; chart images are drawn once per data version."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from barometre.apps.public import explorer
from tests.factories import make_edition, make_estimate

pytestmark = pytest.mark.django_db


@pytest.fixture
def published() -> None:
    edition = make_edition(2024, indicators_computed_at=timezone.now())
    make_estimate(edition, "rssi", estimate=61.0, ci_low=55.0, ci_high=67.0)


def test_a_chart_of_a_breakdown_without_estimates_is_a_404(published: None) -> None:
    client = Client(raise_request_exception=False)
    assert client.get("/resultats/rssi/graphique.png?breakdown=strate&edition=2024").status_code == 404
    assert client.get("/resultats/rssi/graphique.png?edition=2024").status_code == 200


@pytest.mark.parametrize(
    ("url", "status"),
    [("/note/2025/%00.pdf", 400), ("/note/2024/" + "a" * 5000 + ".pdf", 404), ("/note/2024/%2e%2e/x.pdf", 404)],
)
def test_odd_note_file_names_never_answer_500(published: None, url: str, status: int) -> None:
    assert Client(raise_request_exception=False).get(url).status_code == status


def test_chart_images_are_drawn_once_per_data_version(published: None, monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[str] = []
    real = explorer._draw_png

    def counting(*args: object, **kwargs: object) -> bytes:
        drawn.append("x")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(explorer, "_draw_png", counting)
    client = Client()
    first = client.get("/resultats/rssi/graphique.png?edition=2024")
    second = client.get("/resultats/rssi/graphique.png?edition=2024")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and first.content.startswith(b"\x89PNG")
    assert len(drawn) == 1
    client.get("/resultats/rssi/graphique.png?edition=2024", HTTP_COOKIE="django_language=en")
    assert len(drawn) == 2  # another language is another image
    from barometre.apps.editions.models import Edition

    Edition.objects.filter(year=2024).update(indicators_computed_at=timezone.now() + timedelta(seconds=1))
    client.get("/resultats/rssi/graphique.png?edition=2024")
    assert len(drawn) == 3  # computed again: drawn again

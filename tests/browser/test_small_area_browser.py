"""The explorer's model-based département map and table in a real browser: keyboard and axe."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_audit
from tests.factories import make_edition, make_estimate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data() -> None:
    from barometre.apps.editions.models import SmallAreaEstimate, SmallAreaFit
    from barometre.core.sae.areas import DEPARTEMENT_NAMES

    e25 = make_edition(2025)
    make_estimate(e25, "cyber_threatened", estimate=45.0, ci_low=40.0, ci_high=50.0)
    checks = {"method": "REML", "refvar": 12.5, "refvar_truncated": False, "std_residual_sd": 0.95,
              "areas_fitted": 80, "contradictions": []}  # fmt: skip
    fit = SmallAreaFit.objects.create(edition=e25, indicator="cyber_threatened", level="departement", checks=checks)
    SmallAreaEstimate.objects.bulk_create(
        [
            SmallAreaEstimate(
                fit=fit,
                area=code,
                name=name,
                estimate=30 + i % 40,
                mse=20.0 + i,
                cv=0.05 + (i % 10) / 20,
                n=i % 13,
                method="eblup" if i % 13 >= 10 else "synthetic",
                direct=(35.0 + i % 30) if i % 13 >= 10 else None,
            )
            for i, (code, name) in enumerate(sorted(DEPARTEMENT_NAMES.items()))
        ]
    )


def test_departement_map_and_table_are_accessible_and_reachable_by_keyboard(
    page: Any, live_server: Any, data: None
) -> None:
    page.goto(live_server.url + "/resultats/cyber_threatened/?edition=2025")
    assert page.locator(".barometre-small-area-map").count() == 1
    assert page.locator(".barometre-small-area-map [data-area]").count() == 101
    summary = page.get_by_text("Tableau par département")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("table", name="Estimations par département").is_visible()
    assert axe_audit(page) == []

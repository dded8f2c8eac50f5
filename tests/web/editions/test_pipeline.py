"""An edition end to end on the database: simulate, weight, compute, compare, publish."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from typer.testing import CliRunner

from barometre.apps.editions import pipeline
from barometre.apps.editions.lifecycle import move
from barometre.apps.editions.models import Answer, Edition, IndicatorEstimate, ResponseStatus
from barometre.cli.main import app
from barometre.core.errors import EditionError
from barometre.core.registry import load_snapshot
from barometre.core.stats.korn_graubard import korn_graubard
from tests.conftest import SEED

# Loads the real registry and simulates an edition once for the module (so on one worker).
pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.xdist_group("pipeline")]


def test_simulated_edition_is_published_and_labelled(simulated_2025: int) -> None:
    edition = Edition.objects.get(year=simulated_2025)
    assert edition.simulated and edition.state == "published"
    assert edition.responses.filter(status=ResponseStatus.SUBMITTED).count() == 292
    assert IndicatorEstimate.objects.filter(edition=edition).exists()
    result = CliRunner().invoke(app, ["indicators", "compute", "--edition", "2025"])
    assert "données simulées" in result.output


def test_running_the_simulation_again_changes_nothing(simulated_2025: int) -> None:
    before = list(IndicatorEstimate.objects.filter(edition__year=2025).values_list("pk", "estimate"))
    assert "inchangée" in pipeline.simulate(2025, SEED)
    assert list(IndicatorEstimate.objects.filter(edition__year=2025).values_list("pk", "estimate")) == before


def test_weights_reproduce_the_frame_margins(simulated_2025: int) -> None:
    frame = load_snapshot()
    by_stratum: dict[str, int] = defaultdict(int)
    for a in frame.authorities:
        by_stratum[a.stratum.value] += 1
    weighted: dict[str, float] = defaultdict(float)
    for stratum, w in Edition.objects.get(year=2025).responses.values_list("authority__stratum", "weight"):
        weighted[stratum] += w
    for stratum, count in by_stratum.items():
        assert weighted[stratum] == pytest.approx(count, rel=1e-6), stratum


def test_published_targets_fall_inside_the_intervals(simulated_2025: int) -> None:
    result = CliRunner().invoke(app, ["indicators", "compare", "--edition", "2025", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = [r for r in json.loads(result.output)["rows"] if r["target"] and r["estimate"] is not None]
    assert len(rows) >= 10
    inside = [r for r in rows if r["published_inside_ci"]]
    # 95 % intervals: about one target in twenty may miss by chance, hardly any by far (99.9 %
    # interval). The estimates of one edition share its respondents, whose latent maturity drives
    # every answer, so misses come together: over the seeds 1 to 17 the targets of this edition fall
    # inside in 92 % of cases with no bias (mean standardised difference -0.02, no indicator's mean
    # beyond 0.6), but one seed in eight has 3 misses of 16. This seed's 45 respondent communes of
    # 3,500 to 9,999 inhabitants answer "data project on mobility" 21 points above their stratum
    # (2.8 standard errors), which puts that national figure beyond its 99.9 % interval.
    assert len(inside) >= 0.8 * len(rows)
    estimates = {
        (e.indicator, e.breakdown, e.domain_value): e for e in IndicatorEstimate.objects.filter(edition__year=2025)
    }
    far = []
    for r in rows:
        e = estimates[(r["indicator"], r["breakdown"], r["domain_value"])]
        low, high = korn_graubard(e.estimate / 100, e.se / 100, e.n, level=0.999)
        if not 100 * low <= r["published"] <= 100 * high:
            far.append(r["indicator"])
    assert len(far) <= 1, far


def test_an_answer_edited_after_weighting_marks_the_weights_stale(simulated_2025: int) -> None:
    edition = Edition.objects.get(year=2025)
    assert not edition.weights_stale
    answer = Answer.objects.filter(response__edition=edition).first()
    answer.updated_by = "analyste"
    answer.save()
    edition.refresh_from_db()
    assert edition.weights_stale
    move(2025, "closed")
    with pytest.raises(EditionError, match="pondération"):
        move(2025, "published")
    pipeline.weight(2025)
    pipeline.compute(2025)
    assert move(2025, "published").state == "published"


def test_publication_needs_up_to_date_indicators(simulated_2025: int) -> None:
    with pytest.raises(EditionError):
        pipeline.compute(1900)


def test_an_edition_without_responses_gives_a_clear_message(simulated_2025: int) -> None:
    Edition.objects.create(year=2030, questionnaire_version="x", questionnaire_year=2025, frame_version="t")
    result = CliRunner().invoke(app, ["edition", "weight", "--edition", "2030"])
    assert result.exit_code == 2
    assert "aucune réponse" in result.output


def test_diagnostic_of_a_respondent_shows_scores_peers_plan_obligations_and_csirt(simulated_2025: int) -> None:
    from barometre.apps.editions.models import Response

    response = Response.objects.filter(edition__year=2025, authority__kind="departement").first()
    code = response.authority.code
    result = CliRunner().invoke(app, ["diagnostic", "show", code, "--edition", "2025", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["order"] == ["scores", "action_plan", "obligations", "csirt"]
    scores = report["blocks"][0]["data"]
    assert 0 <= scores["overall"]["score"] <= 100
    strate = scores["peers"]["strate"]
    assert strate["n_peers"] >= 10 and strate["shown"] and 0 <= strate["percentile"] <= 100
    # only aggregates of the peers: no other authority's code appears anywhere
    others = set(
        Response.objects.filter(edition__year=2025).exclude(pk=response.pk).values_list("authority__code", flat=True)
    )
    assert not any(f'"{c}"' in result.output for c in others)
    attacked = CliRunner().invoke(
        app, ["diagnostic", "show", code, "--edition", "2025", "--under-attack", "--format", "json"]
    )
    assert json.loads(attacked.output)["order"][0] == "csirt"


def test_diagnostic_of_an_authority_that_did_not_answer_is_a_clear_error(simulated_2025: int) -> None:
    from barometre.apps.editions.models import Response

    answered = set(Response.objects.filter(edition__year=2025).values_list("authority__code", flat=True))
    code = next(a.code for a in load_snapshot().authorities if a.code not in answered)
    result = CliRunner().invoke(app, ["diagnostic", "show", code, "--edition", "2025"])
    assert result.exit_code == 2 and "aucune réponse" in result.output


def test_respondent_reaches_its_diagnostic_page_and_pdf_from_its_link(simulated_2025: int, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    from django.test import Client

    from barometre.apps.editions.models import Response
    from barometre.apps.portal.models import Invitation

    response = (
        Response.objects.filter(edition__year=2025, authority__kind="commune").select_related("authority").first()
    )
    _, token = Invitation.create_for(response)
    client = Client()
    html = client.get(f"/repondre/{token}/diagnostic/").content.decode()
    assert response.authority.name in html
    for block in ("scores", "action_plan", "obligations", "csirt"):
        assert f'data-block="{block}"' in html
    # Phone first: the CSIRT and the incident button above the scores; no internal note, no exact peer score.
    assert html.index('data-block="csirt"') < html.index('id="incident-button"') < html.index('data-block="scores"')
    assert "numérotation incertaine" not in html and "facts.md" not in html and "Quartiles :" not in html
    attacked = client.get(f"/repondre/{token}/diagnostic/", {"attaque": "1"}).content.decode()
    assert attacked.index('data-block="csirt"') < attacked.index('data-block="action_plan"')
    assert attacked.index('data-block="action_plan"') < attacked.index('data-block="scores"')
    pdf = client.get(f"/repondre/{token}/diagnostic.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    (tmp_path / "d.pdf").write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(tmp_path / "d.pdf"), "-"], capture_output=True, text=True, check=True)
    assert response.authority.name in text.stdout and "/100" in text.stdout
    assert client.get("/repondre/" + "x" * 40 + "/diagnostic/").status_code == 404


def test_the_note_is_built_once_and_served_with_its_files(simulated_2025: int, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client, override_settings

    from barometre.apps.editions.notes import ensure_note

    with override_settings(DATA_DIR=tmp_path):
        assert "construite" in ensure_note(2025, "fr")
        assert "déjà à jour" in ensure_note(2025, "fr")
        client = Client()

        def get(url: str) -> tuple[int, str, bytes]:
            response = client.get(url, {"lang": "fr"})
            # consuming the stream closes the file (the test client's wrapper closes the response)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            return response.status_code, response.get("Content-Type", ""), body

        status, _, html = get("/note/2025/")
        assert status == 200 and b"data-indicator=" in html and "Données simulées".encode() in html
        assert get("/note/2025/note.pdf")[1] == "application/pdf"
        svg = next((tmp_path / "notes/2025/fr/figures").glob("*.svg")).name
        assert get(f"/note/2025/figures/{svg}")[0] == 200
        assert client.get("/note/2025/../../secret_key", {"lang": "fr"}).status_code == 404
        assert client.get("/note/2025/.built_from", {"lang": "fr"}).status_code == 404
        assert client.get("/note/2025/", {"lang": "en"}).status_code == 404  # not built in English
        assert "/note/2025/" in client.get("/notes/", {"lang": "fr"}).content.decode()


def test_a_probability_sample_is_drawn_and_stored_with_certainty_strata_whole(simulated_2025: int) -> None:
    from barometre.apps.editions.models import SampleUnit

    Edition.objects.create(year=2031, questionnaire_version="x", questionnaire_year=2025, frame_version="t")
    result = CliRunner().invoke(
        app, ["edition", "sample", "--edition", "2031", "--design", "neyman", "--size", "3000", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    units = SampleUnit.objects.filter(edition__year=2031)
    assert units.count() == summary["size"] == 3000
    regions = next(s for s in summary["strata"] if s["stratum"] == "regions")
    assert regions["certainty"] and regions["sample"] == regions["population"]
    assert units.filter(stratum="regions").count() == regions["population"]
    assert all(0 < p <= 1 for p in units.values_list("inclusion_probability", flat=True))
    # sum over the frame of the inclusion probabilities = sample size
    assert sum(s["inclusion_probability"] * s["population"] for s in summary["strata"]) == pytest.approx(3000)
    assert Edition.objects.get(year=2031).collection == "sample"
    too_small = CliRunner().invoke(app, ["edition", "sample", "--edition", "2031", "--size", "50"])
    assert too_small.exit_code == 2 and "trop petite" in too_small.output


def test_compute_uses_the_weighting_options_of_the_stored_weights(simulated_2025: int) -> None:
    # Drop every CU respondent and every respondent of Corse: their stratum and their région are
    # empty, weighting needs --collapse and --region-group, and so does compute.
    from barometre.apps.editions.models import Response

    edition = Edition.objects.get(year=2025)
    move(2025, "closed")
    Response.objects.filter(edition=edition, authority__stratum="epci_cu").update(
        status=ResponseStatus.STARTED, submitted_at=None
    )
    Response.objects.filter(edition=edition, authority__region="94").update(
        status=ResponseStatus.STARTED, submitted_at=None
    )
    runner = CliRunner()
    refused = runner.invoke(app, ["edition", "weight", "--edition", "2025"])
    assert refused.exit_code == 2 and "epci_cu=epci_ca" in refused.output
    collapsed = ["edition", "weight", "--edition", "2025", "--collapse", "epci_cu=epci_ca"]
    refused = runner.invoke(app, collapsed)
    assert refused.exit_code == 2 and "région 94 : aucun répondant" in refused.output
    ok = runner.invoke(app, [*collapsed, "--region-group", "94=93"])
    assert ok.exit_code == 0, ok.output
    calibration = Edition.objects.get(year=2025).weighting_report["calibration"]
    assert calibration["region_groups"]["94"] == "93"
    computed = runner.invoke(app, ["indicators", "compute", "--edition", "2025"])
    assert computed.exit_code == 0, computed.output
    assert move(2025, "published").state == "published"


def test_relaxed_calibration_bounds_are_reported_by_the_cli_never_silently(
    simulated_2025: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # bounds no calibration can meet: the weighting falls back on unbounded raking and says so
    import functools

    from barometre.core.weighting import pipeline as weighting

    monkeypatch.setattr(
        weighting, "WeightingOptions", functools.partial(weighting.WeightingOptions, bounds=(0.99, 1.01))
    )
    move(2025, "closed")
    runner = CliRunner()
    text = runner.invoke(app, ["edition", "weight", "--edition", "2025"])
    assert text.exit_code == 0, text.output
    assert "Attention" in text.output and "sans bornes" in text.output
    out = runner.invoke(app, ["edition", "weight", "--edition", "2025", "--format", "json"])
    data = json.loads(out.output)
    assert [e["code"] for e in data["events"]][:1] == ["calibration_bounds_relaxed"]
    assert data["events"][0]["bounds"] == [0.99, 1.01] and "sans bornes" in data["events"][0]["message"]
    assert Edition.objects.get(year=2025).weighting_report["events"][0]["code"] == "calibration_bounds_relaxed"

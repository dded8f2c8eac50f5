"""The diagnostic of an authority that answered: scores, peers, plan, obligations, CSIRT.

Peers: the respondents of the latest published edition whose questionnaire is
the one the maturity grid reads, in the authority's stratum and in its région,
with their survey weights. Only aggregates of them are returned (percentile,
quartiles, histogram), and nothing when a group is below the disclosure
threshold.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from barometre.apps.editions.answers import STATISTICS_STATUSES, cleaned
from barometre.apps.editions.models import Answer, Edition, Response
from barometre.apps.editions.pipeline import DISCLOSURE_RULE
from barometre.apps.editions.queries import published_editions
from barometre.core.diagnostic.csirt import PARIS
from barometre.core.diagnostic.from_registry import resolve_profile
from barometre.core.diagnostic.peers import PeerPosition, peer_position
from barometre.core.diagnostic.report import diagnostic_report
from barometre.core.diagnostic.scores import load_grid, score_answers
from barometre.core.errors import NotFound
from barometre.core.questionnaire import load_edition


def cleaned_answers(response: Response) -> dict[str, Any]:
    raw = dict(Answer.objects.filter(response=response).values_list("question_id", "value"))
    return cleaned(load_edition(response.edition.questionnaire_year), raw)


def peer_edition() -> Edition | None:
    grid = load_grid()
    return published_editions().filter(questionnaire_year=grid.edition).order_by("-year").first()


def peer_positions(response: Response, overall: float) -> dict[str, PeerPosition] | None:
    edition = peer_edition()
    if edition is None:
        return None
    authority = response.authority
    peers = (
        Response.objects.filter(edition=edition, status__in=STATISTICS_STATUSES, weight__isnull=False)
        .exclude(authority=authority)
        .select_related("authority")
    )
    qn = load_edition(edition.questionnaire_year)
    answers: dict[int, dict[str, Any]] = {}
    for rid, qid, value in Answer.objects.filter(response__in=peers).values_list("response_id", "question_id", "value"):
        answers.setdefault(rid, {})[qid] = value
    groups: dict[str, tuple[list[float], list[float]]] = {"strate": ([], []), "region": ([], [])}
    grid = load_grid()
    for peer in peers:
        score = float(score_answers(cleaned(qn, answers.get(peer.pk, {})), grid).overall)
        for key, same in (
            ("strate", peer.authority.stratum == authority.stratum),
            ("region", peer.authority.region == authority.region),
        ):
            if same:
                groups[key][0].append(score)
                groups[key][1].append(float(peer.weight or 0.0))
    return {key: peer_position(overall, s, w, rule=DISCLOSURE_RULE) for key, (s, w) in groups.items()}


def respondent_diagnostic(
    response: Response, *, lang: str = "fr", under_attack: bool | None = None, now: datetime | None = None
) -> dict[str, Any]:
    answers = cleaned_answers(response)
    overall = float(score_answers(answers, load_grid()).overall)
    report = diagnostic_report(
        resolve_profile(response.authority.code),
        answers,
        at=now or datetime.now(PARIS),
        peers=peer_positions(response, overall),
        lang=lang,
        under_attack=under_attack,
    )
    report["edition"] = response.edition.year
    report["simulated"] = response.edition.simulated
    edition = peer_edition()
    report["peer_edition"] = edition.year if edition else None
    return report


def diagnostic_for(code: str, year: int, **kwargs: Any) -> dict[str, Any]:
    response = (
        Response.objects.filter(edition__year=year, authority__code=code, status__in=STATISTICS_STATUSES)
        .select_related("authority", "edition")
        .first()
    )
    if response is None:
        raise NotFound(f"aucune réponse envoyée de « {code} » à l'édition {year}")
    return respondent_diagnostic(response, **kwargs)

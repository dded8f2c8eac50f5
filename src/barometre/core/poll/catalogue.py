"""The poll's indicators and breakdowns (``data/poll/indicators.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from barometre.core import yamlfile
from barometre.core.errors import PollError
from barometre.core.paths import POLL_DATA_DIR
from barometre.core.questionnaire import Questionnaire


@dataclass(frozen=True)
class PollBreakdown:
    id: str
    label: dict[str, str]
    domains: tuple[tuple[str, dict[str, str]], ...]

    def domain_label(self, code: str, lang: str = "fr") -> str:
        for c, label in self.domains:
            if c == code:
                return label.get(lang) or label["fr"]
        return code


@dataclass(frozen=True)
class PublishedValue:
    edition: int
    value: float
    figure: str


@dataclass(frozen=True)
class PollIndicator:
    id: str
    label: dict[str, str]
    editions: tuple[int, ...]
    question: str
    codes: tuple[str, ...]
    published: tuple[PublishedValue, ...]
    #: Authorities' indicators set beside this one in the note.
    beside: tuple[str, ...] = ()

    def published_value(self, edition: int) -> PublishedValue | None:
        return next((p for p in self.published if p.edition == edition), None)


@dataclass(frozen=True)
class PollCatalogue:
    breakdowns: tuple[PollBreakdown, ...]
    indicators: tuple[PollIndicator, ...]
    sources: dict[int, dict[str, str]]

    def for_edition(self, edition: int) -> list[PollIndicator]:
        return [i for i in self.indicators if edition in i.editions]

    def indicator(self, iid: str) -> PollIndicator:
        for i in self.indicators:
            if i.id == iid:
                return i
        raise PollError(f"indicateur du sondage inconnu : {iid!r}")

    def breakdown(self, bid: str) -> PollBreakdown:
        for b in self.breakdowns:
            if b.id == bid:
                return b
        raise PollError(f"ventilation du sondage inconnue : {bid!r}")

    def source(self, edition: int, lang: str = "fr") -> str:
        s = self.sources.get(edition)
        return "" if s is None else (s.get(lang) or s["fr"])


def _text(v: Any, where: str) -> dict[str, str]:
    if not isinstance(v, dict) or "fr" not in v or "en" not in v:
        raise PollError(f"{where} : libellé {{fr, en}} attendu")
    return {"fr": str(v["fr"]), "en": str(v["en"])}


def load_poll_catalogue(path: Path | None = None) -> PollCatalogue:
    path = path or POLL_DATA_DIR / "indicators.yaml"
    return _load(str(path), path.stat().st_mtime)


@cache
def _load(path_text: str, mtime: float) -> PollCatalogue:
    doc = yamlfile.load_file(Path(path_text))
    breakdowns = tuple(
        PollBreakdown(
            str(b["id"]),
            _text(b["label"], f"{path_text}: ventilation {b['id']}"),
            tuple((str(d["code"]), _text(d["label"], f"{path_text}: {b['id']}/{d['code']}")) for d in b["domains"]),
        )
        for b in doc["breakdowns"]
    )
    indicators = tuple(
        PollIndicator(
            str(i["id"]),
            _text(i["label"], f"{path_text}: indicateur {i['id']}"),
            tuple(int(e) for e in i["editions"]),
            str(i["question"]),
            tuple(str(c) for c in i["codes"]),
            tuple(
                PublishedValue(int(p["edition"]), float(p["value"]), str(p["figure"])) for p in i.get("published", [])
            ),
            tuple(str(b) for b in i.get("beside", [])),
        )
        for i in doc["indicators"]
    )
    sources = {int(k): _text(v, f"{path_text}: source {k}") for k, v in (doc.get("sources") or {}).items()}
    return PollCatalogue(breakdowns, indicators, sources)


def check_against(catalogue: PollCatalogue, qn: Questionnaire) -> None:
    """Every indicator of the edition reads a question of the poll questionnaire and valid codes."""
    if qn.kind != "people":
        raise PollError(f"le questionnaire {qn.edition} n'est pas celui d'un sondage (kind: people)")
    for ind in catalogue.for_edition(qn.edition):
        q = qn.get(ind.question)
        if q is None:
            raise PollError(f"indicateur {ind.id} : question {ind.question!r} absente du questionnaire {qn.edition}")
        codes = {c.code for c in q.choices}
        bad = [c for c in ind.codes if c not in codes]
        if bad:
            raise PollError(f"indicateur {ind.id} : réponses inconnues {', '.join(bad)} (question {ind.question})")

"""The note's own sentences around the figures: source line, champ, figure titles, chapter intros,
changes on the key-figures page. Indicator-level sentences (readings, paragraphs, numbers) are in
:mod:`.text`; this module words what the builder assembles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from barometre.core.indicators.catalogue import Catalogue, Indicator
from barometre.core.indicators.compute import EstimateRow as Row
from barometre.core.wording.note import text as tx
from barometre.core.wording.note.text import Paragraph
from barometre.core.wording.numbers import format_number

if TYPE_CHECKING:
    from barometre.core.report.model import EditionMeta


def source_line(s: Mapping[str, str], e: EditionMeta, year: int, lang: str) -> str:
    """« Source : Baromètre … 2025 (données simulées), n = 900 collectivités répondantes ; pondéré. »"""
    sim = ""
    if e.simulated:
        sim = " (données simulées)" if lang == "fr" else " (simulated data)"
    n = format_number(e.n_respondents, 0, lang)
    sep = tx.list_separator(lang)
    return f"{s['source_text']} {year}{sim}, n = {n} {s['respondent_authorities']}{sep}{s['weighted']}."


def champ(cat: Catalogue, inds: Sequence[Indicator], year: int, lang: str) -> str:
    """The universes of ``inds`` and the year, e.g. « Communes de 3 500 habitants et plus, 2025 »."""
    labels = sorted({tx.universe_label(cat, i, lang) for i in inds})
    among = [i for i in inds if i.definition(year).among is not None]
    txt = tx.list_separator(lang).join(labels)
    if among:
        txt += (
            " (parmi les collectivités concernées par la question, selon l'indicateur)"
            if lang == "fr"
            else " (among the authorities the question applies to, per indicator)"
        )
    txt += f", {year}"
    return txt


def key_change(s: Mapping[str, str], r: Row, prev: Row | None, lang: str, *, short: bool = False) -> Paragraph:
    """The change since the latest earlier edition on a key-figure card (``short``: year only)."""
    if prev is None:
        return (s["no_previous"],)
    if short:
        return (tx.change_num(r, prev, lang), f" ({prev.edition})")
    since = f" depuis {prev.edition} (" if lang == "fr" else f" since {prev.edition} ("
    return (tx.change_num(r, prev, lang), since, tx.estimate_num(prev, lang), ")")


def chapter_intro(n_indicators: int, year: int, lang: str) -> str:
    if lang == "fr":
        return f"{n_indicators} indicateurs de ce thème sont estimés pour l'édition {year}."
    return f"{n_indicators} indicators of this theme are estimated for the {year} edition."


def figure_title(kind: str, label: str, year: int, lang: str) -> str:
    """Title of a chart of one indicator: ``kind`` "domains", "trend" or "regions"."""
    if kind == "domains":
        if lang == "fr":
            return f"{label} : par strate et type de collectivité ({year})"
        return f"{label}: by stratum and kind of authority ({year})"
    if kind == "trend":
        return f"{label} : évolution" if lang == "fr" else f"{label}: trend"
    if kind == "regions":
        return f"{label} : par région ({year})" if lang == "fr" else f"{label}: by region ({year})"
    raise ValueError(kind)


_EDITORIAL = {
    "fr": {
        "example": "Exemple",
        "territory": "Territoire",
        "project": "Projet",
        "what": "Ce qu'il fait",
        "notes": "Notes",
        "lquo": "«\u00a0",
        "rquo": "\u00a0»",
    },
    "en": {
        "example": "Example",
        "territory": "Territory",
        "project": "Project",
        "what": "What it does",
        "notes": "Notes",
        "lquo": "\u201c",
        "rquo": "\u201d",
    },
}


def editorial_strings(lang: str) -> Mapping[str, str]:
    """Labels of the authors' parts of the note (example boxes, notes)."""
    return _EDITORIAL[lang]


_KINDS_EN = (
    ("Région ", "{} région"),
    ("Communauté de communes ", "{} community of communes"),
    ("Communauté d'agglomération ", "{} conurbation community"),
    ("Métropole ", "{} métropole"),
    ("Département ", "{} département"),
)


def territory_name(name: str, lang: str) -> str:
    """A territory's name as the note's language says it (« Région Grand Est » → "Grand Est région")."""
    if lang == "fr":
        return name
    for prefix, pattern in _KINDS_EN:
        if name.startswith(prefix):
            return pattern.format(name[len(prefix) :])
    return name


def imprecise_label(width: float, lang: str) -> str:
    """The map legend of a hatched estimate, imprecise beyond an interval ``width`` (points)."""
    if lang == "fr":
        return f"Hachuré : estimation imprécise (intervalle de confiance de plus de {width:.0f} points)"
    return f"Hatched: imprecise estimate (confidence interval wider than {width:.0f} points)"


def caption(kind: str, lang: str, *, imprecise_width: float | None = None) -> str:
    """What stands under a figure that has no interval bars: ``map`` (hatched beyond an interval of
    ``imprecise_width`` points) or ``cards`` (key figures)."""
    if kind == "map":
        if imprecise_width is None:
            raise ValueError("a map's caption states its imprecise width")
        if lang == "fr":
            return (
                "Chaque région est colorée selon son estimation ; les régions hachurées ont une estimation "
                f"imprécise (intervalle de confiance à 95 % de plus de {imprecise_width:.0f} points, à lire "
                "dans le tableau de données) ; les régions grises ne sont pas diffusées (secret statistique)."
            )
        return (
            "Each région is coloured by its estimate; hatched régions have an imprecise estimate (95% "
            f"confidence interval wider than {imprecise_width:.0f} points, see the data table); grey régions "
            "are not published (statistical confidentiality)."
        )
    if kind == "cards":
        if lang == "fr":
            return (
                "Sous chaque chiffre, l'intervalle de confiance à 95 % : la valeur vraie a 95 chances sur 100 "
                "de s'y trouver, compte tenu de l'échantillon et de la pondération."
            )
        return (
            "Under each figure, the 95% confidence interval: the true value lies within it with a 95% "
            "probability, given the sample and the weighting."
        )
    raise ValueError(kind)

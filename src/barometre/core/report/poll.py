"""The "Regard des Français" chapter: the poll of French adults beside the authorities' figures.

One table: each poll indicator (weighted estimate, 95 % interval, the institute's published figure)
and, beside it, the matching authorities' indicators of the same edition. Source and base stated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from barometre.core.report.model import ReportInput, Row
from barometre.core.wording.note import text as tx
from barometre.core.wording.note.text import Paragraph, Segment
from barometre.core.wording.numbers import format_number

CHAPTER_ID = "regard-des-francais"

_HEAD = {
    "fr": ["Les Français…", "Estimation", "Intervalle à 95 %", "Chiffre publié", "Côté collectivités (même édition)"],
    "en": ["The French…", "Estimate", "95% interval", "Published figure", "Authorities (same edition)"],
}
_TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Regard des Français",
        "intro": (
            "Chaque note met les chiffres des collectivités en regard de l'opinion des Français. Sondage auprès de "
            "{n} personnes de 18 ans ou plus résidant en France métropolitaine, constitué selon la méthode des quotas "
            "(sexe × âge, région, taille de la commune, catégorie socioprofessionnelle) et redressé sur les marges du "
            "recensement de l'Insee ; les intervalles de confiance à 95 % tiennent compte du redressement. "
            "Base : ensemble des personnes interrogées ({n})."
        ),
        "caption": "Opinion des Français et pratiques des collectivités, {y}",
        "base": "ensemble des personnes interrogées ({n}), en pourcentage ; collectivités : champ de chaque indicateur",
        "source": "{src} ; estimations : Baromètre, sondage {y}{sim}",
        "sim": " (données simulées)",
        "simulated": (
            "Données simulées : ce sondage est simulé pour la démonstration, ses réponses sont ajustées aux chiffres "
            "publiés ; ce ne sont pas les réponses de l'institut."
        ),
        "deff": "effet de plan {d}",
    },
    "en": {
        "title": "The French view",
        "intro": (
            "Every note sets the authorities' figures beside the opinion of the French. Poll of {n} people aged 18 or "
            "over living in metropolitan France, drawn by quotas (sex × age, region, size of commune, occupation) and "
            "weighted to INSEE census margins; the 95% confidence intervals account for the weighting. "
            "Base: all people interviewed ({n})."
        ),
        "caption": "Opinion of the French and practices of local authorities, {y}",
        "base": "all people interviewed ({n}), in percent; authorities: scope of each indicator",
        "source": "{src}; estimates: Baromètre, {y} poll{sim}",
        "sim": " (simulated data)",
        "simulated": (
            "Simulated data: this poll is simulated for the demonstration, its answers fitted to the published "
            "figures; they are not the institute's answers."
        ),
        "deff": "design effect {d}",
    },
}


@dataclass
class PollTable:
    """Same shape as the note's other tables (the template's ``table`` macro)."""

    id: str
    caption: str
    head: list[str]
    rows: list[list[tuple[Segment, ...]]]
    numeric: set[int] = field(default_factory=lambda: {1, 2, 3})


@dataclass
class PollChapter:
    id: str
    title: str
    intro: str
    table: PollTable
    champ: str
    source: str
    simulated: str


def _authority_cell(data: ReportInput, ids: tuple[str, ...]) -> tuple[Segment, ...]:
    lang = data.lang
    rows: dict[str, Row] = {
        r.indicator: r for r in data.rows if r.breakdown == "ensemble" and r.domain_value == "ensemble"
    }
    out: list[Segment] = []
    for iid in ids:
        row = rows.get(iid)
        if row is None:
            continue
        ind = data.catalogue.get(iid)
        if out:
            out.append(" ; " if lang == "fr" else "; ")
        label = tx.indicator_label(ind, lang)
        universe = tx.lower_first(tx.universe_label(data.catalogue, ind, lang))
        out += [f"{label} ({universe}) ", tx.estimate_num(row, lang), " ", *tx.interval(row, lang)]
    return tuple(out) or ("—",)


def poll_chapter(data: ReportInput) -> PollChapter | None:
    """The chapter, or None when no poll of the edition's year is published."""
    poll = data.poll
    if poll is None:
        return None
    lang = data.lang
    t = _TEXT[lang]
    n = format_number(poll.n_respondents, 0, lang)
    rows: list[list[tuple[Segment, ...]]] = []
    for f in poll.figures:
        label: Paragraph = (str(f.label.get(lang) or f.label["fr"]),)
        if f.estimate is None or f.ci_low is None or f.ci_high is None:
            cells: list[tuple[Segment, ...]] = [(tx.strings(lang)["nd"],), ("",)]
        else:
            sep = "\u00a0; " if lang == "fr" else ", "
            deff = "" if f.deff is None else f" ({t['deff'].format(d=format_number(f.deff, 2, lang))})"
            cells = [
                (tx.pct(f.estimate, lang),),
                (f"[{tx.pct(f.ci_low, lang)}{sep}{tx.pct(f.ci_high, lang)}]{deff}",),
            ]
        published = (tx.pct(f.published, lang),) if f.published is not None else ("—",)
        rows.append([label, *cells, published, _authority_cell(data, f.beside)])
    return PollChapter(
        id=CHAPTER_ID,
        title=t["title"],
        intro=t["intro"].format(n=n),
        table=PollTable(CHAPTER_ID, t["caption"].format(y=poll.year), list(_HEAD[lang]), rows),
        champ=t["base"].format(n=n),
        source=t["source"].format(
            src=poll.source.get(lang) or poll.source["fr"], y=poll.year, sim=t["sim"] if poll.simulated else ""
        ),
        simulated=t["simulated"] if poll.simulated else "",
    )

"""Words of the note: interface strings (FR/EN), labels of domains, and paragraphs built from
templates with the numbers.

A paragraph is a tuple of segments: plain text (``str``) or a :class:`Num` — a number that
comes from an indicator row (or from the catalogue's published values) and keeps its indicator
id, breakdown, domain and edition, so that the HTML can carry them (``data-*`` attributes) and
a test can check every figure against the rows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from barometre.core.indicators.catalogue import THEMES, Catalogue, Indicator
from barometre.core.indicators.compute import EstimateRow as Row
from barometre.core.stats.disclosure import DisclosureRule
from barometre.core.wording import labels
from barometre.core.wording.labels import reason_label
from barometre.core.wording.numbers import NBSP, format_day, format_number, format_percent, format_points

#: Decimals of percentages and point differences in the note.
DECIMALS = 0

STRINGS: Mapping[str, Mapping[str, str]] = {
    "fr": {
        "title": "Baromètre data, IA et cybersécurité des collectivités territoriales",
        "subtitle": "Note de conjoncture",
        "edition": "Édition",
        "simulated_banner": "Données simulées — ne pas diffuser comme résultats",
        "simulated_note": (
            "Cette note est produite sur une édition simulée : les chiffres illustrent la chaîne de "
            "production et ne décrivent pas les collectivités."
        ),
        "toc": "Sommaire",
        "key_figures": "Chiffres clés",
        "key_figures_intro": "Estimations pondérées, ensemble des collectivités de l'univers de chaque indicateur.",
        "ci": "IC à 95 %",
        "ci_long": "intervalle de confiance à 95 %",
        "change_since": "Évolution depuis",
        "no_previous": "pas d'estimation antérieure",
        "respondents": "répondants",
        "chapter": "Chapitre",
        "overview": "Vue d'ensemble",
        "by_stratum": "Par strate",
        "by_kind": "Par type de collectivité",
        "by_region": "Par région",
        "trend": "Évolution",
        "estimate": "estimation",
        "published": "publié",
        "published_long": "valeur publiée",
        "axis_share": "% des collectivités",
        "nd": "n.d.",
        "secret": "secret statistique",
        "nd_secret": "n.d. (secret statistique)",
        "champ": "Champ",
        "source": "Source",
        "lecture": "Lecture",
        "interval": "Intervalle",
        "interval_text": (
            "Les barres indiquent l'intervalle de confiance à 95 % de chaque estimation : "
            + labels.INTERVAL_METHOD_TEXT["fr"]
            + ". "
            + labels.MAR_ASSUMPTION_TEXT["fr"]
        ),
        "interval_trend": (
            "Les barres indiquent l'intervalle de confiance à 95 % des estimations du Baromètre ("
            + labels.INTERVAL_METHOD_TEXT["fr"]
            + ") ; les losanges creux sont les valeurs publiées par les notes antérieures, telles que "
            "publiées (bases et pondérations non comparables). " + labels.MAR_ASSUMPTION_TEXT["fr"]
        ),
        "source_text": "Baromètre data, IA et cybersécurité des collectivités territoriales, édition",
        "weighted": "estimations pondérées",
        "table_data": "Données du graphique",
        "indicator": "Indicateur",
        "domain": "Domaine",
        "n": "n",
        "universe": "Univers",
        "previous": "Édition précédente",
        "change": "Évolution",
        "theme_table": "Tous les indicateurs du thème",
        "no_mutualisation": (
            "Le catalogue des indicateurs ne comporte pas encore d'indicateur de mutualisation "
            "(partage de services, de DPO ou de RSSI entre collectivités) : ce chapitre sera "
            "alimenté lorsque le questionnaire et le catalogue en définiront."
        ),
        "mutualisation": "Mutualisation",
        "nr_rgpd": "Numérique responsable et RGPD",
        "annex": "Annexe méthodologique",
        "frame": "Base de sondage",
        "frame_text": "La base de sondage est le répertoire des collectivités territoriales",
        "millesime": "Millésime",
        "collection": "Mode de collecte",
        "field_period": "Période de collecte",
        "questionnaire": "Questionnaire",
        "sample": "Échantillon et taux de réponse par strate",
        "stratum": "Strate",
        "units": "Collectivités invitées",
        "response_rate": "Taux de réponse",
        "weighted_rr": "Taux pondéré",
        "mean_weight": "Poids moyen",
        "total": "Ensemble",
        "weighting": "Pondération",
        "weighting_steps": (
            "Les poids sont obtenus en quatre étapes : poids de sondage (inverse de la probabilité "
            "d'inclusion), correction de la non-réponse au sein des groupes homogènes de réponse "
            "(les strates), calage sur les marges de la base de sondage (effectifs par strate et par "
            "région, population totale ; distance « raking »), puis écrêtement des poids extrêmes "
            "suivi d'un nouveau calage."
        ),
        "diagnostics": "Diagnostics de la pondération",
        "r_indicator": "Indicateur R de représentativité",
        "n_eff": "Taille d'échantillon effective",
        "deff": "Effet de plan dû à la pondération",
        "weights_cv": "Coefficient de variation des poids finaux",
        "weights_range": "Poids finaux : minimum – médiane – maximum",
        "trimmed": "Poids écrêtés",
        "max_margin_error": "Écart maximal aux marges de calage",
        "moe": "Marges d'erreur selon la taille d'échantillon",
        "moe_intro": (
            "Demi-largeur de l'intervalle de confiance à 95 % d'une proportion de 50 % (cas le plus "
            "défavorable) sous sondage aléatoire simple."
        ),
        "moe_deff": (
            "Avec la pondération, multiplier ces marges par la racine de l'effet de plan ; pour cette "
            "édition, racine de l'effet de plan de pondération :"
        ),
        "sample_size": "Taille d'échantillon",
        "moe_col": "Marge d'erreur (p = 50 %)",
        "moe_deff_col": "Avec l'effet de plan",
        "disclosure": "Règle de diffusion (secret statistique)",
        "published_sources": "Sources des chiffres publiés",
        "published_sources_intro": (
            "Valeurs publiées par les notes de conjoncture antérieures et la presse qui les "
            "cite, reprises telles que publiées (base : répondants, non pondérés)."
        ),
        "figure": "Chiffre",
        "base": "Base",
        "value": "Valeur",
        "assumption": "Hypothèse",
        "suppressed_reason": "Motif",
        "page": "page",
        "significant_up": "une hausse significative au seuil de 5 %",
        "significant_down": "une baisse significative au seuil de 5 %",
        "not_significant": "une évolution non significative au seuil de 5 %",
        "all_authorities": "Ensemble",
        "lang_attr": "fr",
        "colon": "\u00a0:",
        "alt_bars": "Diagramme en barres horizontales",
        "alt_trend": "Courbe d'évolution",
        "alt_map": "Carte des régions",
        "key_label": "Chiffre clé",
        "theme_intro": "Indicateurs du thème",
        "note_date": "Données arrêtées au",
        "respondent_authorities": "collectivités répondantes",
        "figures_note": "Graphiques et données (SVG, PNG, CSV) dans le dossier figures/ joint à cette note.",
        "keywords": "baromètre, collectivités territoriales, données, intelligence artificielle, cybersécurité",
    },
    "en": {
        "title": "Barometer of data, AI and cybersecurity in French local authorities",
        "subtitle": "Annual survey report",
        "edition": "Edition",
        "simulated_banner": "Simulated data — not to be released as results",
        "simulated_note": (
            "This note was produced on a simulated edition: the figures illustrate the production "
            "chain and do not describe the authorities."
        ),
        "toc": "Contents",
        "key_figures": "Key figures",
        "key_figures_intro": "Weighted estimates, all authorities in the universe of each indicator.",
        "ci": "95% CI",
        "ci_long": "95% confidence interval",
        "change_since": "Change since",
        "no_previous": "no earlier estimate",
        "respondents": "respondents",
        "chapter": "Chapter",
        "overview": "Overview",
        "by_stratum": "By stratum",
        "by_kind": "By kind of authority",
        "by_region": "By region",
        "trend": "Trend",
        "estimate": "estimate",
        "published": "published",
        "published_long": "published value",
        "axis_share": "% of authorities",
        "nd": "n/a",
        "secret": "statistical confidentiality",
        "nd_secret": "n/a (statistical confidentiality)",
        "champ": "Coverage",
        "source": "Source",
        "lecture": "How to read",
        "interval": "Interval",
        "interval_text": (
            "Bars show the 95% confidence interval of each estimate: "
            + labels.INTERVAL_METHOD_TEXT["en"]
            + ". "
            + labels.MAR_ASSUMPTION_TEXT["en"]
        ),
        "interval_trend": (
            "Bars show the 95% confidence interval of the Barometer's estimates ("
            + labels.INTERVAL_METHOD_TEXT["en"]
            + "); hollow diamonds are the values published by earlier notes, as published (bases and "
            "weighting not comparable). " + labels.MAR_ASSUMPTION_TEXT["en"]
        ),
        "source_text": "Barometer of data, AI and cybersecurity in French local authorities, edition",
        "weighted": "weighted estimates",
        "table_data": "Chart data",
        "indicator": "Indicator",
        "domain": "Domain",
        "n": "n",
        "universe": "Universe",
        "previous": "Previous edition",
        "change": "Change",
        "theme_table": "All indicators of the theme",
        "no_mutualisation": (
            "The indicator catalogue has no indicator on pooling yet (shared services, DPOs or "
            "security officers between authorities): this chapter will be filled once the "
            "questionnaire and the catalogue define some."
        ),
        "mutualisation": "Pooling of resources",
        "nr_rgpd": "Responsible digital and GDPR",
        "annex": "Methodological annex",
        "frame": "Sampling frame",
        "frame_text": "The sampling frame is the register of French local authorities",
        "millesime": "Vintage",
        "collection": "Collection mode",
        "field_period": "Fieldwork period",
        "questionnaire": "Questionnaire",
        "sample": "Sample and response rates by stratum",
        "stratum": "Stratum",
        "units": "Authorities invited",
        "response_rate": "Response rate",
        "weighted_rr": "Weighted rate",
        "mean_weight": "Mean weight",
        "total": "Total",
        "weighting": "Weighting",
        "weighting_steps": (
            "Weights are built in four steps: design weights (inverse inclusion probability), "
            "nonresponse adjustment within response-homogeneity groups (the strata), calibration "
            "on the frame's margins (counts by stratum and by region, total population; raking "
            "distance), then trimming of extreme weights followed by a new calibration."
        ),
        "diagnostics": "Weighting diagnostics",
        "r_indicator": "R-indicator of representativeness",
        "n_eff": "Effective sample size",
        "deff": "Design effect due to weighting",
        "weights_cv": "Coefficient of variation of final weights",
        "weights_range": "Final weights: minimum – median – maximum",
        "trimmed": "Trimmed weights",
        "max_margin_error": "Largest deviation from calibration margins",
        "moe": "Margins of error by sample size",
        "moe_intro": (
            "Half-width of the 95% confidence interval of a 50% proportion (worst case) under simple random sampling."
        ),
        "moe_deff": (
            "With weighting, multiply these margins by the square root of the design effect; for this "
            "edition, square root of the weighting design effect:"
        ),
        "sample_size": "Sample size",
        "moe_col": "Margin of error (p = 50%)",
        "moe_deff_col": "With the design effect",
        "disclosure": "Disclosure rule (statistical confidentiality)",
        "published_sources": "Sources of published figures",
        "published_sources_intro": (
            "Values published by earlier notes and the press quoting them, kept as "
            "published (base: respondents, unweighted)."
        ),
        "figure": "Figure",
        "base": "Base",
        "value": "Value",
        "assumption": "Assumption",
        "suppressed_reason": "Reason",
        "page": "page",
        "significant_up": "a significant increase at the 5% level",
        "significant_down": "a significant decrease at the 5% level",
        "not_significant": "a change that is not significant at the 5% level",
        "all_authorities": "All authorities",
        "lang_attr": "en",
        "colon": ":",
        "alt_bars": "Horizontal bar chart",
        "alt_trend": "Line chart",
        "alt_map": "Map of the regions",
        "key_label": "Key figure",
        "theme_intro": "Indicators of the theme",
        "note_date": "Data as of",
        "respondent_authorities": "responding authorities",
        "figures_note": "Charts and data (SVG, PNG, CSV) in the figures/ folder beside this note.",
        "keywords": "barometer, local authorities, data, artificial intelligence, cybersecurity",
    },
}


_TYPO_BEFORE = re.compile(r" ([:;!?%»])")
_TYPO_GLUED = re.compile(r"(\d)%")


def fr_typo(text: str) -> str:
    """French typography: no-break space before ``: ; ! ? % »`` and after ``«``."""
    text = _TYPO_GLUED.sub(r"\1" + NBSP + "%", text)
    return _TYPO_BEFORE.sub(NBSP + r"\1", text).replace("« ", "«" + NBSP)


def typo(text: str, lang: str) -> str:
    return fr_typo(text) if lang == "fr" else text


_FR = {k: fr_typo(v) for k, v in STRINGS["fr"].items()}


def strings(lang: str) -> Mapping[str, str]:
    return _FR if lang == "fr" else STRINGS[lang]


COLLECTIONS: Mapping[str, Mapping[str, str]] = {
    "fr": {
        "voluntary": "enquête volontaire : toutes les collectivités de la base de sondage sont invitées",
        "census": "enquête volontaire : toutes les collectivités de la base de sondage sont invitées",
        "sample": "échantillon probabiliste stratifié tiré dans la base de sondage",
    },
    "en": {
        "voluntary": "voluntary survey: every authority of the sampling frame is invited",
        "census": "voluntary survey: every authority of the sampling frame is invited",
        "sample": "stratified probability sample drawn from the sampling frame",
    },
}


def format_date(iso: str, lang: str) -> str:
    """``2025-11-15`` → ``15 novembre 2025`` / ``15 November 2025`` (other text kept as given)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        return iso
    try:
        return format_day(date(int(m.group(1)), int(m.group(2)), int(m.group(3))), lang)
    except ValueError:
        return iso


def collection_label(code: str, lang: str) -> str:
    """The collection mode in words (``voluntary``, ``sample``; other values kept as given)."""
    return COLLECTIONS[lang].get(code, code)


def disclosure_text(rule: DisclosureRule, lang: str) -> str:
    """The disclosure and precision rules in words (``core.stats.disclosure``, ``data/disclosure.yaml``)."""
    width = format_number(100 * rule.max_absolute_width, 0, lang)
    hide = format_number(100 * (rule.hide_absolute_width or 1.0), 0, lang)
    protect = format_number(100 * rule.min_feasible_width, 0, lang)
    if lang == "fr":
        return (
            f"Une estimation n'est pas diffusée lorsqu'elle repose sur moins de {rule.min_respondents} répondants "
            "(secret statistique), ni lorsque son intervalle de Korn–Graubard couvre au moins "
            f"{hide} points (trop imprécise) ; d'autres cellules sont masquées pour qu'aucune cellule masquée ne "
            "puisse être retrouvée, par différence entre des domaines publiés qui s'additionnent, à moins de "
            f"{protect} points près (secret secondaire, vérifié par programmation linéaire). Une cellule masquée ne "
            "publie ni estimation, ni intervalle, ni effectif : seulement son motif. Une estimation dont la "
            f"taille d'échantillon effective est inférieure à {rule.min_effective_n:.0f}, dont l'intervalle couvre "
            f"au moins {width} points ou dont la largeur relative dépasse "
            f"{format_number(100 * rule.max_relative_width, 0, lang)} % (normes de présentation des proportions "
            "du NCHS, 2017, appliquées de la même façon à une part et à son complément) est marquée "
            "« imprécis — à interpréter avec prudence »."
        )
    return (
        f"An estimate is withheld when it rests on fewer than {rule.min_respondents} respondents (statistical "
        f"confidentiality) or when its Korn–Graubard interval spans {hide} points or more (too imprecise); other "
        "cells are withheld so that no withheld cell can be derived, by differencing published domains that add "
        f"up, within less than {protect} points (secondary suppression, audited by linear programming). A withheld "
        "cell publishes no estimate, interval or count: only its reason. An estimate whose effective sample size "
        f"is below {rule.min_effective_n:.0f}, whose interval spans {width} points or more or whose relative width "
        f"exceeds {format_number(100 * rule.max_relative_width, 0, lang)}% (NCHS data presentation standards for "
        "proportions, 2017, applied alike to a share and its complement) is marked “imprecise — interpret with "
        "caution”."
    )


# --------------------------------------------------------------------------- numbers


@dataclass(frozen=True)
class Num:
    """A number shown in the note, with where it comes from.

    ``kind``: ``estimate``, ``ci_low``, ``ci_high``, ``n`` (rows of ``edition``), ``change``
    (estimate of ``edition`` minus estimate of ``previous``, in points) or ``published`` (the
    catalogue's published value for ``edition``).
    """

    text: str
    indicator: str
    breakdown: str
    domain: str
    edition: int
    kind: str
    previous: int | None = None
    suppressed: bool = False
    title: str = ""

    @classmethod
    def of(
        cls, row: Row, kind: str, text: str, *, previous: int | None = None, suppressed: bool = False, title: str = ""
    ) -> Num:
        """A number about ``row``: its indicator, breakdown, domain and edition."""
        return cls(text, row.indicator, row.breakdown, row.domain_value, row.edition, kind, previous, suppressed, title)


Segment = str | Num
Paragraph = tuple[Segment, ...]


def pct(v: float, lang: str) -> str:
    return format_percent(v, DECIMALS, lang)


def translate_reason(reason: str | None, lang: str) -> str:
    """The disclosure reason code (``confidentiality``, ``complementary``, ``precision``) in words."""
    return reason_label(reason, lang)


def weighting_event(event: Mapping[str, Any], lang: str) -> str:
    """Wording of an event of the weighting report (``core.weighting`` gives codes and numbers)."""
    code = str(event.get("code", ""))
    after = event.get("stage") == "after_trimming"
    if code == "calibration_bounds_relaxed":
        lo, hi = (format_number(float(b), 1, lang) for b in event.get("bounds", (0, 0)))
        if lang == "fr":
            return fr_typo(
                f"Le calage borné (rapports de poids entre {lo} et {hi}) n'a pas convergé"
                + (" après l'écrêtage" if after else "")
                + " : les poids sont calés par raking sans bornes."
            )
        return (
            f"Bounded calibration (weight ratios between {lo} and {hi}) did not converge"
            + (" after trimming" if after else "")
            + ": weights are calibrated by unbounded raking."
        )
    if code == "calibration_not_converged":
        gap = format_number(float(event.get("achieved", 0.0)), 6, lang)
        if lang == "fr":
            return fr_typo(
                f"Le calage n'a pas convergé (écart relatif maximal aux marges {gap}) : "
                "les poids ne respectent pas exactement les marges ; l'édition ne peut être publiée "
                "sans autorisation explicite."
            )
        return (
            f"Calibration did not converge (largest relative gap to the margins {gap}): the weights "
            "do not meet the margins exactly; the edition cannot be published without explicit consent."
        )
    return code


def weighting_assumption(report: Mapping[str, Any], lang: str) -> str:
    """The weighting report's assumption, written in French only: left out of the English note."""
    return str(report.get("assumption", "")) if lang == "fr" else ""


def weighting_notes(report: Mapping[str, Any], lang: str) -> list[str]:
    """The weighting report's events in words (:func:`weighting_event`), then its notes, written in
    French only: left out of the English note."""
    events = [weighting_event(ev, lang) for ev in report.get("events", [])]
    return events + ([str(n) for n in report.get("notes", [])] if lang == "fr" else [])


def estimate_num(row: Row, lang: str) -> Num:
    if not row.shown or row.estimate is None:
        title = translate_reason(row.reason, lang) or strings(lang)["secret"]
        return Num.of(row, "estimate", strings(lang)["nd"], suppressed=True, title=title)
    return Num.of(row, "estimate", pct(row.estimate, lang))


def bound_num(row: Row, which: str, lang: str) -> Num:
    v = row.ci_low if which == "ci_low" else row.ci_high
    if not row.shown or v is None:
        return Num.of(row, which, strings(lang)["nd"], suppressed=True)
    return Num.of(row, which, pct(v, lang))


def n_num(row: Row, lang: str) -> Num:
    if not row.shown or row.n is None:
        return Num.of(row, "n", strings(lang)["nd"], suppressed=True)
    return Num.of(row, "n", format_number(row.n, 0, lang))


def change_value(cur: Row, prev: Row) -> float | None:
    if not cur.shown or not prev.shown or cur.estimate is None or prev.estimate is None:
        return None
    return cur.estimate - prev.estimate


def change_num(cur: Row, prev: Row, lang: str) -> Num:
    d = change_value(cur, prev)
    if d is None:
        return Num.of(cur, "change", strings(lang)["nd"], previous=prev.edition, suppressed=True)
    return Num.of(cur, "change", format_points(d, DECIMALS, lang), previous=prev.edition)


def published_num(indicator: str, breakdown: str, domain: str, edition: int, value: float, lang: str) -> Num:
    return Num(pct(value, lang), indicator, breakdown, domain, edition, "published")


def interval_separator(lang: str) -> str:
    """Between the two bounds of an interval: ``[12 % ; 18 %]``, ``[12%, 18%]``."""
    return f"{NBSP}; " if lang == "fr" else ", "


def list_separator(lang: str) -> str:
    """Between the items of a list in a sentence: `` ; `` in French, ``; `` in English."""
    return " ; " if lang == "fr" else "; "


def interval(row: Row, lang: str) -> tuple[Segment, ...]:
    """``[lo ; hi]`` with each bound a :class:`Num`."""
    sep = interval_separator(lang)
    return ("[", bound_num(row, "ci_low", lang), sep, bound_num(row, "ci_high", lang), "]")


# --------------------------------------------------------------------------- labels


def indicator_label(ind: Indicator, lang: str, short: bool = False) -> str:
    t = ind.short_label if short else ind.label
    return t.fr if lang == "fr" else t.en


def theme_label(theme: str, lang: str) -> str:
    """A catalogue theme's name (``THEMES``)."""
    t = THEMES[theme]
    return t.fr if lang == "fr" else t.en


def universe_label(cat: Catalogue, ind: Indicator, lang: str) -> str:
    u = cat.universes[ind.universe].label
    return u.fr if lang == "fr" else u.en


def domain_label(cat: Catalogue, breakdown: str, domain: str, lang: str, regions: Mapping[str, str]) -> str:
    """Human label of a domain value of a breakdown (the note says "Ensemble" for all authorities)."""
    return labels.domain_label(cat, breakdown, domain, lang, regions, all_label=strings(lang)["all_authorities"])


def lower_first(s: str) -> str:
    return s[:1].lower() + s[1:] if s and not s[:2].isupper() else s


# --------------------------------------------------------------------------- paragraphs


EN_VERBS = frozenset(
    {
        "Have",
        "Has",
        "Consider",
        "Expect",
        "Use",
        "Plan",
        "Host",
        "Feel",
        "Do",
        "Say",
        "Clearly",
        "Declare",
        "Identify",
        "Are",
    }
)


def predicate(label: str, lang: str) -> str | None:
    """The label as a predicate of "N % des collectivités …" (None: a noun phrase, not a predicate)."""
    words = label.split()
    if not words:
        return None
    first = words[0]
    if lang == "fr":
        if first.endswith("ent") or first in ("Ont", "Se") or first.startswith("N'"):
            return lower_first(label)
        if first.endswith(("ées", "és", "ormes")):
            return "sont " + lower_first(label)
        return None
    if first in EN_VERBS:
        return lower_first(label)
    if first in ("Concerned", "Suffered") or first.endswith("-compliant"):
        return ("have " if first == "Suffered" else "are ") + lower_first(label)
    return None


def level_sentence(ind: Indicator, row: Row, whom: str, lang: str) -> tuple[Segment, ...]:
    """``{year}, N % des collectivités {whom} {predicate}`` or the noun-phrase form (no final dot)."""
    label = indicator_label(ind, lang)
    pred = predicate(label, lang)
    # the question's own period: "au cours des 12 derniers mois", "à un moment quelconque"
    period = "" if ind.period == "current" else f", {labels.PERIOD_LABELS[ind.period][lang]}"
    if lang == "fr":
        when = f"en {row.edition}" if not period else f"d'après l'édition {row.edition}"
        if pred is not None:
            return (f"{when}, ", estimate_num(row, lang), f" des collectivités {whom} {pred}{period}")
        return (
            f"{when}, l'indicateur « {lower_first(label)} » vaut ",
            estimate_num(row, lang),
            f" pour les collectivités {whom}{period}",
        )
    when = f"in {row.edition}" if not period else f"according to the {row.edition} edition"
    if pred is not None:
        return (f"{when}, ", estimate_num(row, lang), f" of authorities {whom} {pred}{period}")
    return (
        f"{when}, the indicator “{lower_first(label)}” is ",
        estimate_num(row, lang),
        f" for authorities {whom}{period}",
    )


def whom_universe(universe: str, lang: str) -> str:
    return f"(univers : {lower_first(universe)})" if lang == "fr" else f"(universe: {lower_first(universe)})"


def whom_domain(domain: str, lang: str, proper: bool = False) -> str:
    """``« communes de moins de 3 500 habitants »``; ``proper``: a name, kept as is (régions)."""
    if lang == "fr":
        return f"« {domain if proper else lower_first(domain)} »"
    return f"“{domain}”"


def indicator_paragraph(
    ind: Indicator,
    cur: Row,
    prev: Row | None,
    strata: Sequence[tuple[str, Row]],
    lang: str,
    universe: str,
    *,
    significance: int,
) -> Paragraph:
    """Short comment on one indicator: level and interval, change since ``prev`` (``significance``:
    +1, -1 or 0, :func:`barometre.core.report.selection.significance`), spread across strata."""
    s = strings(lang)
    year = cur.edition
    label = indicator_label(ind, lang)
    out: list[Segment] = []
    if not cur.shown:
        if lang == "fr":
            out += [f"{label} : l'estimation {year} n'est pas diffusée (", estimate_num(cur, lang), ")."]
        else:
            out += [f"{label}: the {year} estimate is withheld (", estimate_num(cur, lang), ")."]
        return tuple(out)
    first, *rest = level_sentence(ind, cur, whom_universe(universe, lang), lang)
    assert isinstance(first, str)
    out += [first[:1].upper() + first[1:], *rest]
    if lang == "fr":
        out += [f" ({s['ci_long']} : ", *interval(cur, lang), " ; ", n_num(cur, lang), f" {s['respondents']})."]
    else:
        out += [f" ({s['ci_long']}: ", *interval(cur, lang), "; ", n_num(cur, lang), f" {s['respondents']})."]
    if cur.imprecise:
        out += [
            f" Chiffre {labels.imprecise_label(lang)}."
            if lang == "fr"
            else f" This figure is {labels.imprecise_label(lang)}."
        ]
    out += base_sentence(cur, lang)
    if prev is not None and prev.shown:
        verdict = (
            s["significant_up"]
            if significance > 0
            else (s["significant_down"] if significance < 0 else s["not_significant"])
        )
        if cur.simulated or prev.simulated:
            # a change between simulated editions is the simulator's, not news
            verdict += " (évolution entre données simulées)" if lang == "fr" else " (change between simulated data)"
        if lang == "fr":
            out += [
                f" Par rapport à {prev.edition} (",
                estimate_num(prev, lang),
                "), l'écart est de ",
                change_num(cur, prev, lang),
                f", {verdict}.",
            ]
        else:
            out += [
                f" Compared with {prev.edition} (",
                estimate_num(prev, lang),
                "), the difference is ",
                change_num(cur, prev, lang),
                f", {verdict}.",
            ]
    shown = [(lbl, r) for lbl, r in strata if r.shown and r.estimate is not None]
    if len(shown) >= 2:
        lo = min(shown, key=lambda t: (t[1].estimate or 0.0, t[0]))
        hi = max(shown, key=lambda t: (t[1].estimate or 0.0, t[0]))
        if lang == "fr":
            out += [
                " Selon la strate, la part va de ",
                estimate_num(lo[1], lang),
                f" ({lower_first(lo[0])}) à ",
                estimate_num(hi[1], lang),
                f" ({lower_first(hi[0])}).",
            ]
        else:
            out += [
                " Across strata, the share ranges from ",
                estimate_num(lo[1], lang),
                f" ({lo[0]}) to ",
                estimate_num(hi[1], lang),
                f" ({hi[0]}).",
            ]
    n_supp = sum(1 for _, r in strata if not r.shown)
    if n_supp:
        if lang == "fr":
            out += [
                f" {n_supp} strate{'s' if n_supp > 1 else ''} relève{'nt' if n_supp > 1 else ''} du secret statistique."
            ]
        else:
            out += [f" {n_supp} stratum cell{'s are' if n_supp > 1 else ' is'} withheld (statistical confidentiality)."]
    return tuple(out)


def base_sentence(row: Row, lang: str) -> tuple[Segment, ...]:
    """The observatory's own base beside the weighted estimate: the unweighted share of the
    respondents, "k sur n répondantes" (nothing for a hidden cell)."""
    if not row.shown or row.respondent_share is None or not row.n:
        return ()
    k = round(row.respondent_share * row.n / 100)
    share = Num.of(row, "respondent_share", pct(row.respondent_share, lang))
    if lang == "fr":
        return (
            " Sur la base des répondantes (part non pondérée, celle des notes publiées), la part est de ",
            share,
            f" ({format_number(k, 0, lang)} sur {format_number(row.n, 0, lang)} répondantes).",
        )
    return (
        " On the respondents' base (unweighted share, that of the published notes), the share is ",
        share,
        f" ({format_number(k, 0, lang)} of {format_number(row.n, 0, lang)} respondents).",
    )


def lecture(
    ind: Indicator, row: Row, domain: str | None, lang: str, universe: str = "", proper: bool = False
) -> Paragraph:
    """The "Lecture" line under a chart or table: how to read one value (``domain`` None: all)."""
    s = strings(lang)
    whom = whom_universe(universe, lang) if domain is None else whom_domain(domain, lang, proper)
    sep = list_separator(lang)
    colon = s["colon"]
    return (*level_sentence(ind, row, whom, lang), f"{sep}{s['ci_long']}{colon} ", *interval(row, lang), ".")


def alt_text(kind: str, title: str, key: Sequence[tuple[str, Row]], lang: str) -> str:
    """Alternative text of a chart: what it shows and its key result (highest and lowest values)."""
    s = strings(lang)
    base = {"bars": s["alt_bars"], "trend": s["alt_trend"], "map": s["alt_map"]}[kind]
    shown = [(lbl, r) for lbl, r in key if r.shown and r.estimate is not None]
    if not shown:
        return f"{base} : {title}." if lang == "fr" else f"{base}: {title}."
    hi = max(shown, key=lambda t: (t[1].estimate or 0.0, t[0]))
    lo = min(shown, key=lambda t: (t[1].estimate or 0.0, t[0]))
    hv, lv = pct(hi[1].estimate or 0.0, lang), pct(lo[1].estimate or 0.0, lang)
    if kind == "trend":
        first, last = shown[0], shown[-1]
        fv, lv2 = pct(first[1].estimate or 0.0, lang), pct(last[1].estimate or 0.0, lang)
        if lang == "fr":
            return f"{base} : {title}. Estimation {first[0]} : {fv} ; {last[0]} : {lv2}."
        return f"{base}: {title}. Estimate {first[0]}: {fv}; {last[0]}: {lv2}."
    if lang == "fr":
        return f"{base} : {title}. Valeur la plus élevée : {hi[0]} ({hv}) ; la plus basse : {lo[0]} ({lv})."
    return f"{base}: {title}. Highest value: {hi[0]} ({hv}); lowest: {lo[0]} ({lv})."

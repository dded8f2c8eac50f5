"""The obligations diagnostic's sentences, in French or English.

:mod:`barometre.core.diagnostic.obligations` evaluates the decision tables; every sentence it shows
(evidence, doubts, questions, verdict reasons) is worded here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from barometre.core.wording import lang_key, pick
from barometre.core.wording.numbers import format_day, format_number

#: Comparison operators of a threshold, in words.
OP_TEXT: Mapping[str, Mapping[str, str]] = {
    "fr": {"gt": "plus de", "gte": "au moins", "lt": "moins de", "lte": "au plus"},
    "en": {"gt": "more than", "gte": "at least", "lt": "fewer than", "lte": "at most"},
}
#: The question a missing answer raises, by condition.
QUESTIONS: Mapping[str, Mapping[str, str]] = {
    "fr": {
        "agents": "Combien d'agents (en équivalents temps plein) compte la collectivité ?",
        "uses_ai": "La collectivité utilise-t-elle des systèmes d'IA (y compris d'IA générative) ?",
        "uses_high_risk_ai": (
            "La collectivité utilise-t-elle un système d'IA à haut risque (accès aux services publics ou aux "
            "prestations sociales, emploi et RH, éducation, infrastructures critiques) ?"
        ),
    },
    "en": {
        "agents": "How many staff (full-time equivalents) does the authority employ?",
        "uses_ai": "Does the authority use AI systems (including generative AI)?",
        "uses_high_risk_ai": (
            "Does the authority use a high-risk AI system (access to public services or social benefits, "
            "employment and HR, education, critical infrastructure)?"
        ),
    },
}
BASIS_LABEL: Mapping[str, Mapping[str, str]] = {
    "fr": {"totale": "population totale", "municipale": "population municipale"},
    "en": {"totale": "total population", "municipale": "municipal population"},
}
#: Whose population a condition counts: (subject, « de … ») in each language.
SUBJECTS: Mapping[str, Mapping[str, tuple[str, str]]] = {
    "fr": {
        "population": ("population de la collectivité", "la collectivité"),
        "max_member_population": ("population de la plus grande commune membre", "la plus grande commune membre"),
    },
    "en": {
        "population": ("population of the authority", "the authority"),
        "max_member_population": ("population of the largest member commune", "the largest member commune"),
    },
}


def question(key: str, lang: str) -> str:
    """The question that settles condition ``key`` (``agents``, ``uses_ai``…)."""
    return QUESTIONS[lang_key(lang)][key]


def inhabitants(n: float, lang: str = "fr") -> str:
    if lang == "en":
        return f"{format_number(n, lang='en')} inhabitants"
    return f"{format_number(n)}\u00a0habitants"


def basis_label(basis: str, lang: str) -> str:
    return BASIS_LABEL[lang_key(lang)][basis]


def criterion(op: str, threshold: float, lang: str) -> str:
    """« au moins 3 500 habitants »."""
    return f"{OP_TEXT[lang_key(lang)][op]} {inhabitants(threshold, lang)}"


def _colon(lang: str) -> str:
    return pick(lang, " : ", ": ")


def population_value(basis: str, n: float, lang: str) -> str:
    """« population municipale : 3 412 habitants »."""
    return f"{basis_label(basis, lang)}{_colon(lang)}{inhabitants(n, lang)}"


def population_unknown(key: str, basis: str, crit: str, lang: str) -> tuple[str, str]:
    """(doubt, question) when neither INSEE population is known."""
    subject, whose = SUBJECTS[lang_key(lang)][key]
    label = basis_label(basis, lang)
    if lang == "en":
        return f"{subject} unknown (threshold: {crit}, {label})", f"What is the {label} (INSEE) of {whose}?"
    return f"{subject} inconnue (seuil : {crit}, en {label})", f"Quelle est la {label} (INSEE) de {whose} ?"


def other_population_unknown(known_basis: str, n: float, lang: str) -> str:
    """« population municipale : 3 412 habitants, population totale inconnue »."""
    missing = basis_label("totale" if known_basis == "municipale" else "municipale", lang)
    unknown = pick(lang, f"{missing} inconnue", f"{missing} unknown")
    return f"{population_value(known_basis, n, lang)}, {unknown}"


def basis_straddles(known: str, key: str, basis: str, missing: str, crit: str, pct: str, lang: str) -> tuple[str, str]:
    """(doubt, question) when the population the rule counts may lie on either side of its threshold."""
    label = basis_label(basis, lang)
    whose = SUBJECTS[lang_key(lang)][key][1]
    if lang == "en":
        why = (
            f"{known}; the rule counts the {label}, usually up to {pct}% higher than the municipal population: "
            f"it may lie on either side of the threshold ({crit})"
        )
        return why, f"What is the {basis_label(missing, 'en')} (INSEE) of {whose}?"
    why = (
        f"{known} ; la règle compte la {label}, en général jusqu'à {pct}\u00a0% plus élevée que la "
        f"population municipale : elle peut être de part et d'autre du seuil ({crit})"
    )
    return why, f"Quelle est la population {missing} (INSEE) de {whose} ?"


def basis_unstated(known: str, basis: str, crit: str, lang: str) -> tuple[str, str]:
    """(doubt, question) when the populations straddle the threshold and the source names neither."""
    label = basis_label(basis, lang)
    if lang == "en":
        why = (
            f"{known}: on either side of the threshold ({crit}), and the source does not say which population "
            f"the rule counts ({label} by default)"
        )
        return why, "Which population (municipal or total) does the text count? (to be checked on Légifrance)"
    why = (
        f"{known} : de part et d'autre du seuil ({crit}), et la source ne précise pas quelle population la "
        f"règle retient ({label} par défaut)"
    )
    return why, "Quelle population (municipale ou totale) le texte retient-il ? (à vérifier sur Légifrance)"


def agents_unknown(threshold: float, lang: str) -> str:
    if lang == "en":
        return f"number of staff not given (threshold: {format_number(threshold, lang='en')} FTE staff)"
    return f"nombre d'agents non renseigné (seuil : {format_number(threshold)} agents ETP)"


def agents_value(agents: float, decimals: int, lang: str) -> str:
    n = format_number(agents, decimals, lang)
    return pick(lang, f"agents : {n} ETP", f"staff: {n} FTE")


def ai_use_unknown(lang: str, key: str = "") -> str:
    """Why an AI condition is in doubt: the questionnaire does not ask whether systems are high-risk;
    otherwise the use of AI is unknown ("don't know" or no answer)."""
    if key == "uses_high_risk_ai":
        return pick(
            lang,
            "le questionnaire ne demande pas si vos systèmes d'IA sont à haut risque",
            "whether your AI systems are high-risk is not asked by the questionnaire",
        )
    return pick(
        lang,
        "usage de l'IA inconnu (« je ne sais pas » ou pas de réponse)",
        "use of AI unknown (“don't know” or no answer)",
    )


def list_sep(lang: str) -> str:
    return pick(lang, " ; ", "; ")


def lower_first(text: str, lang: str = "fr") -> str:
    # an acronym (« EPCI… », never « ePCI ») is kept as it is in both languages; English also keeps the
    # French names of EPCI types (« Communauté urbaine… »)
    if text[1:2].isupper() or (lang == "en" and text.startswith("Communauté")):
        return text
    return text[:1].lower() + text[1:]


def with_evidence(reason: str, evidence: Sequence[str], lang: str = "fr") -> str:
    """A reason followed by the facts it rests on, in brackets."""
    if not evidence:
        return reason
    return f"{reason.rstrip('.')} ({list_sep(lang).join(evidence)})."


def category_unknown(cases: Sequence[tuple[str, str | None]], doubts: Sequence[str], lang: str) -> str:
    """Same status in every case, but the category (e.g. NIS2 essential / important) depends on a doubt."""
    sep = list_sep(lang)
    no_category = pick(lang, "sans catégorie", "no category")
    listed = sep.join(
        f"{lower_first(reason.rstrip('.'), lang)} ({category or no_category})" for reason, category in cases
    )
    if lang == "en":
        return f"Depending on the case: {listed}. Category to be determined: {sep.join(doubts)}."
    return f"Selon le cas : {listed}. Catégorie à préciser : {sep.join(doubts)}."


def categories(options: Sequence[str], lang: str) -> str:
    return pick(lang, " ou ", " or ").join(options)


def to_be_determined(doubts: Sequence[str], applies_if: str | None, lang: str) -> str:
    reason = pick(lang, "À préciser : ", "To be determined: ") + list_sep(lang).join(doubts) + "."
    if applies_if is not None:
        reason += pick(lang, " L'obligation s'applique si : ", " The obligation applies if: ")
        reason += lower_first(applies_if, lang)
    return reason


def bill_in_scope(category: str | None, reason: str, legal_status: str, lang: str) -> str:
    """A verdict "applies" under a text not yet adopted."""
    cat = f" ({category})" if category else ""
    if lang == "en":
        return f"Within the scope of the text{cat}: {lower_first(reason, lang)} But the text is a {legal_status}."
    return f"Dans le périmètre du texte{cat} : {lower_first(reason)} Mais le texte est un {legal_status}."


def bill_other(reason: str, legal_status: str, lang: str) -> str:
    return f"{reason} {pick(lang, 'Le texte est un', 'The text is a')} {legal_status}."


def adoption_question(lang: str) -> str:
    return pick(
        lang,
        "Le texte a-t-il été définitivement adopté et promulgué ? (à vérifier sur Légifrance)",
        "Has the text been finally adopted and promulgated? (to be checked on Légifrance)",
    )


def not_yet_in_force(since: date, then: str, lang: str) -> str:
    if lang == "en":
        return f"Not yet in force (from {format_day(since, 'en')}). Then: {then}"
    return f"Pas encore en vigueur (à partir du {format_day(since, 'fr')}). Ensuite : {then}"

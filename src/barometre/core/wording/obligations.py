"""The obligations diagnostic's sentences, in French or English.

:mod:`barometre.core.diagnostic.obligations` evaluates the decision tables into codes and parameters
(:mod:`barometre.core.diagnostic.verdicts`); every sentence shown from them (evidence, doubts, questions,
verdict reasons, categories) is worded here: :func:`evidence`, :func:`doubt`, :func:`question_text`,
:func:`reason`, :func:`category`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from barometre.core.diagnostic.verdicts import (
    AgentsEvidence,
    AgentsUnknown,
    AiUseUnknown,
    BasisStraddles,
    BasisUnstated,
    BillInScope,
    BillOther,
    CategoryUnknown,
    Doubt,
    Evidence,
    NotYetInForce,
    OtherPopulationUnknown,
    PopulationEvidence,
    PopulationFigures,
    PopulationUnknown,
    Question,
    Reason,
    RowReason,
    Text,
    ToBeDetermined,
)
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


def population_unknown(key: str, basis: str, crit: str, lang: str) -> str:
    """The doubt when neither INSEE population is known."""
    subject = SUBJECTS[lang_key(lang)][key][0]
    label = basis_label(basis, lang)
    return pick(
        lang, f"{subject} inconnue (seuil : {crit}, en {label})", f"{subject} unknown (threshold: {crit}, {label})"
    )


def population_question(key: str, basis: str, lang: str) -> str:
    """« Quelle est la population totale (INSEE) de la collectivité ? »"""
    label = basis_label(basis, lang)
    whose = SUBJECTS[lang_key(lang)][key][1]
    return pick(lang, f"Quelle est la {label} (INSEE) de {whose} ?", f"What is the {label} (INSEE) of {whose}?")


def other_population_unknown(known_basis: str, n: float, lang: str) -> str:
    """« population municipale : 3 412 habitants, population totale inconnue »."""
    missing = basis_label("totale" if known_basis == "municipale" else "municipale", lang)
    unknown = pick(lang, f"{missing} inconnue", f"{missing} unknown")
    return f"{population_value(known_basis, n, lang)}, {unknown}"


def basis_straddles(known: str, basis: str, crit: str, pct: str, lang: str) -> str:
    """The doubt when the population the rule counts may lie on either side of its threshold."""
    label = basis_label(basis, lang)
    if lang == "en":
        return (
            f"{known}; the rule counts the {label}, usually up to {pct}% higher than the municipal population: "
            f"it may lie on either side of the threshold ({crit})"
        )
    return (
        f"{known} ; la règle compte la {label}, en général jusqu'à {pct}\u00a0% plus élevée que la "
        f"population municipale : elle peut être de part et d'autre du seuil ({crit})"
    )


def basis_unstated(known: str, basis: str, crit: str, lang: str) -> str:
    """The doubt when the populations straddle the threshold and the source names neither."""
    label = basis_label(basis, lang)
    if lang == "en":
        return (
            f"{known}: on either side of the threshold ({crit}), and the source does not say which population "
            f"the rule counts ({label} by default)"
        )
    return (
        f"{known} : de part et d'autre du seuil ({crit}), et la source ne précise pas quelle population la "
        f"règle retient ({label} par défaut)"
    )


def basis_question(lang: str) -> str:
    """The question when the source does not say which population the rule counts."""
    return pick(
        lang,
        "Quelle population (municipale ou totale) le texte retient-il ? (à vérifier sur Légifrance)",
        "Which population (municipal or total) does the text count? (to be checked on Légifrance)",
    )


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


# --------------------------------------------------------------------------- the engine's verdicts, worded


def unique(texts: Sequence[str]) -> list[str]:
    """``texts`` without repetition, in the order they first appear."""
    return list(dict.fromkeys(texts))


def evidence(e: Evidence, lang: str) -> str:
    """A fact a verdict rests on: « population municipale : 3 412 habitants », « agents : 60 ETP »."""
    if isinstance(e, PopulationEvidence):
        return population_value(e.basis, e.value, lang)
    if isinstance(e, OtherPopulationUnknown):
        return other_population_unknown(e.basis, e.value, lang)
    if isinstance(e, PopulationFigures):
        parts = [] if e.municipale is None else [population_value("municipale", e.municipale, lang)]
        parts += [] if e.totale is None else [population_value("totale", e.totale, lang)]
        return ", ".join(parts)
    assert isinstance(e, AgentsEvidence)
    return agents_value(e.value, 0 if float(e.value).is_integer() else 1, lang)


def doubt(d: Doubt, lang: str) -> str:
    """Why a condition is unknown."""
    if isinstance(d, PopulationUnknown):
        return population_unknown(d.key, d.basis, criterion(d.op, d.threshold, lang), lang)
    if isinstance(d, BasisStraddles):
        pct = format_number(d.margin * 100, lang=lang)
        return basis_straddles(evidence(d.known, lang), d.basis, criterion(d.op, d.threshold, lang), pct, lang)
    if isinstance(d, BasisUnstated):
        return basis_unstated(evidence(d.known, lang), d.basis, criterion(d.op, d.threshold, lang), lang)
    if isinstance(d, AgentsUnknown):
        return agents_unknown(d.threshold, lang)
    assert isinstance(d, AiUseUnknown)
    return ai_use_unknown(lang, d.key)


def question_text(q: Question, lang: str) -> str:
    """The question ``q`` asks."""
    if q.code == "population":
        assert q.key is not None and q.basis is not None
        return population_question(q.key, q.basis, lang)
    if q.code == "population_basis":
        return basis_question(lang)
    if q.code == "adoption":
        return adoption_question(lang)
    if q.code == "table":
        assert q.text is not None
        return q.text.get(lang)
    return question(q.code, lang)


def questions(qs: Sequence[Question], lang: str) -> list[str]:
    return unique([question_text(q, lang) for q in qs])


def category(options: Sequence[Text], lang: str) -> str | None:
    """The category of a verdict: None, the one category, or the alternatives (« entité essentielle ou
    entité importante »)."""
    if not options:
        return None
    if len(options) == 1:
        return options[0].get(lang)
    return categories(sorted({o.get(lang) for o in options} - {""}), lang)


def reason(r: Reason, lang: str) -> str:
    """Why the verdict is what it is."""
    if isinstance(r, RowReason):
        return with_evidence(r.text.get(lang), [evidence(e, lang) for e in r.evidence], lang)
    if isinstance(r, CategoryUnknown):
        cases = [(text.get(lang), None if cat is None else cat.get(lang)) for text, cat in r.cases]
        return category_unknown(cases, unique([doubt(d, lang) for d in r.doubts]), lang)
    if isinstance(r, ToBeDetermined):
        applies_if = None if r.applies_if is None else r.applies_if.get(lang)
        return to_be_determined(unique([doubt(d, lang) for d in r.doubts]), applies_if, lang)
    if isinstance(r, BillInScope):
        return bill_in_scope(category(r.category, lang), reason(r.then, lang), r.legal_status.get(lang), lang)
    if isinstance(r, BillOther):
        return bill_other(reason(r.then, lang), r.legal_status.get(lang), lang)
    assert isinstance(r, NotYetInForce)
    return not_yet_in_force(r.since, reason(r.then, lang), lang)

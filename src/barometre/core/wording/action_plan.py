"""The cyber action plan's own sentences, in French or English.

:mod:`barometre.core.diagnostic.action_plan` decides with codes: an action proposed because answers
are missing (``precaution``), a commune without IT staff pointed to pooled resources (``shared``),
an action the questionnaire cannot decide (``to_check``). The catalogue's texts (titles, reasons,
first steps) are data, in ``data/cyber_actions.yaml``; the sentences the code adds are worded here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

#: Why-notes of a planned action, by code.
NOTES: Mapping[str, Mapping[str, str]] = {
    "precaution": {
        "fr": "(Réponse non renseignée : action proposée par précaution.)",
        "en": "(No answer given: action proposed as a precaution.)",
    },
    "shared": {
        "fr": "Sans personnel informatique, la mutualisation est la voie la plus réaliste.",
        "en": "Without IT staff, sharing resources with other authorities is the most realistic way.",
    },
}
#: Why an action of the catalogue is listed to check rather than planned.
TO_CHECK: Mapping[str, str] = {
    "fr": "Le questionnaire ne pose pas la question : à vérifier.",
    "en": "The questionnaire does not ask this question: to be checked.",
}


def why(reason: str, notes: Sequence[str], lang: str) -> str:
    """The catalogue's ``reason`` followed by the sentences of ``notes`` (codes of :data:`NOTES`)."""
    return " ".join([reason, *(NOTES[code][lang] for code in notes)])


def to_check(lang: str) -> str:
    return TO_CHECK[lang]


__all__ = ["NOTES", "TO_CHECK", "to_check", "why"]

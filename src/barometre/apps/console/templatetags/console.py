"""Console template filters."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from barometre.core.registry.model import STRATUM_LABELS, STRATUM_LABELS_EN, Stratum

register = template.Library()


@register.filter
def stratum_name(code: str) -> str:
    """A stratum's name in the page's language (the code itself when unknown)."""
    try:
        s = Stratum(code)
    except ValueError:
        return code
    return (STRATUM_LABELS_EN if (get_language() or "fr").startswith("en") else STRATUM_LABELS)[s]

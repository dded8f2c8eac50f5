"""Template filters: numbers formatted the French (or English) way."""

from __future__ import annotations

from django import template

from barometre.apps.i18n import active_lang
from barometre.core.wording.numbers import format_number, format_percent

register = template.Library()


@register.filter
def pct(value: float | None, decimals: int = 0) -> str:
    """``49.2|pct`` → ``49 %`` (French) or ``49%`` (English); empty for None."""
    if value is None:
        return ""
    return format_percent(float(value), int(decimals), active_lang())


@register.filter
def num(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return ""
    return format_number(float(value), int(decimals), active_lang())


@register.filter
def base_label(value: str) -> str:
    """The base of a published figure in the page's language (``all respondents`` → « ensemble des … »)."""
    from django.utils import translation

    from barometre.core.wording.bases import base_label as label

    return label(str(value or ""), "en" if (translation.get_language() or "fr").startswith("en") else "fr")

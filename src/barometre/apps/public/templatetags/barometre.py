"""Template filters: numbers formatted the French (or English) way."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from barometre.core.formatting import format_number, format_percent

register = template.Library()


def _lang() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


@register.filter
def pct(value: float | None, decimals: int = 0) -> str:
    """``49.2|pct`` → ``49 %`` (French) or ``49%`` (English); empty for None."""
    if value is None:
        return ""
    return format_percent(float(value), int(decimals), _lang())


@register.filter
def num(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return ""
    return format_number(float(value), int(decimals), _lang())

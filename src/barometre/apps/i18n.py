"""The language the core should write in, from Django's active language."""

from __future__ import annotations

from django.utils.translation import get_language


def active_lang() -> str:
    """``"en"`` when the visitor chose English, else ``"fr"`` (the core's two languages)."""
    return "en" if (get_language() or "fr").startswith("en") else "fr"

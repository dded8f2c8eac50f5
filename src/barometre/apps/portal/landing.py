"""What the respondent's first page says about the survey: who asks, why, how long, until when,
whom to ask for help; and the page of a link that does not open.

The organiser, help e-mail and phone are the edition's settings (set in the console or by
``barometre edition create``). The organiser's logo is the setting ``BAROMETRE_ORGANISER_LOGO``
(a URL, or a path under the static files: an SVG or PNG image); without it a neutral emblem is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.templatetags.static import static

from barometre.apps.editions.models import Edition, EditionState
from barometre.core.questionnaire import Questionnaire
from barometre.core.questionnaire.effort import estimated_minutes

#: The emblem shown when no organiser logo is configured (a barometer dial, not a letter).
DEFAULT_LOGO = "portal/emblem.svg"


def logo_url() -> str:
    configured = str(getattr(settings, "BAROMETRE_ORGANISER_LOGO", "") or "")
    if configured.startswith(("http://", "https://", "/")):
        return configured
    return static(configured or DEFAULT_LOGO)


@dataclass(frozen=True)
class Survey:
    """The facts of the landing page, as numbers and strings (wording in the template)."""

    organiser: str
    logo_url: str
    help_email: str
    help_phone: str
    minutes: int
    closes_on: date | None
    link_expires_at: datetime | None

    @property
    def has_help(self) -> bool:
        return bool(self.help_email or self.help_phone)


def survey(edition: Edition, qn: Questionnaire, link_expires_at: datetime | None) -> Survey:
    return Survey(
        organiser=edition.organiser,
        logo_url=logo_url(),
        help_email=edition.help_email,
        help_phone=edition.help_phone,
        minutes=estimated_minutes(qn),
        closes_on=edition.closes_on,
        link_expires_at=link_expires_at,
    )


def help_contact() -> dict[str, str]:
    """Whom to ask for a new link: the help contact of the edition open for collection (the latest),
    else of the latest edition that has one. Depends on no token: the page of a link that does not
    open says the same thing whether the link exists or not."""
    editions = Edition.objects.exclude(help_email="", help_phone="").order_by("-year")
    edition = editions.filter(state=EditionState.OPEN).first() or editions.first()
    if edition is None:
        return {"organiser": "", "email": "", "phone": ""}
    return {"organiser": edition.organiser, "email": edition.help_email, "phone": edition.help_phone}

"""The portal's e-mails, sent by the background worker (django-tasks, as the console's jobs):
the confirmation of a submitted response (with its reference number) to the authority's contacts,
and a delegated section's link to the colleague it is handed to.

Links are never stored in clear: the task that e-mails a delegation creates the link itself and
puts it only in the message. Without an SMTP server configured (``EMAIL_HOST``), nothing is sent
and the pages do not offer to send.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from barometre.apps.editions.models import Response
from barometre.apps.editions.sources import questionnaire_for
from barometre.apps.portal import services
from barometre.apps.portal.models import Invitation

log = logging.getLogger(__name__)


def enabled() -> bool:
    """Whether e-mail can be sent (an SMTP host, or a non-SMTP backend such as the tests' one)."""
    return not settings.EMAIL_BACKEND.endswith("smtp.EmailBackend") or bool(settings.EMAIL_HOST)


def _base() -> str:
    return str(getattr(settings, "BAROMETRE_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")


def _send(subject: str, body: str, to: list[str], reply_to: str = "") -> None:
    EmailMessage(
        " ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, to, reply_to=[reply_to] if reply_to else None
    ).send(fail_silently=False)


# --------------------------------------------------------------------------- receipt


def send_receipt_later(response: Response) -> None:
    """Queue the confirmation e-mail of ``response`` (once the submission commits), if there is
    anyone to write to and a way to write."""
    if not enabled():
        return
    pk, lang = response.pk, translation.get_language() or "fr"
    transaction.on_commit(lambda: send_receipt.enqueue(pk, lang))


def receipt_message(response: Response, lang: str = "fr") -> tuple[str, str]:
    edition = response.edition
    with translation.override(lang):
        context = {
            "authority": response.authority,
            "edition": edition,
            "response": response,
            "reference": services.receipt_reference(response),
        }
        subject = render_to_string("portal/mail/receipt_subject.txt", context)
        body = render_to_string("portal/mail/receipt_body.txt", context)
    return subject, body


@task()
def send_receipt(response_id: int, lang: str = "fr") -> str:
    """Write the confirmation of a submitted response to the authority's contacts for the edition."""
    from barometre.apps.console.models import Contact

    response = Response.objects.select_related("edition", "authority").get(pk=response_id)
    if response.submitted_at is None:
        return "not submitted"
    to = sorted(
        set(
            Contact.objects.filter(edition=response.edition, authority=response.authority).values_list(
                "email", flat=True
            )
        )
    )
    if not to:
        return "no contact"
    subject, body = receipt_message(response, lang)
    _send(subject, body, to, response.edition.help_email)
    return f"sent to {len(to)}"


# --------------------------------------------------------------------------- delegation


def send_delegation_later(main: Invitation, section_id: str, label: str, email: str, sender: str) -> None:
    """Queue the creation of a delegated link and its e-mail to ``email`` (the link exists only in it)."""
    pk, lang = main.pk, translation.get_language() or "fr"
    transaction.on_commit(lambda: send_delegation.enqueue(pk, section_id, label, email, sender, lang))


@task()
def send_delegation(main_id: int, section_id: str, label: str, email: str, sender: str = "", lang: str = "fr") -> str:
    main = Invitation.objects.select_related("response__edition", "response__authority").get(pk=main_id)
    if not Invitation.objects.usable().filter(pk=main.pk).exists() or not services.is_editable(main.response):
        return "link no longer usable"
    qn = questionnaire_for(main.response.edition)
    _inv, token = services.delegate(main, section_id, label)
    link = _base() + reverse("portal:home", kwargs={"token": token})
    edition = main.response.edition
    with translation.override(lang):
        context = {
            "authority": main.response.authority,
            "edition": edition,
            "section": qn.section(section_id).title.get(lang),
            "link": link,
            "sender": sender,
            "expires_at": main.expires_at,
        }
        subject = render_to_string("portal/mail/delegation_subject.txt", context)
        body = render_to_string("portal/mail/delegation_body.txt", context)
    _send(subject, body, [email], edition.help_email)
    return "sent"

"""E-mail invitations and reminders through Django's e-mail backend (SMTP from the environment).

Links are never stored in clear (prefix + keyed hash, :mod:`barometre.core.tokens`), so a message
that carries a link always carries a *fresh* one: sending an invitation or a reminder issues a new
link for the authority and revokes the previous one (the answers stay with the authority's response).

Each attempt is recorded as a :class:`Delivery` (sent or failed, with the error). A reminder goes
only to authorities that have not submitted, and only to contacts that did not opt out.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template import Context, Engine
from django.urls import reverse
from django.utils import timezone

from barometre.apps.console.models import Contact, Delivery, EmailTemplate, MessageKind
from barometre.apps.editions.models import Edition, EditionState, Response, ResponseStatus
from barometre.apps.portal.models import Invitation
from barometre.core import tokens
from barometre.core.errors import EditionError

OPTOUT_SALT = "barometre.console.optout"
#: Authorities whose links are issued in one transaction before their messages are sent.
BATCH = 200

#: Default texts, edited in the console (stored as :class:`EmailTemplate`). Django template syntax.
DEFAULTS: dict[tuple[str, str], tuple[str, str]] = {
    ("invitation", "fr"): (
        "Baromètre {{ edition }} : votre collectivité est invitée à répondre",
        "Bonjour{% if contact_name %} {{ contact_name }}{% endif %},\n\n"
        "{{ organiser }} mène le Baromètre {{ edition }} de la maturité des collectivités territoriales "
        "en data, intelligence artificielle et cybersécurité. Vos réponses pour {{ authority }} "
        "permettent de dresser un état des lieux national et de vous situer parmi vos pairs.\n\n"
        "Le questionnaire prend environ {{ minutes }} minutes. Il est ouvert jusqu'au {{ closes_on }}.\n\n"
        "Votre lien personnel (ne le transmettez qu'aux personnes qui répondent avec vous) :\n{{ link }}\n\n"
        "Une question ? {{ help_email }}{% if help_phone %} — {{ help_phone }}{% endif %}\n\n"
        "{{ organiser }}\n",
    ),
    ("invitation", "en"): (
        "Barometer {{ edition }}: your authority is invited to respond",
        "Hello{% if contact_name %} {{ contact_name }}{% endif %},\n\n"
        "{{ organiser }} runs the {{ edition }} Barometer of French local authorities' maturity in data, "
        "artificial intelligence and cybersecurity. Your answers for {{ authority }} build a national "
        "picture and show where you stand among your peers.\n\n"
        "The questionnaire takes about {{ minutes }} minutes. It is open until {{ closes_on }}.\n\n"
        "Your personal link (share it only with those who answer with you):\n{{ link }}\n\n"
        "A question? {{ help_email }}{% if help_phone %} — {{ help_phone }}{% endif %}\n\n"
        "{{ organiser }}\n",
    ),
    ("reminder", "fr"): (
        "Rappel — Baromètre {{ edition }} : il reste jusqu'au {{ closes_on }} pour répondre",
        "Bonjour{% if contact_name %} {{ contact_name }}{% endif %},\n\n"
        "Nous n'avons pas encore reçu la réponse de {{ authority }} au Baromètre {{ edition }} "
        "(data, IA et cybersécurité) mené par {{ organiser }}. Environ {{ minutes }} minutes suffisent ; "
        "les réponses déjà saisies sont conservées. Clôture : {{ closes_on }}.\n\n"
        "Votre nouveau lien personnel (le précédent ne fonctionne plus) :\n{{ link }}\n\n"
        "Une question ? {{ help_email }}{% if help_phone %} — {{ help_phone }}{% endif %}\n\n"
        "Ne plus recevoir de relance : {{ optout_link }}\n",
    ),
    ("reminder", "en"): (
        "Reminder — Barometer {{ edition }}: you have until {{ closes_on }} to respond",
        "Hello{% if contact_name %} {{ contact_name }}{% endif %},\n\n"
        "We have not yet received {{ authority }}'s response to the {{ edition }} Barometer "
        "(data, AI and cybersecurity) run by {{ organiser }}. About {{ minutes }} minutes are enough; "
        "answers already entered are kept. Closing date: {{ closes_on }}.\n\n"
        "Your new personal link (the previous one no longer works):\n{{ link }}\n\n"
        "A question? {{ help_email }}{% if help_phone %} — {{ help_phone }}{% endif %}\n\n"
        "No more reminders: {{ optout_link }}\n",
    ),
}


#: Plain-text e-mails: no HTML escaping; an unknown variable renders as nothing.
_ENGINE = Engine(autoescape=False, string_if_invalid="")


class MailServerUnreachable(EditionError):
    """The SMTP server cannot be reached at all."""


def template_for(kind: str, lang: str) -> tuple[str, str]:
    stored = EmailTemplate.objects.filter(kind=kind, lang=lang).first()
    return (stored.subject, stored.body) if stored else DEFAULTS[(kind, lang)]


def render(kind: str, lang: str, context: dict[str, Any]) -> tuple[str, str]:
    subject, body = template_for(kind, lang)
    ctx = Context(context)
    return " ".join(_ENGINE.from_string(subject).render(ctx).split()), _ENGINE.from_string(body).render(ctx)


def check_template(subject: str, body: str) -> None:
    """Raise EditionError when a template does not compile or lacks the link."""
    from django.template import TemplateSyntaxError

    try:
        _ENGINE.from_string(subject)
        _ENGINE.from_string(body)
    except TemplateSyntaxError as exc:
        raise EditionError(f"modèle invalide : {exc}") from None
    if "{{ link }}" not in body:
        raise EditionError("le modèle doit contenir {{ link }} (le lien personnel)")


def estimated_minutes(edition: Edition) -> int:
    from barometre.apps.editions.sources import questionnaire_for
    from barometre.core.questionnaire.effort import estimated_minutes as minutes_of

    return minutes_of(questionnaire_for(edition))


def optout_token(contact: Contact) -> str:
    return signing.dumps(contact.pk, salt=OPTOUT_SALT, compress=True)


def optout(token: str) -> Contact | None:
    try:
        pk = signing.loads(token, salt=OPTOUT_SALT)
    except signing.BadSignature:
        return None
    contact = Contact.objects.filter(pk=pk).first()
    if contact is not None and contact.opted_out_at is None:
        contact.opted_out_at = timezone.now()
        contact.save(update_fields=["opted_out_at"])
    return contact


def _base() -> str:
    return str(getattr(settings, "BAROMETRE_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")


@dataclass
class SendReport:
    edition: int
    reminder: bool
    stratum: str | None
    sent: int = 0
    failed: int = 0
    skipped_no_contact: int = 0
    skipped_opted_out: int = 0
    authorities: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "edition": self.edition,
            "reminder": self.reminder,
            "stratum": self.stratum,
            "authorities": self.authorities,
            "sent": self.sent,
            "failed": self.failed,
            "skipped_no_contact": self.skipped_no_contact,
            "skipped_opted_out": self.skipped_opted_out,
            "failures": self.failures[:50],
        }

    def sentence(self) -> str:
        kind = "relances" if self.reminder else "invitations"
        return (
            f"{kind} : {self.sent} envoyée(s), {self.failed} en échec, "
            f"{self.skipped_no_contact} collectivité(s) sans contact"
            + (f", {self.skipped_opted_out} contact(s) désinscrit(s)" if self.skipped_opted_out else "")
        )


def targets(edition: Edition, *, reminder: bool, stratum: str | None) -> list[Any]:
    """Authorities to write to: the sample (or, for a voluntary survey, those with contacts)."""
    from barometre.apps.registry.models import Authority

    sample = edition.sample.all()
    if sample.exists():
        if stratum:
            sample = sample.filter(stratum=stratum)
        qs = Authority.objects.filter(pk__in=sample.values("authority"))
    else:
        qs = Authority.objects.filter(pk__in=Contact.objects.filter(edition=edition).values("authority"))
        if stratum:
            qs = qs.filter(stratum=stratum)
    if reminder:
        done = edition.responses.filter(status__in=[ResponseStatus.SUBMITTED, ResponseStatus.VALIDATED])
        qs = qs.exclude(pk__in=done.values("authority"))
    else:
        invited = Delivery.objects.filter(response__edition=edition, kind=MessageKind.INVITATION, ok=True).values(
            "response__authority"
        )
        qs = qs.exclude(pk__in=invited)
    return list(qs.order_by("code"))


def send_invitations(
    edition: Edition,
    *,
    reminder: bool = False,
    stratum: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    connection: Any = None,
) -> SendReport:
    """Send invitations (or reminders) for ``edition``; return once every message was attempted."""

    edition.refresh_from_db()
    if edition.state != EditionState.OPEN:
        raise EditionError(f"édition {edition.year} : collecte non ouverte, aucun message envoyé")
    if settings.EMAIL_BACKEND.endswith("smtp.EmailBackend") and not settings.EMAIL_HOST:
        raise EditionError("envoi d'e-mails non configuré : définissez EMAIL_HOST (et EMAIL_PORT…)")
    kind = MessageKind.REMINDER if reminder else MessageKind.INVITATION
    report = SendReport(edition.year, reminder, stratum)
    authorities = targets(edition, reminder=reminder, stratum=stratum)
    contacts: dict[int, list[Contact]] = {}
    for c in Contact.objects.filter(edition=edition, authority__in=authorities):
        contacts.setdefault(c.authority_id, []).append(c)
    report.authorities = len(authorities)
    base = {
        "edition": edition.year,
        "organiser": edition.organiser or "L'équipe du Baromètre",
        "help_email": edition.help_email or settings.DEFAULT_FROM_EMAIL,
        "help_phone": edition.help_phone,
        "minutes": estimated_minutes(edition),
    }
    closes = edition.closes_on
    conn = connection or get_connection(fail_silently=False)
    try:
        conn.open()
    except (OSError, smtplib.SMTPException) as exc:
        where = f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
        raise MailServerUnreachable(f"serveur SMTP injoignable ({where}) : {exc}") from None
    subject_t, body_t = (_ENGINE.from_string(t) for t in template_for(kind, "fr"))
    closes_text = closes.strftime("%d/%m/%Y") if closes else ""
    try:
        total = len(authorities)
        for start in range(0, total, BATCH):
            batch = authorities[start : start + BATCH]
            # 1. fresh links for the batch, in one short transaction (never held while sending)
            links: list[tuple[Any, list[Contact], str, Response, Invitation | None]] = []
            wanted: list[tuple[Any, list[Contact]]] = []
            for authority in batch:
                people = contacts.get(authority.pk, [])
                if reminder:
                    keep = [c for c in people if c.opted_out_at is None]
                    report.skipped_opted_out += len(people) - len(keep)
                    people = keep
                if not people:
                    report.skipped_no_contact += 1
                    continue
                wanted.append((authority, people))
            fresh = fresh_links(edition, [a for a, _ in wanted])
            for authority, people in wanted:
                response, fresh_invitation, token = fresh[authority.pk]
                link = _base() + reverse("portal:home", kwargs={"token": token})
                links.append((authority, people, link, response, fresh_invitation))
            # 2. the messages, then their outcomes in one insert
            done: list[Delivery] = []
            for authority, people, link, response, invitation in links:
                for contact in people:
                    ctx = Context(
                        base
                        | {
                            "authority": authority.name,
                            "contact_name": contact.name,
                            "link": link,
                            "closes_on": closes_text,
                            "optout_link": _base() + reverse("optout", kwargs={"token": optout_token(contact)}),
                        }
                    )
                    subject = " ".join(subject_t.render(ctx).split())
                    message = EmailMessage(
                        subject, body_t.render(ctx), settings.DEFAULT_FROM_EMAIL, [contact.email], connection=conn
                    )
                    try:
                        message.send(fail_silently=False)
                        ok, error = True, ""
                        report.sent += 1
                    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
                        ok, error = False, f"{type(exc).__name__}: {exc}"[:300]
                        report.failed += 1
                        report.failures.append({"authority": authority.code, "email": contact.email, "error": error})
                        if isinstance(exc, smtplib.SMTPServerDisconnected):
                            _reopen(conn)
                    done.append(
                        Delivery(
                            response=response, contact=contact, invitation=invitation, kind=kind, ok=ok, error=error
                        )
                    )
            Delivery.objects.bulk_create(done)
            if progress is not None:
                progress(min(start + BATCH, total), total)
    finally:
        conn.close()
    return report


def fresh_links(edition: Edition, authorities: list[Any]) -> dict[int, tuple[Response, Invitation, str]]:
    """A new main link for each authority (response created if needed), the previous ones revoked.

    The bulk form of :func:`barometre.apps.portal.services.invite` with ``replace=True``, in one
    transaction: authority pk → (response, invitation, clear token shown only in the message).
    """
    from barometre.apps.portal.models import token_key
    from barometre.apps.portal.services import closing_datetime

    if not authorities:
        return {}
    pks = [a.pk for a in authorities]
    now = timezone.now()
    expires = closing_datetime(edition)
    with transaction.atomic():
        have = set(
            Response.objects.filter(edition=edition, authority_id__in=pks).values_list("authority_id", flat=True)
        )
        Response.objects.bulk_create([Response(edition=edition, authority_id=pk) for pk in pks if pk not in have])
        responses = {r.authority_id: r for r in Response.objects.filter(edition=edition, authority_id__in=pks)}
        Invitation.objects.usable().filter(response__in=responses.values(), section="").update(revoked_at=now)
        made = {pk: tokens.new_token(token_key()) for pk in pks}
        Invitation.objects.bulk_create(
            [
                Invitation(response=responses[pk], prefix=t.prefix, digest=t.digest, expires_at=expires)
                for pk, t in made.items()
            ]
        )
        by_prefix = {i.prefix: i for i in Invitation.objects.filter(prefix__in=[t.prefix for t in made.values()])}
    return {pk: (responses[pk], by_prefix[t.prefix], t.token) for pk, t in made.items()}


def _reopen(conn: Any) -> None:
    try:
        conn.close()
        conn.open()
    except (OSError, smtplib.SMTPException):
        pass


def deliveries(edition: Edition, *, failed_only: bool = False) -> Iterable[Delivery]:
    qs = Delivery.objects.filter(response__edition=edition).select_related("contact", "response__authority")
    return qs.filter(ok=False) if failed_only else qs

"""The analysts' console: staff roles, background jobs, contacts, e-mail templates and deliveries.

The audit trail is :class:`barometre.apps.editions.models.AuditEntry` (one log for the command line
and the console).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("administrateur")
    ANALYST = "analyst", _("analyste")
    VIEWER = "viewer", _("lecteur (comité de pilotage)")


class StaffProfile(models.Model):
    """A console account's role (the user's e-mail is its username)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(role__in=[r.value for r in Role]), name="staff_role_valid")]

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.role})"

    @property
    def can_write(self) -> bool:
        return self.role in (Role.ADMIN, Role.ANALYST)


class JobKind(models.TextChoices):
    OPEN = "open", _("ouvrir la collecte")
    CLOSE = "close", _("clore la collecte")
    WEIGHT = "weight", _("pondérer")
    COMPUTE = "compute", _("calculer les indicateurs")
    COMPARE = "compare", _("comparer aux valeurs publiées")
    PUBLISH = "publish", _("publier")
    NOTE = "note", _("construire la note")
    SEND = "send", _("envoyer les invitations")
    REMIND = "remind", _("envoyer une relance")


class JobState(models.TextChoices):
    QUEUED = "queued", _("en attente")
    RUNNING = "running", _("en cours")
    DONE = "done", _("terminé")
    FAILED = "failed", _("échec")


class Job(models.Model):
    """A console action run by the background worker; its progress and log are shown in the page."""

    kind = models.CharField(max_length=12, choices=JobKind.choices)
    edition = models.ForeignKey("editions.Edition", on_delete=models.CASCADE, related_name="+")
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    log = models.TextField(blank=True, default="")
    result = models.JSONField(default=dict, blank=True)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    #: A scheduled job (e.g. a reminder) waits in the queue until then.
    run_after = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="job_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.edition_id} ({self.state})"


class Contact(models.Model):
    """A person to write to about an authority's response to an edition."""

    edition = models.ForeignKey("editions.Edition", on_delete=models.CASCADE, related_name="+")
    authority = models.ForeignKey("registry.Authority", on_delete=models.PROTECT, related_name="+")
    email = models.EmailField()
    name = models.CharField(max_length=150, blank=True, default="")
    role = models.CharField(max_length=150, blank=True, default="")
    #: Set when the person followed the opt-out link of a reminder: no more reminders.
    opted_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["authority__code", "email"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "authority", "email"], name="contact_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.authority_id})"


class MessageKind(models.TextChoices):
    INVITATION = "invitation", _("invitation")
    REMINDER = "reminder", _("relance")


class EmailTemplate(models.Model):
    """An e-mail's subject and body as edited in the console (defaults in ``mailing.DEFAULTS``)."""

    kind = models.CharField(max_length=12, choices=MessageKind.choices)
    lang = models.CharField(max_length=2, choices=[("fr", "Français"), ("en", "English")])
    subject = models.CharField(max_length=200)
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "lang"], name="email_template_unique")]

    def __str__(self) -> str:
        return f"{self.kind}/{self.lang}"


class Delivery(models.Model):
    """One attempt to send an invitation or reminder to one contact (failures kept, visible)."""

    response = models.ForeignKey("editions.Response", on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="deliveries")
    invitation = models.ForeignKey("portal.Invitation", on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=12, choices=MessageKind.choices)
    at = models.DateTimeField(auto_now_add=True)
    ok = models.BooleanField()
    error = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["response", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.contact_id} ({'ok' if self.ok else 'échec'})"

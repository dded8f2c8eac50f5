"""Secret links that open one authority's response (or one section of it)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from barometre.apps.editions.models import Response
from barometre.core import tokens


def token_key() -> bytes:
    """Key of the token hashes (``BAROMETRE_TOKEN_KEY``, else the secret key)."""
    key = getattr(settings, "BAROMETRE_TOKEN_KEY", "") or settings.SECRET_KEY
    return ("barometre.invitation:" + key).encode("utf-8")


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def usable(self, now: datetime | None = None) -> InvitationQuerySet:
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class Invitation(models.Model):
    """A link for a response. ``section`` empty = the main link (may submit);
    otherwise a delegated sub-link limited to that section."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="invitations")
    prefix = models.CharField(max_length=tokens.PREFIX_LENGTH, unique=True)
    digest = models.CharField(max_length=64)
    section = models.CharField(max_length=80, blank=True, default="")
    label = models.CharField(max_length=120, blank=True, default="")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="delegations")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(section="") | Q(parent__isnull=False), name="invitation_delegation_has_parent"
            ),
        ]

    def __str__(self) -> str:
        scope = self.section or "principal"
        return f"Lien {self.prefix}… ({scope})"

    @property
    def is_main(self) -> bool:
        return self.section == ""

    @classmethod
    def create_for(
        cls,
        response: Response,
        *,
        section: str = "",
        parent: Invitation | None = None,
        label: str = "",
        expires_at: datetime | None = None,
    ) -> tuple[Invitation, str]:
        """Create a link; return it with the clear token (shown once, never stored)."""
        new = tokens.new_token(token_key())
        while cls.objects.filter(prefix=new.prefix).exists():  # pragma: no cover - 48 random bits
            new = tokens.new_token(token_key())
        inv = cls.objects.create(
            response=response,
            prefix=new.prefix,
            digest=new.digest,
            section=section,
            parent=parent,
            label=label,
            expires_at=expires_at,
        )
        return inv, new.token

    @classmethod
    def resolve(cls, token: str) -> Invitation | None:
        """The usable invitation for ``token``, or None (unknown, expired, revoked, tampered)."""
        if not tokens.is_well_formed(token):
            return None
        inv = (
            cls.objects.usable()
            .select_related("response__edition", "response__authority")
            .filter(prefix=tokens.prefix_of(token))
            .first()
        )
        if inv is None or not tokens.matches(token, inv.digest, token_key()):
            return None
        if inv.parent_id is not None and not Invitation.objects.usable().filter(pk=inv.parent_id).exists():
            return None  # a delegation dies with its main link
        return inv

"""Any change to an answer after weighting makes the edition's weights stale.

Connected to the model rather than to one view, so that every write path
(portal, analyst reopening, admin, imports) keeps the invariant.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from barometre.apps.editions.lifecycle import mark_weights_stale
from barometre.apps.editions.models import Answer, Response


@receiver(post_save, sender=Answer)
@receiver(post_delete, sender=Answer)
def answer_changed(sender: type[Answer], instance: Answer, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loading a backup or fixture: the stored state (weights_stale included) is restored as it was
    edition_id = Response.objects.filter(pk=instance.response_id).values_list("edition_id", flat=True).first()
    if edition_id is not None:
        mark_weights_stale(edition_id)

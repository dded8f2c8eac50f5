"""Console template filters."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from barometre.apps.i18n import active_lang
from barometre.core.wording.labels import stratum_name as _stratum_name

register = template.Library()


@register.filter
def stratum_name(code: str) -> str:
    """A stratum's name in the page's language (the code itself when unknown)."""
    return _stratum_name(code, active_lang())


#: Audit log actions in words (the CSV export keeps the codes); ``job_<kind>`` and
#: ``edition_<state>`` take the words of the job kind and of the edition state.
AUDIT_LABELS = {
    "signin": gettext_lazy("connexion"),
    "signout": gettext_lazy("déconnexion"),
    "edition_create": gettext_lazy("création de l'édition"),
    "edition_settings": gettext_lazy("paramètres de l'édition modifiés"),
    "sample_draw": gettext_lazy("tirage de l'échantillon"),
    "contacts_import": gettext_lazy("import des contacts"),
    "email_template": gettext_lazy("modèle d'e-mail modifié"),
    "response_submitted": gettext_lazy("réponse envoyée"),
    "response_reopened": gettext_lazy("réponse rouverte"),
    "response_validated": gettext_lazy("réponse validée"),
    "response_import": gettext_lazy("réponses importées"),
}


@register.filter
def audit_action(code: str) -> str:
    """An audit log action in words (the code itself when unknown)."""
    from barometre.apps.console.models import JobKind
    from barometre.apps.editions.models import EditionState

    if code in AUDIT_LABELS:
        return str(AUDIT_LABELS[code])
    kind, _sep, rest = code.partition("_")
    if kind == "job" and rest in JobKind.values:
        return _("travail lancé : %(what)s") % {"what": JobKind(rest).label}
    if kind == "edition" and rest in EditionState.values:
        return _("édition : %(state)s") % {"state": EditionState(rest).label}
    return code

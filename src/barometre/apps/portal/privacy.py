"""The privacy notice shown on the first page of the portal (RGPD art. 13).

Who runs the survey is the edition's organiser (else the setting ``BAROMETRE_SURVEY_OPERATOR``);
the contact for personal data is the setting ``BAROMETRE_DPO_CONTACT``, else the edition's help
e-mail. The placeholders below show only on an installation where neither is set.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from barometre.apps.portal.services import NAME_RETENTION_DAYS

DEFAULT_OPERATOR = gettext_lazy("l’équipe qui exploite cette instance de Baromètre")
DEFAULT_DPO_CONTACT = "dpo@barometre.invalid"
#: How long the answers themselves are kept (they describe an authority, not a person).
ANSWERS_RETENTION = "durée de vie de la série statistique du baromètre"


def notice(lang: str, edition: Any = None) -> dict[str, Any]:
    organiser = getattr(edition, "organiser", "") if edition is not None else ""
    help_email = getattr(edition, "help_email", "") if edition is not None else ""
    operator = organiser or getattr(settings, "BAROMETRE_SURVEY_OPERATOR", "") or DEFAULT_OPERATOR
    dpo = getattr(settings, "BAROMETRE_DPO_CONTACT", "") or help_email or DEFAULT_DPO_CONTACT
    return {
        "operator": operator,
        "dpo": dpo,
        "name_retention_days": NAME_RETENTION_DAYS,
        "items": [
            (_("Qui conduit l’enquête"), _("L’enquête est conduite par %(operator)s.") % {"operator": operator}),
            (
                _("Ce qui est collecté"),
                _(
                    "Les réponses de votre collectivité au questionnaire et, si vous le saisissez, votre nom "
                    "(facultatif) : c’est la seule donnée personnelle collectée. Aucun cookie de mesure d’audience "
                    "n’est déposé ; un cookie technique garde votre session et protège les formulaires."
                ),
            ),
            (
                _("Pourquoi"),
                _(
                    "Produire les statistiques annuelles du baromètre (estimations pondérées, note de conjoncture) "
                    "et vous rendre un diagnostic propre à votre collectivité. Votre nom sert seulement à savoir, "
                    "au sein de votre collectivité, qui a modifié une réponse."
                ),
            ),
            (
                _("Combien de temps"),
                _(
                    "Votre nom est effacé %(days)s jours après la dernière modification de la réponse. Les réponses "
                    "de la collectivité sont conservées pour les comparaisons d’une édition à l’autre ; seules des "
                    "statistiques agrégées sont publiées."
                )
                % {"days": NAME_RETENTION_DAYS},
            ),
            (
                _("Vos droits"),
                _(
                    "Vous pouvez accéder à votre nom, le faire rectifier ou effacer, et vous opposer à son "
                    "traitement ; vous pouvez aussi adresser une réclamation à la CNIL (cnil.fr)."
                ),
            ),
            (_("Contact du délégué à la protection des données"), dpo),
        ],
    }

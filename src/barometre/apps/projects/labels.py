"""Words of the catalogue's codes, in the visitor's language (the core only knows codes)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from barometre.core.projects.model import Domain, Status

DOMAIN_LABELS = {
    Domain.ENERGIE: _("Énergie"),
    Domain.EAU: _("Eau"),
    Domain.DECHETS: _("Déchets"),
    Domain.ENVIRONNEMENT: _("Environnement et biodiversité"),
    Domain.MOBILITE: _("Mobilité"),
    Domain.AIR_SANTE: _("Air et santé"),
    Domain.URBANISME: _("Aménagement et urbanisme"),
    Domain.RELATION_USAGERS: _("Relation aux usagers"),
    Domain.ADMINISTRATION: _("Administration et gestion interne"),
    Domain.GOUVERNANCE: _("Gouvernance et éthique de la donnée"),
    Domain.MUTUALISATION: _("Mutualisation de données"),
    Domain.SECURITE: _("Sécurité"),
    Domain.AUTRE: _("Autre"),
}
STATUS_LABELS = {
    Status.IDEE: _("Idée"),
    Status.EN_COURS: _("En cours"),
    Status.EXPERIMENTATION: _("Expérimentation"),
    Status.EN_SERVICE: _("En service"),
    Status.ARRETE: _("Arrêté"),
}
SIZE_LABELS = {
    "moins_3500": _("Moins de 3 500 habitants"),
    "3500_20000": _("3 500 à 19 999 habitants"),
    "20000_100000": _("20 000 à 99 999 habitants"),
    "100000_plus": _("100 000 habitants ou plus"),
}
KIND_LABELS = {
    "commune": _("Commune"),
    "epci": _("Intercommunalité (EPCI)"),
    "departement": _("Département"),
    "region": _("Région"),
}
REASON_LABELS = {
    "confidentiality": _("secret statistique : moins de répondantes que le minimum"),
    "complementary": _("secret statistique : masqué pour en protéger un autre"),
}
GAP_LABELS = {
    "no_dpo": _("Sans délégué à la protection des données (DPO)"),
    "no_rssi": _("Sans responsable de la sécurité des systèmes d’information (RSSI)"),
}

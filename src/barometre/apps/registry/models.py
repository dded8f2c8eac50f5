"""The registry of local authorities in the database (loaded from the snapshot).

One table for every kind of authority (communes, EPCI, councils, special
authorities), with foreign keys to the intercommunal authority of a commune and
to the authorities holding the regional and départemental powers over a unit's
territory. Authorities that leave the frame are kept with ``active=False`` so
that survey data pointing to them stays valid.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from barometre.apps.i18n import active_lang
from barometre.core.registry.model import KIND_LABELS, STRATUM_LABELS, TYPE_LABELS, AuthorityType, Kind, Stratum
from barometre.core.wording import labels

KIND_CHOICES = [(k.value, KIND_LABELS[k]) for k in Kind]
TYPE_CHOICES = [(t, TYPE_LABELS[t]) for t in AuthorityType.ALL]
STRATUM_CHOICES = [(s.value, STRATUM_LABELS[s]) for s in Stratum]


class Authority(models.Model):
    code = models.CharField(
        "code", max_length=12, unique=True, help_text="INSEE (commune, conseil), SIREN (EPCI), REG-xx (région)"
    )
    siren = models.CharField("SIREN", max_length=9, blank=True, default="")
    name = models.CharField("nom", max_length=200)
    #: Name folded for search (lower case, no accents/hyphens, "saint" → "st").
    name_search = models.CharField(max_length=200, db_index=True, editable=False)
    kind = models.CharField("nature", max_length=24, choices=KIND_CHOICES, db_index=True)
    type = models.CharField("type", max_length=8, choices=TYPE_CHOICES)
    population_municipale = models.PositiveIntegerField("population municipale (INSEE)")
    population_millesime = models.PositiveSmallIntegerField("millésime de la population")
    stratum = models.CharField("strate", max_length=24, choices=STRATUM_CHOICES, db_index=True)
    region = models.CharField("code région INSEE", max_length=3, db_index=True)
    departement = models.CharField("code département INSEE", max_length=3, blank=True, default="", db_index=True)
    departements = models.JSONField("départements couverts", default=list, blank=True)
    former_codes = models.JSONField("anciens codes INSEE", default=list, blank=True)
    epci = models.ForeignKey(
        "self",
        verbose_name="intercommunalité",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        limit_choices_to={"kind__in": [Kind.EPCI.value, Kind.METROPOLE_LYON.value]},
    )
    region_council = models.ForeignKey(
        "self",
        verbose_name="collectivité exerçant les compétences régionales",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    departement_council = models.ForeignKey(
        "self",
        verbose_name="collectivité exerçant les compétences départementales",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_population_municipale = models.PositiveIntegerField("population municipale (source DGCL)", null=True)
    source_population_totale = models.PositiveIntegerField("population totale (source DGCL)", null=True)
    active = models.BooleanField("dans le registre courant", default=True, db_index=True)

    class Meta:
        verbose_name = "collectivité"
        verbose_name_plural = "collectivités"
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["siren"], condition=~Q(siren=""), name="registry_authority_siren_unique"),
            models.CheckConstraint(
                condition=Q(population_municipale__gte=0), name="registry_authority_population_non_negative"
            ),
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in Kind]), name="registry_authority_kind_valid"),
            models.CheckConstraint(condition=Q(type__in=list(AuthorityType.ALL)), name="registry_authority_type_valid"),
            models.CheckConstraint(
                condition=Q(stratum__in=[s.value for s in Stratum]), name="registry_authority_stratum_valid"
            ),
            models.CheckConstraint(
                condition=Q(epci__isnull=True) | Q(kind=Kind.COMMUNE.value),
                name="registry_authority_only_communes_have_epci",
            ),
            models.CheckConstraint(
                condition=~Q(kind=Kind.EPCI.value) | Q(type__in=list(AuthorityType.EPCI_TYPES)),
                name="registry_authority_epci_type",
            ),
        ]
        indexes = [models.Index(fields=["kind", "type"], name="registry_kind_type_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    # Names in the active language (the CLI's is French).
    @property
    def kind_label(self) -> str:
        return labels.kind_label(Kind(self.kind), active_lang())

    @property
    def type_label(self) -> str:
        return labels.type_label(self.type, active_lang())

    @property
    def stratum_label(self) -> str:
        return labels.stratum_label(Stratum(self.stratum), active_lang())


class RegistryLoad(models.Model):
    """One load of a snapshot into the database (the last one describes the registry in use)."""

    loaded_at = models.DateTimeField(auto_now_add=True)
    package = models.CharField(max_length=100)
    version = models.CharField(max_length=20)
    cog = models.PositiveSmallIntegerField()
    population_millesime = models.PositiveSmallIntegerField()
    sha256 = models.CharField(max_length=64)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    deactivated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "chargement du registre"
        verbose_name_plural = "chargements du registre"
        ordering = ["-loaded_at", "-pk"]
        get_latest_by = ["loaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.package}@{self.version} (COG {self.cog}) chargé le {self.loaded_at:%Y-%m-%d}"

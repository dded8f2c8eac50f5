"""Projects of the catalogue: curated examples, respondents' projects published with consent, demo ones."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from barometre.core.projects.model import BudgetClass, Domain, Origin, Status


class ProjectQuerySet(models.QuerySet["Project"]):
    def public(self) -> ProjectQuerySet:
        """What the public catalogue may show: examples, and projects whose authors consented, of editions
        that are not withdrawn."""
        return self.filter(Q(origin=Origin.EXAMPLE.value) | Q(publish=True)).exclude(edition__state="withdrawn")


class Project(models.Model):
    key = models.SlugField(max_length=120, unique=True)
    origin = models.CharField(max_length=12, choices=[(o.value, o.value) for o in Origin])
    authority = models.ForeignKey("registry.Authority", on_delete=models.PROTECT, related_name="+")
    edition = models.ForeignKey("editions.Edition", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    response = models.ForeignKey(
        "editions.Response", on_delete=models.CASCADE, null=True, blank=True, related_name="projects"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=2000, blank=True, default="")
    title_en = models.CharField(max_length=200, blank=True, default="")
    summary_en = models.TextField(max_length=2000, blank=True, default="")
    domain = models.CharField(max_length=24, choices=[(d.value, d.value) for d in Domain])
    status = models.CharField(max_length=24, choices=[(s.value, s.value) for s in Status])
    partners = models.CharField(max_length=300, blank=True, default="")
    shared = models.BooleanField(null=True)
    open_source = models.BooleanField(null=True)
    budget_class = models.CharField(
        max_length=12, blank=True, default="", choices=[(b.value, b.value) for b in BudgetClass]
    )
    #: Key of data/sources.yaml (examples only).
    source = models.CharField(max_length=60, blank=True, default="")
    #: The respondent agreed to publication in the catalogue.
    publish = models.BooleanField(default=False)
    #: The respondent agreed to be contacted by peers about this project (contact stays private).
    contact_opt_in = models.BooleanField(default=False)
    simulated = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["origin", "title", "key"]
        constraints = [
            models.CheckConstraint(condition=Q(domain__in=[d.value for d in Domain]), name="projects_domain_valid"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in Status]), name="projects_status_valid"),
            models.CheckConstraint(
                condition=~Q(origin=Origin.EXAMPLE.value) | ~Q(source=""), name="projects_example_has_source"
            ),
            models.CheckConstraint(
                condition=Q(origin=Origin.EXAMPLE.value) | Q(response__isnull=False),
                name="projects_declared_have_response",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def text(self, lang: str) -> tuple[str, str]:
        if lang == "en" and self.title_en:
            return self.title_en, self.summary_en
        return self.title, self.summary

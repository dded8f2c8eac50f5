"""Projects in the database: loading the curated examples, taking respondents' projects from their answers,
demo projects, filtering the public catalogue and finding similar projects."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from barometre.apps.editions.models import Answer, Edition, Response, ResponseStatus
from barometre.apps.projects.models import Project
from barometre.apps.registry.models import Authority
from barometre.core.errors import NotFound, ProjectError
from barometre.core.projects import catalogue
from barometre.core.projects.model import BudgetClass, Domain, Origin, Status
from barometre.core.projects.model import Project as CoreProject
from barometre.core.projects.similarity import Match, SimilarityIndex
from barometre.core.registry.search import normalize

#: The questionnaire's repeat group that holds an authority's projects.
PROJECTS_QUESTION = "projets"
#: Population classes used for "authorities of comparable size" and the catalogue's size filter.
SIZE_CLASSES: tuple[tuple[str, int, int | None], ...] = (
    ("moins_3500", 0, 3500),
    ("3500_20000", 3500, 20000),
    ("20000_100000", 20000, 100000),
    ("100000_plus", 100000, None),
)
PUBLIC_STATUSES = (ResponseStatus.SUBMITTED, ResponseStatus.VALIDATED)


def size_class(population: int) -> str:
    for code, low, high in SIZE_CLASSES:
        if population >= low and (high is None or population < high):
            return code
    return SIZE_CLASSES[-1][0]


@transaction.atomic
def load_examples() -> dict[str, int]:
    """Upsert the curated examples (idempotent); examples no longer in the file are removed."""
    examples = catalogue.examples()
    codes = {e.authority_code for e in examples}
    authorities = {a.code: a for a in Authority.objects.filter(code__in=codes)}
    missing = sorted(codes - set(authorities))
    if missing:
        raise ProjectError(
            f"collectivités absentes du registre : {', '.join(missing)}", location="data/project_examples.yaml"
        )
    created = updated = 0
    keys = []
    for e in examples:
        key = f"exemple-{e.key}"
        keys.append(key)
        _, was_created = Project.objects.update_or_create(
            key=key,
            defaults={
                "origin": Origin.EXAMPLE.value,
                "authority": authorities[e.authority_code],
                "title": e.title["fr"],
                "summary": e.summary["fr"],
                "title_en": e.title["en"],
                "summary_en": e.summary["en"],
                "domain": e.domain.value,
                "status": e.status.value,
                "source": e.source,
                "publish": True,
            },
        )
        created += was_created
        updated += not was_created
    removed, _ = Project.objects.filter(origin=Origin.EXAMPLE.value).exclude(key__in=keys).delete()
    return {"created": created, "updated": updated, "removed": removed}


def _bool(value: Any) -> bool | None:
    if value in ("oui", True):
        return True
    if value in ("non", False):
        return False
    return None


def _choice(enum_type: Any, value: Any, default: Any) -> Any:
    try:
        return enum_type(value)
    except ValueError:
        return default


@transaction.atomic
def sync_response(response: Response) -> int:
    """Replace the projects of ``response`` by those of its ``projets`` answer; returns how many it has."""
    Project.objects.filter(response=response).exclude(origin=Origin.SIMULATED.value).delete()
    answer = Answer.objects.filter(response=response, question_id=PROJECTS_QUESTION).first()
    entries = answer.value if answer is not None and isinstance(answer.value, list) else []
    count = 0
    for i, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not str(entry.get("titre") or "").strip():
            continue
        Project.objects.create(
            key=f"{response.edition.year}-{response.authority.code}-{i}".lower(),
            origin=Origin.RESPONDENT.value,
            authority=response.authority,
            edition=response.edition,
            response=response,
            title=str(entry["titre"]).strip()[:200],
            summary=str(entry.get("description") or "").strip()[:2000],
            domain=_choice(Domain, entry.get("domaine"), Domain.AUTRE).value,
            status=_choice(Status, entry.get("statut"), Status.EN_COURS).value,
            partners=str(entry.get("partenaires") or "").strip()[:300],
            shared=_bool(entry.get("partage")),
            open_source=_bool(entry.get("logiciel_libre")),
            budget_class=_choice(BudgetClass, entry.get("budget"), BudgetClass.NSP).value,
            publish=_bool(entry.get("publication")) is True,
            contact_opt_in=_bool(entry.get("contact")) is True,
            simulated=response.simulated,
        )
        count += 1
    return count


def sync_edition(edition: Edition) -> int:
    total = 0
    for response in Response.objects.filter(edition=edition, status__in=PUBLIC_STATUSES).select_related(
        "authority", "edition"
    ):
        total += sync_response(response)
    return total


#: Demo projects by domain: (title, summary) pairs in French and English, drawn for simulated respondents.
DEMO_TEMPLATES: dict[Domain, list[tuple[str, str, str, str]]] = {
    Domain.EAU: [
        (
            "Télérelève des compteurs d'eau et détection des fuites",
            "Compteurs communicants sur le réseau d'eau potable pour repérer les fuites et les surconsommations.",
            "Smart water meters and leak detection",
            "Smart meters on the drinking water network to find leaks and overconsumption.",
        ),
    ],
    Domain.ENERGIE: [
        (
            "Suivi des consommations d'énergie des bâtiments communaux",
            "Relevés automatiques de l'électricité et du chauffage des écoles et de la mairie pour réduire la facture.",
            "Monitoring the energy use of municipal buildings",
            "Automatic readings of electricity and heating in schools and the town hall to cut the bill.",
        ),
        (
            "Éclairage public piloté",
            "Extinction et gradation de l'éclairage public selon les horaires et la fréquentation.",
            "Smart street lighting",
            "Street lights dimmed or switched off according to time and use.",
        ),
    ],
    Domain.DECHETS: [
        (
            "Capteurs de remplissage des conteneurs",
            "Des sondes dans les points d'apport volontaire pour optimiser les tournées de collecte des déchets.",
            "Fill-level sensors in waste containers",
            "Probes in drop-off containers to plan waste collection rounds.",
        ),
    ],
    Domain.ADMINISTRATION: [
        (
            "Assistant d'IA pour la rédaction des courriers",
            "Un outil d'IA générative encadré par une charte aide les agents à rédiger courriers et comptes rendus.",
            "AI assistant for drafting letters",
            "A generative AI tool, under a charter, helps staff draft letters and minutes.",
        ),
    ],
    Domain.RELATION_USAGERS: [
        (
            "Portail citoyen et prise de rendez-vous en ligne",
            "Démarches en ligne et tableau de bord des demandes des habitants.",
            "Citizen portal and online appointments",
            "Online procedures and a dashboard of residents' requests.",
        ),
    ],
    Domain.MOBILITE: [
        (
            "Comptage des vélos et des piétons",
            "Capteurs de comptage pour adapter les aménagements cyclables.",
            "Counting bicycles and pedestrians",
            "Counters used to adapt cycling facilities.",
        ),
    ],
    Domain.URBANISME: [
        (
            "Système d'information géographique partagé",
            "Un SIG mutualisé avec l'intercommunalité pour le cadastre, les réseaux et l'urbanisme.",
            "Shared geographic information system",
            "A GIS pooled with the intercommunality for land registry, networks and planning.",
        ),
    ],
}


#: Probability that a simulated respondent declares a project, by size class.
DEMO_PROJECT_SHARE = {"moins_3500": 0.08, "3500_20000": 0.3, "20000_100000": 0.5, "100000_plus": 0.7}
#: Demo domains only larger authorities get (AI assistants, mobility sensors, a GIS of their own).
DEMO_LARGE_ONLY = frozenset({Domain.ADMINISTRATION, Domain.MOBILITE, Domain.URBANISME})


@transaction.atomic
def simulate_projects(edition: Edition, seed: int = 2025) -> int:
    """Demo projects ("données simulées") for some simulated respondents of ``edition``; idempotent.

    Plausible by size: a respondent declares a project with a probability that grows with its population
    (:data:`DEMO_PROJECT_SHARE`), and AI projects only from 3,500 inhabitants.
    """
    if not edition.simulated:
        raise ProjectError(f"l'édition {edition.year} n'est pas simulée : pas de projets simulés")
    Project.objects.filter(edition=edition, origin=Origin.SIMULATED.value).delete()
    rng = random.Random(seed)
    responses = list(
        Response.objects.filter(edition=edition, status__in=PUBLIC_STATUSES)
        .select_related("authority")
        .order_by("authority__code")
    )
    made = 0
    for response in responses:
        population = response.authority.population_municipale
        if rng.random() >= DEMO_PROJECT_SHARE[size_class(population)]:
            continue
        domains = sorted(d for d in DEMO_TEMPLATES if population >= 3500 or d not in DEMO_LARGE_ONLY)
        domain = domains[rng.randrange(len(domains))]
        title, summary, title_en, summary_en = DEMO_TEMPLATES[domain][rng.randrange(len(DEMO_TEMPLATES[domain]))]
        Project.objects.create(
            key=f"{edition.year}-{response.authority.code}-sim".lower(),
            origin=Origin.SIMULATED.value,
            authority=response.authority,
            edition=edition,
            response=response,
            title=title,
            summary=summary,
            title_en=title_en,
            summary_en=summary_en,
            domain=domain.value,
            status=rng.choice([Status.EN_COURS, Status.EXPERIMENTATION, Status.EN_SERVICE]).value,
            shared=rng.random() < 0.3,
            open_source=rng.random() < 0.2,
            budget_class=rng.choice(list(BudgetClass)).value,
            publish=rng.random() < 0.7,
            simulated=True,
        )
        made += 1
    return made


@dataclass(frozen=True)
class Filters:
    q: str = ""
    domain: str = ""
    status: str = ""
    kind: str = ""
    size: str = ""
    region: str = ""


def public_projects(filters: Filters | None = None) -> QuerySet[Project]:
    qs = (
        Project.objects.filter(Q(origin=Origin.EXAMPLE.value) | Q(publish=True, response__status__in=PUBLIC_STATUSES))
        .select_related("authority", "edition")
        .order_by("origin", "title", "key")
    )
    f = filters or Filters()
    if f.domain:
        qs = qs.filter(domain=f.domain)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(authority__kind=f.kind)
    if f.region:
        qs = qs.filter(authority__region=f.region)
    if f.size:
        bounds = {code: (low, high) for code, low, high in SIZE_CLASSES}.get(f.size)
        if bounds is not None:
            low, high = bounds
            qs = qs.filter(authority__population_municipale__gte=low)
            if high is not None:
                qs = qs.filter(authority__population_municipale__lt=high)
    if f.q.strip():
        for word in f.q.split()[:8]:
            qs = qs.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(title_en__icontains=word)
                | Q(authority__name_search__contains=normalize(word))
            )
    return qs


def get_public(key: str) -> Project:
    project = public_projects().filter(key=key).first()
    if project is None:
        raise NotFound(f"projet inconnu : {key}")
    return project


def core_project(p: Project, lang: str = "fr") -> CoreProject:
    title, summary = p.text(lang)
    return CoreProject(
        key=p.key,
        title=title,
        summary=summary,
        domain=Domain(p.domain),
        status=Status(p.status),
        authority_code=p.authority.code,
        origin=Origin(p.origin),
        source=p.source or None,
        edition=p.edition.year if p.edition else None,
    )


def _index(lang: str) -> tuple[SimilarityIndex, dict[str, Project]]:
    rows = list(public_projects())
    return SimilarityIndex([core_project(p, lang) for p in rows]), {p.key: p for p in rows}


def similar_to_text(text: str, *, limit: int = 10, lang: str = "fr") -> list[tuple[Project, Match]]:
    if not text.strip():
        raise ProjectError("texte vide : décrivez le projet en quelques mots")
    index, by_key = _index(lang)
    return [(by_key[m.project.key], m) for m in index.similar(text, limit=limit)]


def similar_to_authority(code: str, *, limit: int = 10, lang: str = "fr") -> list[tuple[Project, Match]]:
    """Projects of authorities of comparable size most similar to this authority's own projects."""
    authority = Authority.objects.filter(code=code).first()
    if authority is None:
        raise NotFound(f"collectivité inconnue : {code}")
    own = list(Project.objects.filter(authority=authority))
    if not own:
        raise ProjectError(f"{authority.name} n'a déclaré aucun projet : cherchez avec --text")
    index, by_key = _index(lang)
    size = size_class(authority.population_municipale)
    among = {
        k
        for k, p in by_key.items()
        if size_class(p.authority.population_municipale) == size and p.authority_id != authority.pk
    }
    text = " ".join(" ".join(p.text(lang)) for p in own)
    return [(by_key[m.project.key], m) for m in index.similar(text, limit=limit, among=among)]


def similar_to_project(project: Project, *, limit: int = 5, lang: str = "fr") -> list[tuple[Project, Match]]:
    index, by_key = _index(lang)
    title, summary = project.text(lang)
    others = {k for k, p in by_key.items() if p.authority_id != project.authority_id}
    return [(by_key[m.project.key], m) for m in index.similar(f"{title} {title} {summary}", limit=limit, among=others)]


def opsn_context(departement: str | None, lang: str = "fr") -> dict[str, Any]:
    """The public digital service operators serving ``departement`` (directory entries), and the federation
    to ask when the directory knows none — for the diagnostic pages."""
    from barometre.core.wording.numbers import format_source_date

    operators = catalogue.operators_for_departement(departement) if departement else []
    federation = catalogue.sources()["declic"]
    return {
        "operators": operators,
        "federation": {
            "title": federation.title[lang],
            "url": federation.url,
            "date": format_source_date(federation.date, lang),
        },
    }

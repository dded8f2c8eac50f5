"""Console pages (thin: each calls a service module and renders)."""

from __future__ import annotations

import csv
import math
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from barometre.apps.console import accounts, contacts, jobs, mailing, monitoring, setup
from barometre.apps.console.access import staff
from barometre.apps.console.models import Contact, Delivery, EmailTemplate, Job, JobKind, JobState, MessageKind
from barometre.apps.editions.models import Answer, AuditEntry, Edition, EditionState, Response
from barometre.apps.portal.access import client_ip
from barometre.core.errors import BarometreError

# --------------------------------------------------------------------------- sign-in


class ConsoleForm(forms.Form):
    """A console form whose fields are drawn as the design system's inputs (``fr-input``,
    ``fr-upload``): without the class a text field shows no box at all."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                continue  # drawn by the template as ``fr-select``
            css = "fr-upload" if isinstance(widget, forms.FileInput) else "fr-input"
            widget.attrs["class"] = " ".join(filter(None, [widget.attrs.get("class"), css]))


class SignInForm(ConsoleForm):
    email = forms.EmailField(label=gettext_lazy("Adresse e-mail"), max_length=254)
    password = forms.CharField(label=gettext_lazy("Mot de passe"), widget=forms.PasswordInput, max_length=200)
    code = forms.CharField(
        label=gettext_lazy("Code à usage unique (application d'authentification)"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("console:home")


@require_http_methods(["GET", "HEAD", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST":
        ip = client_ip(request)
        email = accounts.normalize_email(request.POST.get("email", ""))
        if accounts.signin_blocked(ip, email):
            response = render(
                request,
                "console/signin.html",
                {"form": form, "blocked": True, "next": _next(request), **_oidc()},
                status=429,
            )
            response["Retry-After"] = str(accounts.SIGNIN_WINDOW_SECONDS)
            return response
        user = None
        if form.is_valid():
            d = form.cleaned_data
            user = accounts.check_local_signin(d["email"], d["password"], d["code"])
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[accounts.VERIFIED_SESSION_KEY] = "totp"
            accounts.audit(request, "signin", reason="mot de passe + TOTP")
            return redirect(_next(request))
        accounts.record_failed_signin(ip, email)
        form.add_error(None, _("Adresse, mot de passe ou code incorrect."))
        status = 400
    return render(request, "console/signin.html", {"form": form, "next": _next(request), **_oidc()}, status=status)


def _oidc() -> dict[str, Any]:
    return {"oidc_enabled": bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))}


def signout(request: HttpRequest) -> HttpResponse:
    """POST signs out; anything else just leads to the sign-in page."""
    if request.method != "POST":
        return redirect_to_login(reverse("console:home"))
    if request.user.is_authenticated:
        accounts.audit(request, "signout")
    logout(request)
    return redirect("console:login")


# --------------------------------------------------------------------------- editions


def _edition(year: int) -> Edition:
    return get_object_or_404(Edition, year=year)


@staff()
def home(request: HttpRequest) -> HttpResponse:
    editions = Edition.objects.order_by("-year")
    return render(
        request, "console/home.html", {"editions": editions, "jobs": Job.objects.select_related("edition")[:10]}
    )


class EditionForm(ConsoleForm):
    year = forms.IntegerField(label=gettext_lazy("Année"), min_value=2000, max_value=2100)
    questionnaire = forms.IntegerField(label=gettext_lazy("Questionnaire (année)"), min_value=2000, max_value=2100)
    opens_on = forms.DateField(label=gettext_lazy("Ouverture (AAAA-MM-JJ)"), required=False)
    closes_on = forms.DateField(label=gettext_lazy("Clôture (AAAA-MM-JJ)"), required=False)
    organiser = forms.CharField(label=gettext_lazy("Organisateur"), max_length=200, required=False)
    help_email = forms.EmailField(label=gettext_lazy("E-mail d'aide"), required=False)
    help_phone = forms.CharField(label=gettext_lazy("Téléphone d'aide"), max_length=40, required=False)


@staff()
def edition_new(request: HttpRequest) -> HttpResponse:
    form = EditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            result = setup.create_or_update(
                d["year"],
                d["questionnaire"],
                opens_on=d["opens_on"],
                closes_on=d["closes_on"],
                organiser=d["organiser"],
                help_email=d["help_email"],
                help_phone=d["help_phone"],
                actor=accounts.actor_of(request),
            )
        except BarometreError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Édition %(year)s enregistrée.") % {"year": result.edition.year})
            return redirect("console:edition", year=result.edition.year)
    return render(request, "console/edition_new.html", {"form": form})


ACTIONS: list[tuple[str, Any]] = [
    (JobKind.OPEN, _("Ouvrir la collecte")),
    (JobKind.CLOSE, _("Clore la collecte")),
    (JobKind.WEIGHT, _("Pondérer")),
    (JobKind.COMPUTE, _("Calculer les indicateurs")),
    (JobKind.COMPARE, _("Comparer aux valeurs publiées")),
    (JobKind.PUBLISH, _("Publier")),
    (JobKind.NOTE, _("Construire la note")),
]


def _offered(kind: str, state: str) -> bool:
    """Whether the edition page offers action ``kind`` in edition state ``state``."""
    if kind == JobKind.OPEN:
        return state in (EditionState.DRAFT, EditionState.CLOSED)
    if kind == JobKind.CLOSE:
        return state == EditionState.OPEN
    if kind == JobKind.NOTE:
        return state == EditionState.PUBLISHED
    return state != EditionState.DRAFT


@staff()
def edition(request: HttpRequest, year: int) -> HttpResponse:
    ed = _edition(year)
    initial = setup.describe(ed) | {"year": ed.year}
    form = EditionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            setup.create_or_update(
                ed.year,
                d["questionnaire"],
                opens_on=d["opens_on"],
                closes_on=d["closes_on"],
                organiser=d["organiser"],
                help_email=d["help_email"],
                help_phone=d["help_phone"],
                actor=accounts.actor_of(request),
            )
        except BarometreError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Paramètres enregistrés."))
            return redirect("console:edition", year=ed.year)
    return _edition_page(request, ed, form)


def _edition_page(
    request: HttpRequest,
    ed: Edition,
    form: EditionForm,
    weighting: dict[str, str] | None = None,
    weighting_error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The edition page; ``weighting``: the weighting options to show (default: those of the
    stored weights, offered again), with the error that refused them."""
    from barometre.core.weighting.pipeline import chosen_regions

    counts = {s: ed.responses.filter(status=s).count() for s in ("invited", "started", "submitted", "validated")}
    if weighting is None:
        report = ed.weighting_report or {}
        regions = chosen_regions((report.get("calibration") or {}).get("region_groups") or {})
        weighting = {
            "collapse": ", ".join(f"{a}={b}" for a, b in (report.get("collapse") or {}).items()),
            "region_groups": ", ".join(f"{a}={b}" for a, b in regions.items()),
        }
    return render(
        request,
        "console/edition.html",
        {
            "edition": ed,
            "form": form,
            "actions": [(k, label) for k, label in ACTIONS if _offered(k, ed.state)],
            "counts": counts,
            "weighting": weighting,
            "weighting_error": weighting_error,
            "contacts": Contact.objects.filter(edition=ed).count(),
            "sample_size": ed.sample.count(),
            "jobs": Job.objects.filter(edition=ed)[:10],
            "failures": Delivery.objects.filter(response__edition=ed, ok=False).count(),
        },
        status=status,
    )


@staff()
@require_POST
def action(request: HttpRequest, year: int, kind: str) -> HttpResponse:
    ed = _edition(year)
    if kind not in JobKind.values:
        raise Http404
    params: dict[str, Any] = {}
    if kind == JobKind.REMIND and request.POST.get("stratum"):
        params["stratum"] = request.POST["stratum"][:40]
    if request.POST.get("reason"):
        params["reason"] = request.POST["reason"][:500]
    if kind == JobKind.WEIGHT:
        try:
            params |= _weighting_params(request)
        except BarometreError as exc:  # the page again, with what was typed and what is wrong with it
            typed = {k: request.POST.get(k, "")[:500] for k in ("collapse", "region_groups")}
            form = EditionForm(initial=setup.describe(ed) | {"year": ed.year})
            return _edition_page(request, ed, form, typed, str(exc), status=400)
    job = jobs.start(kind, ed, actor=accounts.actor_of(request), params=params)
    return redirect("console:job", pk=job.pk)


def _weighting_params(request: HttpRequest) -> dict[str, Any]:
    """The weighting options of the form (strata merged, régions grouped), checked against the frame
    before anything is queued."""
    from barometre.apps.editions.pipeline import cached_frame
    from barometre.core.weighting.pipeline import FrameMargins, check_options, chosen_options, parse_pairs

    collapse = parse_pairs([request.POST.get("collapse", "")[:500]], _("Strates fusionnées"))
    regions = parse_pairs([request.POST.get("region_groups", "")[:500]], _("Régions regroupées"))
    options = chosen_options(collapse, regions)
    if options is None:
        return {}
    check_options(options, FrameMargins.from_frame(cached_frame()))
    return {"collapse": collapse, "region_groups": regions}


@staff()
def job(request: HttpRequest, pk: int) -> HttpResponse:
    j = get_object_or_404(Job.objects.select_related("edition"), pk=pk)
    running = j.state in (JobState.QUEUED, JobState.RUNNING)
    return render(request, "console/job.html", {"job": j, "running": running})


@staff()
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    j = get_object_or_404(Job, pk=pk)
    return JsonResponse(
        {
            "state": j.state,
            "state_label": str(j.get_state_display()),
            "progress": j.progress,
            "log": j.log,
            "running": j.state in (JobState.QUEUED, JobState.RUNNING),
        }
    )


# --------------------------------------------------------------------------- sample


class SampleForm(ConsoleForm):
    design = forms.ChoiceField(
        label=gettext_lazy("Allocation"),
        choices=[
            ("proportional", gettext_lazy("proportionnelle")),
            ("neyman", gettext_lazy("Neyman")),
            ("census", gettext_lazy("recensement")),
        ],
    )
    size = forms.IntegerField(
        label=gettext_lazy("Taille de l'échantillon"), min_value=10, max_value=40000, initial=3000
    )
    seed = forms.IntegerField(label=gettext_lazy("Graine"), min_value=0, initial=0)
    expected_rate = forms.IntegerField(
        label=gettext_lazy("Taux de réponse attendu (%)"), min_value=1, max_value=100, initial=40
    )


def _preview(design: str, size: int, seed: int, rate: int) -> list[dict[str, Any]]:
    from barometre.core.registry import load_snapshot
    from barometre.core.sampling import draw_sample

    sample = draw_sample(load_snapshot(), size=size, allocation=design, seed=seed)  # type: ignore[arg-type]
    rows = []
    for a in sample.allocation:
        respondents = a.sample * rate / 100
        if respondents >= 1 and a.population > 1:
            fpc = max(0.0, 1 - respondents / a.population)
            moe = 100 * 1.96 * math.sqrt(0.25 / respondents * fpc)  # percentage points
        else:
            moe = None
        rows.append(
            {
                "stratum": a.stratum,
                "population": a.population,
                "sample": a.sample,
                "certainty": a.certainty,
                "respondents": round(respondents),
                "moe": moe,
            }
        )
    return rows


@staff()
def sample(request: HttpRequest, year: int) -> HttpResponse:
    from barometre.apps.editions import pipeline

    ed = _edition(year)
    data = request.POST if request.method == "POST" else (request.GET if "size" in request.GET else None)
    form = SampleForm(data, initial={"design": "proportional", "size": 3000, "seed": 0, "expected_rate": 40})
    preview = None
    if data is not None and form.is_valid():
        d = form.cleaned_data
        if request.method == "POST":
            try:
                summary = pipeline.draw_and_store_sample(year, size=d["size"], allocation=d["design"], seed=d["seed"])
            except BarometreError as exc:
                form.add_error(None, str(exc))
            else:
                accounts.audit(
                    request, "sample_draw", edition=ed, reason=f"{d['design']}, n={summary['size']}, graine {d['seed']}"
                )
                messages.success(request, _("Échantillon tiré : %(n)s collectivités.") % {"n": summary["size"]})
                return redirect("console:edition", year=year)
        else:
            try:
                preview = _preview(d["design"], d["size"], d["seed"], d["expected_rate"])
            except BarometreError as exc:
                form.add_error(None, str(exc))
    return render(request, "console/sample.html", {"edition": ed, "form": form, "preview": preview})


# --------------------------------------------------------------------------- contacts, e-mails


class ContactsForm(ConsoleForm):
    file = forms.FileField(label=gettext_lazy("Fichier CSV (authority,email,name,role)"))


@staff()
def contacts_page(request: HttpRequest, year: int) -> HttpResponse:
    ed = _edition(year)
    form = ContactsForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = upload.read().decode("utf-8")
            summary = contacts.import_contacts(ed, text, source=upload.name)
        except UnicodeDecodeError:
            errors = [f"{upload.name}:1:1: " + _("encodage non UTF-8")]
        except contacts.ContactsInvalid as exc:
            errors = exc.errors
        else:
            accounts.audit(request, "contacts_import", edition=ed, reason=f"{upload.name} : {summary.rows} lignes")
            messages.success(
                request,
                _("%(rows)s contacts importés (%(created)s nouveaux, %(updated)s modifiés).")
                % {"rows": summary.rows, "created": summary.created, "updated": summary.updated},
            )
            return redirect("console:contacts", year=year)
    shown = Contact.objects.filter(edition=ed).select_related("authority")[:200]
    return render(
        request,
        "console/contacts.html",
        {
            "edition": ed,
            "form": form,
            "errors": errors,
            "contacts": shown,
            "total": Contact.objects.filter(edition=ed).count(),
            "deliveries": Delivery.objects.filter(response__edition=ed)
            .select_related("contact", "response__authority")
            .order_by("ok", "-at")[:100],
        },
    )


@staff()
@require_POST
def send(request: HttpRequest, year: int) -> HttpResponse:
    ed = _edition(year)
    kind = JobKind.REMIND if request.POST.get("reminder") else JobKind.SEND
    params = {"stratum": request.POST.get("stratum", "")[:40]} if request.POST.get("stratum") else {}
    j = jobs.start(kind, ed, actor=accounts.actor_of(request), params=params)
    return redirect("console:job", pk=j.pk)


@staff()
@require_POST
def schedule(request: HttpRequest, year: int) -> HttpResponse:
    ed = _edition(year)
    try:
        made = jobs.schedule_reminders(ed, actor=accounts.actor_of(request))
    except BarometreError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(n)s relance(s) programmée(s).") % {"n": len(made)})
    return redirect("console:edition", year=year)


class TemplateForm(ConsoleForm):
    subject = forms.CharField(label=gettext_lazy("Objet"), max_length=200)
    body = forms.CharField(label=gettext_lazy("Texte"), widget=forms.Textarea(attrs={"rows": 16}))


@staff()
def templates_page(request: HttpRequest, kind: str, lang: str) -> HttpResponse:
    if kind not in MessageKind.values or lang not in ("fr", "en"):
        raise Http404
    subject, body = mailing.template_for(kind, lang)
    form = TemplateForm(request.POST or None, initial={"subject": subject, "body": body})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            mailing.check_template(d["subject"], d["body"])
        except BarometreError as exc:
            form.add_error("body", str(exc))
        else:
            EmailTemplate.objects.update_or_create(
                kind=kind,
                lang=lang,
                defaults={"subject": d["subject"], "body": d["body"], "updated_by": accounts.actor_of(request)},
            )
            accounts.audit(request, "email_template", reason=f"{kind}/{lang}")
            messages.success(request, _("Modèle enregistré."))
            return redirect("console:templates", kind=kind, lang=lang)
    variants = [(k, lg) for k in MessageKind.values for lg in ("fr", "en")]
    return render(request, "console/templates.html", {"form": form, "kind": kind, "lang": lang, "variants": variants})


# --------------------------------------------------------------------------- monitoring


@staff()
def monitor(request: HttpRequest, year: int) -> HttpResponse:
    ed = _edition(year)
    data = monitoring.monitor(ed)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="suivi-{year}.csv"'
        writer = csv.writer(response)
        cols = ["level", "key", *monitoring.COLUMNS, "under_represented"]
        writer.writerow(cols)
        for level, key in (("stratum", "stratum"), ("region", "region")):
            for row in data["strata" if level == "stratum" else "regions"]:
                writer.writerow([level, row[key], *["" if row[c] is None else row[c] for c in cols[2:]]])
        if ed.simulated:
            writer.writerow(["# données simulées"])
        return response
    return render(request, "console/monitor.html", {"edition": ed, "data": data})


# --------------------------------------------------------------------------- responses


@staff()
def responses(request: HttpRequest, year: int) -> HttpResponse:
    ed = _edition(year)
    qs = ed.responses.select_related("authority").order_by("authority__code")
    status = request.GET.get("status", "")
    if status:
        qs = qs.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(authority__code__startswith=query) | qs.filter(authority__name__icontains=query)
    return render(
        request,
        "console/responses.html",
        {"edition": ed, "responses": qs[:200], "total": qs.count(), "status": status, "q": query},
    )


@staff()
def response_detail(request: HttpRequest, year: int, code: str) -> HttpResponse:
    from barometre.apps.editions.sources import questionnaire_for
    from barometre.apps.portal import services

    ed = _edition(year)
    resp = get_object_or_404(Response.objects.select_related("authority"), edition=ed, authority__code=code)
    if request.method == "POST":
        reason = request.POST.get("reason", "").strip()
        try:
            services.reopen(year, code, reason=reason, actor=accounts.actor_of(request))
        except BarometreError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Réponse rouverte."))
        return redirect("console:response", year=year, code=code)
    qn = questionnaire_for(ed)
    stored = {a.question_id: a for a in Answer.objects.filter(response=resp)}
    rows = []
    lang = "en" if request.LANGUAGE_CODE == "en" else "fr"
    for section in qn.sections:
        for q in section.questions:
            if q.id in stored:
                rows.append(
                    {
                        "section": section.title.get(lang) if hasattr(section.title, "get") else str(section.title),
                        "question": q.id,
                        "value": stored[q.id].value,
                        "updated_at": stored[q.id].updated_at,
                    }
                )
    history = AuditEntry.objects.filter(response=resp).order_by("-at")
    return render(
        request, "console/response.html", {"edition": ed, "response": resp, "answers": rows, "history": history}
    )


# --------------------------------------------------------------------------- audit, accounts


@staff()
def audit_log(request: HttpRequest) -> HttpResponse:
    qs = AuditEntry.objects.select_related("edition", "response__authority").order_by("-at", "-pk")
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="journal.csv"'
        writer = csv.writer(response)
        writer.writerow(["at", "actor", "action", "edition", "authority", "reason"])
        for e in qs.iterator():
            writer.writerow(
                [
                    e.at.isoformat(),
                    e.actor,
                    e.action,
                    e.edition.year if e.edition else "",
                    e.response.authority.code if e.response else "",
                    e.reason,
                ]
            )
        return response
    return render(request, "console/audit.html", {"entries": qs[:300]})


@staff(admin=True)
def users(request: HttpRequest) -> HttpResponse:
    return render(request, "console/users.html", {"users": accounts.list_users()})


@staff()
def guide(request: HttpRequest) -> HttpResponse:
    from barometre.core.paths import PROJECT_ROOT

    name = "analyst-guide.md" if request.LANGUAGE_CODE == "en" else "guide-analystes.md"
    path = PROJECT_ROOT / "docs" / name
    if not path.exists():
        raise Http404
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(path.read_text(encoding="utf-8"))  # our own file, not user input
    return render(request, "console/guide.html", {"html": html})

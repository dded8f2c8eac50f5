"""Respondent portal pages. Thin: every decision is in :mod:`.services`.

Every view receives the invitation resolved from the token of the URL
(:func:`.access.with_invitation`) and reaches data only through it.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from barometre.apps.editions.models import Response
from barometre.apps.editions.sources import questionnaire_for
from barometre.apps.i18n import active_lang
from barometre.apps.portal import display, landing, mail, prefill, privacy, services
from barometre.apps.portal.access import with_invitation
from barometre.apps.portal.models import Invitation
from barometre.core.questionnaire import Questionnaire, Section, relevance, validate_answers
from barometre.web.input import refusal

#: Longest label of a delegation (``Invitation.label``).
LABEL_MAX_LENGTH = Invitation._meta.get_field("label").max_length or 120


def _actor(request: HttpRequest) -> str:
    return str(request.session.get(services.SESSION_NAME_KEY, ""))


def _url(name: str, token: str, **kwargs: Any) -> str:
    return reverse(f"portal:{name}", kwargs={"token": token, **kwargs})


def _context(request: HttpRequest, inv: Invitation, qn: Questionnaire, **extra: Any) -> dict[str, Any]:
    response: Response = inv.response
    token: str = request.portal_token  # type: ignore[attr-defined]
    return {
        "invitation": inv,
        "is_main": inv.is_main,
        "response": response,
        "authority": response.authority,
        "edition": response.edition,
        "editable": services.is_editable(response),
        "submitted": response.status in services.SUBMITTED_STATUSES,
        "reopened_at": services.reopened_at(response),
        "qn_title": _title(qn, response),
        "respondent_name": _actor(request),
        "urls": {
            "home": _url("home", token),
            "autosave": _url("autosave", token),
            "summary": _url("summary", token),
            "submit": _url("submit", token),
            "receipt": _url("receipt", token),
            "results": _url("results", token),
            "diagnostic": _url("diagnostic", token),
            "delegations": _url("delegations", token),
        },
        **extra,
    }


def _title(qn: Questionnaire, response: Response) -> str:
    """The questionnaire's title, with the edition's year when it reuses an earlier questionnaire."""
    title = qn.title.get(active_lang())
    if qn.edition != response.edition.year:
        title = title.replace(str(qn.edition), str(response.edition.year))
    return title


def _load(inv: Invitation) -> Questionnaire:
    """The questionnaire of the link's edition (``Invitation.resolve`` loaded the response,
    its edition and its authority)."""
    return questionnaire_for(inv.response.edition)


def _sections(inv: Invitation, qn: Questionnaire, rel: dict[str, bool]) -> list[Section]:
    """Sections this link may see, among those relevant given the answers."""
    return [s for s in services.allowed_sections(inv, qn) if services.section_is_relevant(s, rel)]


def _main_only(inv: Invitation) -> None:
    if not inv.is_main:
        raise Http404()


def _progress_rows(inv: Invitation, qn: Questionnaire, answers: dict[str, object], token: str) -> list[dict[str, Any]]:
    allowed = {s.id for s in services.allowed_sections(inv, qn)}
    lang = active_lang()
    return [
        {
            "id": p.section.id,
            "title": p.section.title.get(lang),
            "relevant": p.relevant,
            "visible": p.visible,
            "answered": p.answered,
            "missing_required": p.missing_required,
            "complete": p.complete,
            "url": _url("section", token, section_id=p.section.id),
        }
        for p in services.progress(qn, answers)
        if p.section.id in allowed and p.relevant
    ]


@require_http_methods(["GET", "POST"])
@with_invitation
def home(request: HttpRequest, inv: Invitation) -> HttpResponse:
    """First page: who runs the survey and the privacy notice, optional name, progress."""
    qn = _load(inv)
    token: str = request.portal_token  # type: ignore[attr-defined]
    if request.method == "POST":
        name = " ".join(request.POST.get("name", "").split())
        if len(name) > services.NAME_MAX_LENGTH:
            message = _("Le nom ne doit pas dépasser %(max)s caractères.") % {"max": services.NAME_MAX_LENGTH}
            return refusal(request, message, "name")
        if name:
            request.session[services.SESSION_NAME_KEY] = name
        else:
            request.session.pop(services.SESSION_NAME_KEY, None)
        return redirect(_url("home", token))
    answers = services.stored_answers(inv.response)
    rel = relevance(qn, answers)
    sections = _sections(inv, qn, rel) or services.allowed_sections(inv, qn)
    resume = services.resume_section(qn, answers, sections)
    lang = active_lang()
    delegated = _delegation_rows(inv, qn, answers, lang) if inv.is_main else []
    by_section: dict[str, list[str]] = {}
    for d in delegated:
        if d["complete"]:
            by_section.setdefault(d["section_id"], []).append(d["label"] or _("un collègue"))
    progress = _progress_rows(inv, qn, answers, token)
    for p in progress:
        p["completed_by"] = by_section.get(p["id"], [])
    return render(
        request,
        "portal/home.html",
        _context(
            request,
            inv,
            qn,
            progress=progress,
            started=bool(answers),
            all_complete=resume is None,
            resume_url=(
                _url("summary", token)
                if resume is None and inv.is_main
                else _url("section", token, section_id=(resume or sections[0]).id)
            ),
            delegated_section=(qn.section(inv.section).title.get(lang) if not inv.is_main else ""),
            delegated=delegated,
            survey=landing.survey(inv.response.edition, qn, inv.expires_at),
            privacy=privacy.notice(lang, inv.response.edition),
        ),
    )


def _valid_email(value: str) -> bool:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    try:
        validate_email(value)
    except ValidationError:
        return False
    return len(value) <= 254


def _delegation_rows(inv: Invitation, qn: Questionnaire, answers: dict[str, object], lang: str) -> list[dict[str, Any]]:
    """The main link's delegations, with the progress of their section (who completed what)."""
    progress = {p.section.id: p for p in services.progress(qn, answers)}
    known = {s.id for s in qn.sections}
    rows = []
    for d in services.delegations(inv):
        p = progress.get(d.section)
        rows.append(
            {
                "id": d.pk,
                "label": d.label,
                "section_id": d.section,
                "section": qn.section(d.section).title.get(lang) if d.section in known else d.section,
                "answered": p.answered if p else 0,
                "visible": p.visible if p else 0,
                "complete": bool(p and p.complete),
                "created_at": d.created_at,
                "last_change": services.last_change(inv.response, qn, d.section),
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@with_invitation
def section(request: HttpRequest, inv: Invitation, section_id: str) -> HttpResponse:
    """One section of the form. Without JavaScript its submit saves and re-renders."""
    qn = _load(inv)
    token: str = request.portal_token  # type: ignore[attr-defined]
    allowed = {s.id: s for s in services.allowed_sections(inv, qn)}
    current = allowed.get(section_id)
    if current is None:
        raise Http404()
    if not services.is_editable(inv.response):
        return redirect(_url("summary" if inv.is_main else "home", token))
    errors: dict[str, Any] = {}
    conflicts: dict[str, services.Conflict] = {}
    raw = None
    if request.method == "POST":
        try:
            result = services.save_section(inv.response, qn, current.id, request.POST, actor=_actor(request))
        except services.ReadOnly:
            return redirect(_url("summary" if inv.is_main else "home", token))
        answers = result.answers
        rel = result.relevant
        errors = result.errors
        conflicts = result.conflicts
        raw = request.POST
        if not errors and not conflicts and request.POST.get("action") == "next":
            # The next section still incomplete (wrapping round), not merely the next one.
            following = services.next_incomplete(qn, answers, _sections(inv, qn, rel), current)
            if following is not None:
                return redirect(_url("section", token, section_id=following.id))
            return redirect(_url("summary" if inv.is_main else "home", token))
    else:
        answers = services.stored_answers(inv.response)
        rel = relevance(qn, answers)
    visible_sections = _sections(inv, qn, rel)
    if current not in visible_sections:
        # Skip logic hides this whole section: go on to the next one.
        following = _next_section(inv, qn, rel, current)
        if following is not None:
            return redirect(_url("section", token, section_id=following.id))
        return redirect(_url("summary" if inv.is_main else "home", token))
    number = visible_sections.index(current) + 1
    following_section = services.next_incomplete(qn, answers, visible_sections, current)
    previous = visible_sections[number - 2] if number > 1 else None
    lang = active_lang()
    versions = services.section_versions(qn, current.id, answers)
    # A conflict shows the value sent in the field (sending it again replaces the stored one)
    # and the stored value in its message: neither is lost.
    shown = {k: v for k, v in {**answers, **{qid: c.mine for qid, c in conflicts.items()}}.items() if v is not None}
    authority = inv.response.authority
    section_ids = {q.id for q in current.questions}
    # Registry values fill the questions not answered yet (stored once the respondent saves).
    prefilled = {
        qid: p
        for qid, p in prefill.registry_values(authority, qn).items()
        if qid in section_ids and qid not in shown and qid not in errors and services.is_editable(inv.response)
    }
    shown.update({qid: p["value"] for qid, p in prefilled.items()})
    fields = display.build_fields(qn, current, shown, rel, errors, lang, raw)
    warnings = prefill.warnings(answers, authority, lang)
    conflict_list = []
    for f in fields:
        f["prefill_source"] = prefilled.get(f["id"], {}).get("source", "")
        f["warnings"] = warnings.get(f["id"], [])
        f["version_name"] = services.version_field(f["id"])
        f["version"] = versions[f["id"]]
        c = conflicts.get(f["id"])
        if c is not None:
            q = qn.question(c.question_id)
            theirs = display.format_answer(q, c.theirs, lang) or _("(pas de réponse)")
            mine = display.format_answer(q, c.mine, lang) or _("(pas de réponse)")
            f["errors"].append(
                _("Modifiée entre-temps ailleurs : valeur enregistrée « %(theirs)s ».") % {"theirs": theirs}
            )
            conflict_list.append({"dom_id": f["dom_id"], "label": f["label"], "mine": mine, "theirs": theirs})
    error_list = [{"dom_id": f["dom_id"], "label": f["label"], "message": m} for f in fields for m in f["errors"]]
    return render(
        request,
        "portal/section.html",
        _context(
            request,
            inv,
            qn,
            section=current,
            section_title=current.title.get(lang),
            section_description=current.description.get(lang) if current.description else "",
            fields=fields,
            error_list=error_list,
            conflict_list=conflict_list,
            number=number,
            total=len(visible_sections),
            next_title=(following_section.title.get(lang) if following_section else ""),
            previous_url=_url("section", token, section_id=previous.id) if previous else "",
            action_url=_url("section", token, section_id=current.id),
            registry_context=(
                prefill.registry_context(authority) if section_ids & {"population", "type_collectivite"} else []
            ),
        ),
        status=409 if conflicts else 422 if errors else 200,
    )


def _next_section(inv: Invitation, qn: Questionnaire, rel: dict[str, bool], current: Section) -> Section | None:
    allowed = services.allowed_sections(inv, qn)
    after = allowed[allowed.index(current) + 1 :]
    for s in after:
        if services.section_is_relevant(s, rel):
            return s
    return None


@require_POST
@with_invitation
def autosave(request: HttpRequest, inv: Invitation) -> HttpResponse:
    """Save one question (``changed``) or a whole section; answer what is visible now (JSON)."""
    qn = _load(inv)
    allowed = {s.id: s for s in services.allowed_sections(inv, qn)}
    current = allowed.get(request.POST.get("section", ""))
    if current is None:
        raise Http404()
    changed = request.POST.get("changed") or None
    if changed is not None and changed not in {q.id for q in current.questions}:
        return JsonResponse({"ok": False, "error": _("Question inconnue.")}, status=400)
    try:
        result = services.save_section(inv.response, qn, current.id, request.POST, only=changed, actor=_actor(request))
    except services.ReadOnly:
        return JsonResponse({"ok": False, "error": _("Cette réponse ne peut plus être modifiée.")}, status=409)
    lang = active_lang()
    section_ids = [q.id for q in current.questions if not services.is_calculated(q)]
    conflicts = {}
    for qid, c in result.conflicts.items():
        q = qn.question(qid)
        conflicts[qid] = {
            "mine": display.format_answer(q, c.mine, lang),
            "theirs": display.format_answer(q, c.theirs, lang),
            "version": c.version,
        }
    if result.conflicts:
        first = next(iter(conflicts.values()))
        message = _(
            "Réponse non enregistrée : elle a été modifiée entre-temps ailleurs (valeur enregistrée « %(theirs)s »). "
            "Modifiez-la de nouveau pour la remplacer par la vôtre."
        ) % {"theirs": first["theirs"] or _("(pas de réponse)")}
        status = 409
    elif not result.ok:
        message = _("Réponse non enregistrée : corrigez la valeur signalée.")
        status = 422
    elif result.ignored:
        message = _("Réponse non enregistrée : cette question ne s’applique pas d’après vos autres réponses.")
        status = 422
    else:
        # One time format per language (``TIME_FORMAT``: 15:57, 3:57 p.m.), never followed by a full stop.
        message = _("Réponse enregistrée à %(time)s") % {"time": time_format(timezone.localtime(), "TIME_FORMAT")}
        status = 200
    return JsonResponse(
        {
            "ok": status == 200,
            "saved": result.saved,
            "removed": result.removed,
            "ignored": result.ignored,
            "errors": {qid: [e.message(lang) for e in errs] for qid, errs in result.errors.items()},
            "conflicts": conflicts,
            "visible": {qid: bool(v) for qid, v in result.relevant.items() if qid in section_ids},
            "warnings": {
                qid: msgs
                for qid, msgs in prefill.warnings(result.answers, inv.response.authority, lang).items()
                if qid in section_ids
            },
            "versions": result.versions(section_ids),
            "message": message,
        },
        status=status,
    )


def _summary_context(
    request: HttpRequest, inv: Invitation, qn: Questionnaire, errors: dict[str, Any]
) -> dict[str, Any]:
    token: str = request.portal_token  # type: ignore[attr-defined]
    answers = services.stored_answers(inv.response)
    rel = relevance(qn, answers)
    lang = active_lang()
    sections = display.summary_sections(qn, _sections(inv, qn, rel), answers, rel, errors, lang)
    missing_list = []
    for s in sections:
        s["url"] = _url("section", token, section_id=s["id"])
        s["missing"] = sum(1 for r in s["rows"] if r["errors"])
        for r in s["rows"]:
            if r["errors"]:
                missing_list.append(
                    {
                        "url": f"{s['url']}#{r['dom_id']}-block",
                        "label": r["label"],
                        "section": s["title"],
                        "message": r["errors"][0],
                    }
                )
    return _context(
        request,
        inv,
        qn,
        sections=sections,
        missing=len(missing_list),
        missing_list=missing_list,
        just_submitted=request.GET.get("envoye") == "1",
        reference=services.receipt_reference(inv.response),
    )


@require_http_methods(["GET"])
@with_invitation
def summary(request: HttpRequest, inv: Invitation) -> HttpResponse:
    """Every answer, with a link to change it; the way to submission."""
    _main_only(inv)
    qn = _load(inv)
    answers = services.stored_answers(inv.response)
    errors = validate_answers(qn, answers).errors if services.is_editable(inv.response) else {}
    return render(request, "portal/summary.html", _summary_context(request, inv, qn, errors))


@require_http_methods(["GET", "POST"])
@with_invitation
def submit(request: HttpRequest, inv: Invitation) -> HttpResponse:
    """Explicit, confirmed and atomic submission (main link only)."""
    _main_only(inv)
    qn = _load(inv)
    token: str = request.portal_token  # type: ignore[attr-defined]
    if not services.is_editable(inv.response):
        return redirect(_url("summary", token))
    confirm_error = ""
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            confirm_error = _("Cochez la case pour confirmer l’envoi.")
        else:
            try:
                errors = services.submit(inv.response, qn)
            except services.ReadOnly:
                return redirect(_url("summary", token))
            if not errors:
                mail.send_receipt_later(inv.response)
                return redirect(_url("summary", token) + "?envoye=1")
            return render(request, "portal/summary.html", _summary_context(request, inv, qn, errors), status=422)
    answers = services.stored_answers(inv.response)
    errors = validate_answers(qn, answers).errors
    if errors:
        return render(request, "portal/summary.html", _summary_context(request, inv, qn, errors), status=422)
    return render(
        request,
        "portal/submit.html",
        _context(request, inv, qn, confirm_error=confirm_error),
        status=422 if confirm_error else 200,
    )


@require_http_methods(["GET"])
@with_invitation
def receipt(request: HttpRequest, inv: Invitation) -> HttpResponse:
    """PDF receipt of the submitted answers."""
    _main_only(inv)
    qn = _load(inv)
    if inv.response.status not in services.SUBMITTED_STATUSES:
        raise Http404()
    answers = services.stored_answers(inv.response)
    rel = relevance(qn, answers)
    lang = active_lang()
    context = {
        "authority": inv.response.authority,
        "edition": inv.response.edition,
        "response": inv.response,
        "qn_title": _title(qn, inv.response),
        "sections": display.summary_sections(qn, _sections(inv, qn, rel), answers, rel, {}, lang),
        "generated_at": timezone.now(),
        "reference": services.receipt_reference(inv.response),
    }
    html = render_to_string("portal/receipt.html", context, request=request)
    from weasyprint import HTML

    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"barometre-{inv.response.edition.year}-{inv.response.authority.code}-accuse.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET"])
@with_invitation
def results(request: HttpRequest, inv: Invitation) -> HttpResponse:
    """First results after submission: five headline indicators against the stratum."""
    _main_only(inv)
    qn = _load(inv)
    if inv.response.status not in services.SUBMITTED_STATUSES:
        return redirect(_url("summary", request.portal_token))  # type: ignore[attr-defined]
    # Imported here: the indicator catalogue pulls in the statistics stack (slow to import).
    from barometre.apps.portal.results import headline_rows

    answers = services.stored_answers(inv.response)
    edition, rows = headline_rows(inv.response, answers, active_lang())
    return render(
        request,
        "portal/results.html",
        _context(request, inv, qn, estimates_edition=edition, rows=rows, stratum=inv.response.authority.stratum_label),
    )


@require_http_methods(["GET", "POST"])
@with_invitation
def delegations(request: HttpRequest, inv: Invitation) -> HttpResponse:
    """Hand one section to a colleague with a sub-link; list and revoke sub-links."""
    _main_only(inv)
    qn = _load(inv)
    lang = active_lang()
    new_link = ""
    new_section = ""
    sent_to = ""
    form_error = ""
    if request.method == "POST":
        if not services.is_editable(inv.response):
            form_error = _("Cette réponse ne peut plus être modifiée.")
        else:
            section_id = request.POST.get("section", "")
            label = " ".join(request.POST.get("label", "").split())
            email = request.POST.get("email", "").strip()
            if section_id not in {s.id for s in qn.sections}:
                form_error = _("Choisissez une section.")
            elif len(label) > LABEL_MAX_LENGTH:
                return refusal(
                    request,
                    _("Le libellé ne doit pas dépasser %(max)s caractères.") % {"max": LABEL_MAX_LENGTH},
                    "label",
                )
            elif email and not _valid_email(email):
                form_error = _("Saisissez une adresse e-mail valide, ou laissez le champ vide pour copier le lien.")
            elif email and mail.enabled():
                # The link is created by the background job and exists only in the message.
                mail.send_delegation_later(inv, section_id, label, email, _actor(request))
                sent_to = email
                new_section = qn.section(section_id).title.get(lang)
            else:
                _d, sub_token = services.delegate(inv, section_id, label)
                new_link = request.build_absolute_uri(reverse("portal:home", kwargs={"token": sub_token}))
                new_section = qn.section(section_id).title.get(lang)
    rows = _delegation_rows(inv, qn, services.stored_answers(inv.response), lang)
    for r in rows:
        r["revoke_url"] = _url("revoke_delegation", request.portal_token, delegation_id=r["id"])  # type: ignore[attr-defined]
    return render(
        request,
        "portal/delegations.html",
        _context(
            request,
            inv,
            qn,
            sections=[{"id": s.id, "title": s.title.get(lang)} for s in qn.sections],
            rows=rows,
            new_link=new_link,
            new_section=new_section,
            sent_to=sent_to,
            mail_enabled=mail.enabled(),
            form_error=form_error,
        ),
        status=422 if form_error else 200,
    )


@require_POST
@with_invitation
def revoke_delegation(request: HttpRequest, inv: Invitation, delegation_id: int) -> HttpResponse:
    _main_only(inv)
    if not services.revoke_delegation(inv, delegation_id):
        raise Http404()
    return redirect(_url("delegations", request.portal_token))  # type: ignore[attr-defined]


@require_http_methods(["GET"])
@with_invitation
def diagnostic(request: HttpRequest, inv: Invitation) -> HttpResponse:
    """The authority's full diagnostic (main link, after submission)."""
    _main_only(inv)
    if inv.response.status not in services.SUBMITTED_STATUSES:
        return redirect(_url("summary", request.portal_token))  # type: ignore[attr-defined]
    from barometre.apps.diagnostic.pages import respondent_page

    return respondent_page(request, inv.response, _url("diagnostic_pdf", request.portal_token))  # type: ignore[attr-defined]


@require_http_methods(["GET"])
@with_invitation
def diagnostic_pdf(request: HttpRequest, inv: Invitation) -> HttpResponse:
    _main_only(inv)
    if inv.response.status not in services.SUBMITTED_STATUSES:
        raise Http404()
    from barometre.apps.diagnostic.pages import respondent_pdf

    return respondent_pdf(request, inv.response)

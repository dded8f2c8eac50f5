"""The diagnostic page of a respondent, reached from its portal link after submission."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from barometre.apps.diagnostic.respondent import respondent_diagnostic
from barometre.apps.editions.models import Response
from barometre.apps.i18n import active_lang
from barometre.apps.projects.services import opsn_context


def _context(request: HttpRequest, response: Response, *, pdf: bool, pdf_url: str = "") -> dict[str, Any]:
    under_attack = request.GET.get("attaque") == "1"
    report = respondent_diagnostic(response, lang=active_lang(), under_attack=True if under_attack else None)
    return {
        "report": report,
        "authority": response.authority,
        "pdf": pdf,
        "pdf_url": pdf_url,
        "lang": active_lang(),
        "peers_simulated": report["simulated"] or bool(report["peer_edition"] and _peer_simulated(report)),
        "simulated_banner": report["simulated"],
        "opsn": opsn_context(response.authority.departement or None, active_lang()),
    }


def _peer_simulated(report: dict[str, Any]) -> bool:
    from barometre.apps.editions.models import Edition

    return Edition.objects.filter(year=report["peer_edition"], simulated=True).exists()


def respondent_page(request: HttpRequest, response: Response, pdf_url: str) -> HttpResponse:
    return render(request, "diagnostic/respondent.html", _context(request, response, pdf=False, pdf_url=pdf_url))


def respondent_pdf(request: HttpRequest, response: Response) -> HttpResponse:
    from weasyprint import HTML

    html = render_to_string("diagnostic/respondent_pdf.html", _context(request, response, pdf=True), request=request)
    out = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    filename = f"barometre-{response.edition.year}-{response.authority.code}-diagnostic.pdf"
    out["Content-Disposition"] = f'attachment; filename="{filename}"'
    out["Cache-Control"] = "no-store"
    return out

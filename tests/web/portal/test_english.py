"""The respondent's pages in English: times formatted once (no "p.m.."), one word for *commune*."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from barometre.apps.editions.models import Response
from tests.web.portal.conftest import COMPLETE, Link, form_versions


def _english(client: Client, link: Link) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": link.url()})


def test_the_autosave_time_is_written_once_in_the_language_format(client: Client, link_a: Link) -> None:
    _english(client, link_a)
    data = {**form_versions(link_a, "profil"), "section": "profil", "changed": "nb_agents", "nb_agents": "4"}
    message = client.post(link_a.url("enregistrer/"), data).json()["message"]
    assert message.startswith("Answer saved at ") and ".." not in message
    assert message.endswith(("a.m.", "p.m.", "midnight", "noon"))


def test_english_pages_never_double_the_full_stop_after_a_time(client: Client, link_a: Link) -> None:
    for section, data in COMPLETE.items():
        client.post(link_a.url(f"section/{section}/"), {**data, "action": "save"})
    client.post(link_a.url("envoyer/"), {"confirm": "yes"})
    # 3:57 p.m.: an afternoon time, the case that ended with "p.m.."
    afternoon = timezone.localtime().replace(hour=15, minute=57)
    Response.objects.filter(pk=link_a.response.pk).update(submitted_at=afternoon)
    _english(client, link_a)
    for path in ("", "recapitulatif/"):
        html = client.get(link_a.url(path)).content.decode()
        assert "3:57 p.m." in html, path
        assert "p.m.." not in html, path


def test_one_english_word_for_commune(client: Client, link_a: Link) -> None:
    _english(client, link_a)
    profile = client.get(link_a.url("section/profil/")).content.decode()
    assert ">Commune<" in profile and "Municipality" not in profile

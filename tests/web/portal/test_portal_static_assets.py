"""Every stylesheet, script and image the respondent's pages reference is served (site.css, the
portal's scripts, the organiser emblem)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.web.portal.conftest import Link
from tests.web.test_static_assets import ASSET, _fetch

IMAGE = re.compile(r'<img[^>]+src="(/static/[^"]+)"')


@pytest.mark.parametrize("path", ["", "section/profil/", "recapitulatif/", "delegations/", "BAD"])
def test_every_asset_of_a_portal_page_answers_200(client: Client, link_a: Link, path: str) -> None:
    url = "/repondre/" + "x" * 40 + "/" if path == "BAD" else link_a.url(path)
    html = client.get(url).content.decode()
    assets = set(ASSET.findall(html)) | set(IMAGE.findall(html))
    assert "/static/barometre/site.css" in {a.split("?")[0] for a in assets}
    if path == "section/profil/":
        assert any(a.endswith("portal/autosave.js") for a in assets)
    if path == "":
        assert any(a.endswith(("emblem.svg", ".png")) for a in assets)
    missing = [a for a in sorted(assets) if _fetch(client, a.split("?")[0])[0] != 200]
    assert missing == [], f"{path}: {missing}"

"""Structural accessibility of every page a user fills in: language, skip link, landmarks, labels."""
from html.parser import HTMLParser

import pytest

from portal.auth.enums import Role
from tests.conftest import log_in


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang = None
        self.ids: set[str] = set()
        self.label_targets: set[str] = set()
        self.controls: list[str] = []
        self.landmarks: set[str] = set()
        self.skip_target = None
        self.h1_count = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "label" and "for" in attributes:
            self.label_targets.add(attributes["for"])
        if tag in ("main", "header", "footer", "nav"):
            self.landmarks.add(tag)
        if tag == "h1":
            self.h1_count += 1
        if tag == "a" and "skipnav" in (attributes.get("class") or ""):
            self.skip_target = attributes.get("href", "").lstrip("#")
        if tag in ("input", "select", "textarea") and attributes.get("type") not in ("hidden", "submit"):
            self.controls.append(attributes.get("id") or f"<{tag} name={attributes.get('name')}>")


def _structure(response) -> _Structure:
    parser = _Structure()
    parser.feed(response.get_data(as_text=True))
    return parser


STAFF_PAGES = ["/", "/overblik", "/kommuner", "/brugere", "/brugere/inviter", "/udbakke/", "/haendelseslog",
               "/puljen/rediger"]
PUBLIC_PAGES = ["/log-ind", "/glemt-adgangskode"]


@pytest.mark.parametrize("url", STAFF_PAGES + PUBLIC_PAGES)
def test_page_has_language_skip_link_landmarks_one_h1_and_labelled_controls(client, make_user, url):
    if url not in PUBLIC_PAGES:
        log_in(client, make_user(Role.ADMIN).email)

    page = _structure(client.get(url))

    assert page.lang == "da"
    assert page.skip_target == "main-content" and "main-content" in page.ids
    assert {"header", "main", "footer"} <= page.landmarks
    assert page.h1_count == 1
    assert [control for control in page.controls if control not in page.label_targets] == []

"""Structural accessibility of every page a user fills in: language, skip link, landmarks, labels."""
import pytest

from portal.auth.enums import Role
from tests.conftest import log_in
from tests.support.html import page_structure


STAFF_PAGES = ["/", "/overblik", "/kommuner", "/brugere", "/brugere/inviter", "/udbakke/", "/haendelseslog",
               "/puljen/rediger", "/ansoegninger",
               "/bedoemmelse", "/bedoemmelse/indstillinger", "/udvaelgelse", "/udvaelgelse/bekraeft",
               "/fordeling", "/tilsagn", "/arrangementer", "/rapportering", "/succeskriterier"]
PUBLIC_PAGES = ["/log-ind", "/glemt-adgangskode"]


@pytest.mark.parametrize("url", STAFF_PAGES + PUBLIC_PAGES)
def test_page_has_language_skip_link_landmarks_one_h1_and_labelled_controls(client, make_user, url):
    if url not in PUBLIC_PAGES:
        log_in(client, make_user(Role.ADMIN).email)

    page = page_structure(client.get(url))

    assert page.problems() == []

"""The tilgængelighedserklæring: public, linked from every page's footer, with what the law asks it to say."""
import pytest

from portal.auth.enums import Role
from portal.pulje.services import get_pool
from portal.transaction import commit
from tests.conftest import log_in
from tests.support.html import page_structure, page_text

FOOTER_LINK = '<a href="/tilgaengelighed">Tilgængelighedserklæring</a>'


def test_statement_says_what_site_its_status_how_tested_when_whom_to_write_and_how_to_complain(client):
    pool = get_pool()
    pool.contact_email = "tilgaengelighed@star.test"  # the address comes from the pool, not the template
    commit()

    response = client.get("/tilgaengelighed")
    text = page_text(response)

    assert response.status_code == 200
    assert page_structure(response).problems() == []
    assert [phrase for phrase in (
        "Denne tilgængelighedserklæring gælder for Puljeportalen, http://portal.test",
        "Puljeportalen er delvist i overensstemmelse med standarden WCAG 2.1 på niveau AA",
        "PDF-dokumenter er ikke mærket (tagget) for skærmlæsere.",
        "Danmarkskortet på siden om udvælgelsen",
        "Automatisk test med axe-core i browseren Chromium af alle portalens sider for hver brugertype",
        "Test med tastatur alene",
        "Erklæringen er udarbejdet den 25. november 2026",
        "skriv til Styrelsen for Arbejdsmarked og Rekruttering på tilgaengelighed@star.test.",
        "Du kan klage til Digitaliseringsstyrelsen",
    ) if phrase not in text] == []
    assert 'href="mailto:tilgaengelighed@star.test"' in response.get_data(as_text=True)


def test_the_statement_is_also_found_at_was_as_on_other_danish_public_sites(client):
    response = client.get("/was")

    assert (response.status_code, response.headers["Location"]) == (301, "/tilgaengelighed")


@pytest.mark.parametrize("role", [None, Role.KOMMUNE, Role.SAGSBEHANDLER])
def test_every_page_links_to_the_statement_in_its_footer(client, make_user, role):
    if role is not None:
        log_in(client, make_user(role, kommune="Herning" if role is Role.KOMMUNE else None).email)

    pages = [client.get(url, follow_redirects=True) for url in ("/", "/log-ind", "/overblik", "/findes-ikke")]

    assert [FOOTER_LINK in page.get_data(as_text=True) for page in pages] == [True] * 4

"""The caseworker issues the grant letters; Herning accepts, Læsø declines; the freed money goes to the others."""
from datetime import datetime

from playwright.sync_api import expect

from portal.allocation.services import confirm_allocation
from portal.auth.enums import Role
from portal.clock import COPENHAGEN
from portal.pulje.services import get_pool
from portal.review.enums import Decision
from portal.review.selection import confirm_selection, decide, list_candidates
from portal.transaction import commit
from tests.support.applications import submitted_applications
from tests.support.browser import log_in, menu, status
from tests.support.documents import pdf_text

AFTER_ALLOCATION = datetime(2017, 8, 28, 10, 0, tzinfo=COPENHAGEN)
HERNING_USER, LAESOE_USER = "hanne.holm@herning.dk", "lars.lund@laesoe.dk"
DECLINE_REASON = "Vi kan ikke bemande projektet i 2017."
PERIOD = "1. oktober 2017 – 31. december 2018"


def _grant_rows(page) -> list[list[str]]:
    table = page.get_by_role("table", name="Tilsagn pr. kommune")
    return [[" ".join(cell.split()) for cell in row.get_by_role("cell").all_inner_texts()]
            for row in table.locator("tbody tr").all()]


def _download(page, link: str) -> str:
    with page.expect_download() as download_info:
        page.get_by_role("link", name=link).click()
    return pdf_text(download_info.value.path().read_bytes())


def _pdfs(message) -> list[bytes]:
    return [part.get_content() for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]


def test_letters_issued_accepted_declined_and_the_freed_money_reissued(page, new_page, make_user, mailbox, clock):
    # Herning, Aarhus and Læsø applied alike; selected and allocated 500.000 kr. each through the services.
    submitted_applications("Herning", "Aarhus", "Læsø")
    sara = make_user(Role.SAGSBEHANDLER, email="sara@star.test", name="Sara Sagsbehandler")
    make_user(Role.KOMMUNE, kommune="Herning", email=HERNING_USER, name="Hanne Holm")
    make_user(Role.KOMMUNE, kommune="Læsø", email=LAESOE_USER, name="Lars Lund")
    clock.set(AFTER_ALLOCATION)  # the live server reads the same clock
    pool = get_pool()
    pool.min_participants, pool.total_kr = 2, 1_500_000
    rows = list_candidates(pool, viewer=sara)
    decide(rows, actor=sara, decisions={row.application.id: (Decision.SELECTED, "") for row in rows})
    confirm_selection(pool, list_candidates(pool, viewer=sara), actor=sara)
    confirm_allocation(pool, actor=sara)
    commit()
    agency = pool.contact_email
    mailbox.clear()  # the receipts and the selection's notices

    # Sara makes the drafts from the allocation, one per kommune by kommunekode.
    log_in(page, sara.email, "Overblik")
    menu(page, "Tilsagn")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tilsagn")
    page.get_by_role("button", name="Lav udkast fra fordelingen").click()
    expect(status(page, "Udkastene er lavet")).to_be_visible()
    draft = ["Udkast", "500.000 kr.", "125.000 kr.", "375.000 kr.", "0 kr.", "1 (udkast)", "18. september 2017"]
    assert _grant_rows(page) == [["16/17959-01", "Herning", *draft], ["16/17959-02", "Aarhus", *draft],
                                 ["16/17959-03", "Læsø", *draft]]

    # She reads Herning's draft as PDF before issuing.
    page.get_by_role("link", name="16/17959-01").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tilsagn 16/17959-01 til Herning Kommune")
    preview = _download(page, "Se udkastet (PDF)")
    assert [fact for fact in ("Herning Kommune", "16/17959-01", "500.000 kr.", PERIOD) if fact not in preview] == []
    page.get_by_role("link", name="Alle tilsagn").click()
    page.get_by_role("button", name="Udsted alle 3 udkast").click()
    expect(status(page, "Alle udkast er udstedt")).to_be_visible()
    assert [row[2] for row in _grant_rows(page)] == ["Udstedt"] * 3
    expect(page.get_by_role("button", name="Udsted alle", exact=False)).to_have_count(0)

    # Herning's user sees the grant on her dashboard, reads the letter and accepts.
    herning = new_page()
    log_in(herning, HERNING_USER, "Herning Kommune")
    outcome = herning.get_by_role("status").filter(has=herning.get_by_role("heading", name="Tilsagn: 500.000 kr."))
    expect(outcome).to_contain_text("Tilsagn nr. 16/17959-01 er udstedt. Svar senest 18. september 2017.")
    outcome.get_by_role("link", name="Se tilsagnet").click()
    expect(herning.get_by_role("heading", level=1)).to_have_text("Tilsagn til Herning Kommune")
    letter = _download(herning, "Hent tilsagnsbrevet (PDF)")
    assert ["Herning Kommune" in letter, "500.000 kr." in letter, PERIOD in letter] == [True, True, True]
    herning.get_by_text("Læs tilsagnsbrevets tekst og vilkår her på siden").click()  # the letter on the page too
    expect(herning.get_by_role("heading", level=4, name="Kerneelementer")).to_be_visible()
    expect(herning.locator(".letter-text")).to_contain_text(f"Midlerne kan bruges i perioden {PERIOD}.")
    herning.get_by_role("button", name="Accepter tilsagnet").click()  # without the tick first
    expect(herning.get_by_text("Sæt kryds for at acceptere tilsagnet.").first).to_be_visible()
    herning.get_by_label("Jeg accepterer tilsagnet og vilkårene på vegne af kommunen.").check()
    herning.get_by_role("button", name="Accepter tilsagnet").click()
    expect(status(herning, "Tilsagnet er accepteret. Styrelsen har fået besked.")).to_be_visible()
    expect(herning.locator(".grant-facts")).to_contain_text("Accepteret 28. august 2017 kl. 10.00 af Hanne Holm")
    plan = herning.get_by_role("table", name="Udbetalingsplan").locator("tbody tr")
    expect(plan.nth(0).get_by_role("cell")).to_have_text(["2017", "28. august 2017", "125.000 kr.", "Ikke endnu"])
    expect(plan.nth(1).get_by_role("cell")).to_have_text(["2018", "1. januar 2018", "375.000 kr.", "Ikke endnu"])
    expect(herning.get_by_role("button", name="Accepter tilsagnet")).to_have_count(0)

    # Læsø's user declines, with a reason.
    laesoe = new_page()
    log_in(laesoe, LAESOE_USER, "Læsø Kommune")
    laesoe.get_by_role("link", name="Se tilsagnet").click()
    laesoe.get_by_text("Kommunen vil afslå tilsagnet").click()
    laesoe.get_by_label("Hvorfor afslår kommunen tilsagnet?").fill(DECLINE_REASON)
    laesoe.get_by_role("button", name="Afslå tilsagnet", exact=True).click()
    expect(status(laesoe, "Tilsagnet er afslået. Styrelsen har fået besked.")).to_be_visible()
    expect(laesoe.locator(".grant-facts")).to_contain_text("Afslået 28. august 2017 kl. 10.00 af Lars Lund")

    # Sara sees the freed money and allocates the pool again between Herning and Aarhus.
    menu(page, "Tilsagn")
    expect(page.get_by_text("500.000 kr. er frigjort.")).to_be_visible()
    assert [row[2] for row in _grant_rows(page)] == ["Accepteret", "Udstedt", "Afslået"]
    page.get_by_role("link", name="Fordel puljen igen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fordeling af puljen")
    expect(status(page, "har afslået")).to_contain_text("Læsø har afslået sit tilsagn på 500.000 kr.")
    allocation = page.get_by_role("table", name="Beregningen kommune for kommune").locator("tbody tr")
    expect(allocation.locator("td:first-child")).to_have_text(["Herning", "Aarhus"])
    expect(allocation.locator("td:nth-child(6)")).to_have_text(["750.000 kr.", "750.000 kr."])
    page.get_by_role("button", name="Bekræft fordelingen").click()
    expect(status(page, "Fordelingen er bekræftet:")).to_have_text(
        "Fordelingen er bekræftet: 2 tilskud, i alt 1.500.000 kr. Den bruges til tilsagnsbrevene.")

    # New versions for Herning and Aarhus; Læsø's declined grant is left alone.
    menu(page, "Tilsagn")
    page.get_by_role("button", name="Lav udkast fra fordelingen").click()
    expect(status(page, "Udkastene er lavet")).to_be_visible()
    page.get_by_role("button", name="Udsted alle 2 udkast").click()
    expect(status(page, "Alle udkast er udstedt")).to_be_visible()
    reissued = ["Udstedt", "750.000 kr.", "187.500 kr.", "562.500 kr.", "0 kr.", "2 (udstedt)", "18. september 2017"]
    assert _grant_rows(page) == [
        ["16/17959-01", "Herning", *reissued], ["16/17959-02", "Aarhus", *reissued],
        ["16/17959-03", "Læsø", "Afslået", "500.000 kr.", "125.000 kr.", "375.000 kr.", "0 kr.", "1 (udstedt)",
         "18. september 2017"]]

    # The mail: Herning's user has both letters, the second replacing the first; the agency heard both answers.
    first, second = mailbox.messages_to(HERNING_USER)
    assert [first["Subject"], second["Subject"]] == [
        "Tilsagn nr. 16/17959-01: Sammen om fastholdelse – Herning Kommune"] * 2
    [version_1], [version_2] = _pdfs(first), _pdfs(second)
    assert [part.get_filename() for message in (first, second) for part in message.iter_attachments()] == [
        "tilsagn-657-herning-v1.pdf", "tilsagn-657-herning-v2.pdf"]
    assert "500.000 kr." in pdf_text(version_1) and "750.000 kr." not in pdf_text(version_1)
    replacement = pdf_text(version_2)
    assert "Dette tilsagn erstatter tilsagn nr. 16/17959-01 version 1." in replacement
    assert ["750.000 kr." in replacement, "Herning Kommune" in replacement] == [True, True]
    assert "erstatter den tidligere version" in second.get_body().get_content()
    assert [message["Subject"] for message in mailbox.messages_to(agency)] == [
        "Tilsagn nr. 16/17959-01 er accepteret af Herning Kommune",
        "Tilsagn nr. 16/17959-03 er afslået af Læsø Kommune"]
    assert DECLINE_REASON in mailbox.messages_to(agency)[1].get_body().get_content()
    assert [len(mailbox.messages_to(LAESOE_USER)), len(mailbox.messages_to("aarhus@actor.test"))] == [1, 2]

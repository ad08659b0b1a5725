"""Two caseworkers score, apply the suggestion, swap one kommune by hand, confirm selection and allocation."""
import re
from datetime import datetime

from playwright.sync_api import expect

from portal.applications.rules import BudgetLineAnswer
from portal.auth.enums import Role
from portal.clock import COPENHAGEN
from portal.pulje.services import get_pool
from portal.review.scoring import SCORED_SECTIONS, SectionScore
from portal.review.services import record_scores
from portal.transaction import commit
from tests.support.applications import kommune_actor, submitted_application, submitted_applications
from tests.support.browser import log_in, menu
from tests.support.documents import pdf_text

AFTER_DEADLINE = datetime(2017, 8, 14, 10, 0, tzinfo=COPENHAGEN)
SECTION_TITLES = ["Målgruppen", "Organisering af indsatsen", "Medarbejderkompetencer", "Ledelse", "Økonomi"]
SCALE = {1: "1 – Meget svag", 2: "2 – Svag", 3: "3 – Tilfredsstillende", 4: "4 – God", 5: "5 – Fremragende"}
# The kommune users submitted_applications creates (kommune_actor's addresses).
KOEBENHAVN_USER, LAESOE_USER = "koebenhavn@actor.test", "laesoe@actor.test"
KOEBENHAVN_REASON = "Vi prioriterer en lille kommune fra Region Nordjylland frem for en fjerde stor kommune."
LAESOE_REASON = "Vælges i stedet for København, så Region Nordjylland er med."


def _same_scores(points: int) -> dict[str, SectionScore]:
    return {key: SectionScore(points, "Vurderet efter skabelonen.") for key in SCORED_SECTIONS}


def _fill_in_scores(page, points: list[int]) -> None:
    for title, score in zip(SECTION_TITLES, points):
        page.get_by_role("group", name=f"Point for {title}", exact=True).get_by_label(SCALE[score]).check()
        page.get_by_label(f"Kommentar til {title}", exact=True).fill(f"{SCALE[score]}: set i forhold til skabelonen.")


def _decide(page, kommune: str, decision: str, reason: str) -> None:
    page.get_by_role("group", name=f"Afgørelse for {kommune}", exact=True).get_by_label(decision, exact=True).check()
    page.get_by_label(f"Begrundelse for {kommune}", exact=True).fill(reason)


def _expect_spread(page, *, per_amk: list[str], per_size: list[str], notes: list[str]) -> None:
    """The counts in the spread tables (AMK Øst, Midt-Nord, Syd; lille, mellem, stor), no warnings, the notes."""
    expect(page.get_by_role("table", name="Pr. AMK").get_by_role("cell")).to_have_text(per_amk)
    expect(page.get_by_role("table", name="Pr. størrelse").get_by_role("cell")).to_have_text(per_size)
    expect(page.locator(".spread-warnings li")).to_have_count(0)
    expect(page.locator(".spread-notes li")).to_have_text(notes)


def _kr(text: str) -> int:
    return int(text.removesuffix(" kr.").replace(".", ""))


def test_caseworkers_score_select_swap_one_kommune_confirm_and_allocate(page, make_user, mailbox, clock):
    # Eight kommuner from the three AMKs have applied; tiny Læsø asks for less and has fewer cases.
    applications = submitted_applications("Aarhus", "Herning", "Vejle", "Odense", "København", "Odsherred", "Ærø")
    applications["Læsø"] = submitted_application(
        "Læsø", actor=kommune_actor("Læsø"), answers={"category_2_count": 9, "category_3_count": 3},
        budget=[BudgetLineAnswer("fastholdelseskonsulenter", 2017, "Rådgiver 2017", 100_000),
                BudgetLineAnswer("fastholdelseskonsulenter", 2018, "Rådgiver 2018", 400_000)])
    pool = get_pool()
    pool.min_participants, pool.max_participants = 3, 5
    sara = make_user(Role.SAGSBEHANDLER, email="sara@star.test", name="Sara Sagsbehandler")
    tom = make_user(Role.SAGSBEHANDLER, email="tom@star.test", name="Tom Tilsynsførende")
    clock.set(AFTER_DEADLINE)  # the live server reads the same clock
    # Scored through the services beforehand: Tom has not scored Herning and Odense, Sara neither those nor
    # København. So København has one review, Herning and Odense none.
    for name, points in {"Aarhus": 5, "Vejle": 4, "København": 4, "Odsherred": 3, "Læsø": 2, "Ærø": 1}.items():
        record_scores(applications[name], reviewer=tom, sections=_same_scores(points), submit=True)
        if name != "København":
            record_scores(applications[name], reviewer=sara, sections=_same_scores(points), submit=True)
    commit()
    mailbox.clear()  # the submission receipts

    # Sara scores Herning and goes on to the application with the fewest reviews: Odense, not København.
    log_in(page, sara.email)
    menu(page, "Bedømmelse")
    page.get_by_role("link", name="Bedøm den næste: Herning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedøm ansøgningen fra Herning Kommune")
    _fill_in_scores(page, [5, 5, 5, 5, 5])
    page.get_by_role("button", name="Indsend og gå til den næste").click()
    expect(page.get_by_role("status").filter(has_text="Din bedømmelse af Herning er indsendt.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedøm ansøgningen fra Odense Kommune")
    _fill_in_scores(page, [4, 4, 3, 5, 4])
    page.get_by_role("button", name="Indsend", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedømmelse af ansøgningerne")
    expect(page.get_by_role("link", name="Bedøm den næste: København")).to_be_visible()
    page.get_by_role("button", name="Log ud").click()

    # Tom scores Odense too; the board shows two reviews and the exact means.
    log_in(page, tom.email)
    menu(page, "Bedømmelse")
    page.get_by_role("link", name="Odense", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedøm ansøgningen fra Odense Kommune")
    _fill_in_scores(page, [5, 3, 4, 4, 4])
    page.get_by_role("button", name="Indsend", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Din bedømmelse af Odense er indsendt.")).to_be_visible()
    odense = page.get_by_role("table", name="Ansøgninger med point").get_by_role("row").filter(
        has=page.get_by_role("link", name="Odense", exact=True))
    expect(odense.get_by_role("cell")).to_have_text(
        ["Odense", "Syd", "Stor", "505", "2", "4,5", "3,5", "3,5", "4,5", "4,0", "4,0", "Indsendt"])
    # The last two reviews, through the services: now every application has two.
    record_scores(applications["Herning"], reviewer=tom, sections=_same_scores(5), submit=True)
    record_scores(applications["København"], reviewer=sara, sections=_same_scores(4), submit=True)
    commit()

    # The suggestion: the top five by score would all be large; the rules ask for a small one.
    menu(page, "Udvælgelse")
    page.get_by_role("link", name="Foreslå en udvælgelse").click()
    suggestion = page.get_by_role("region", name="Forslag til udvælgelse")
    expect(suggestion.locator("p").first).to_have_text(
        "Forslaget vælger 5 kommuner med i alt 21,0 point: Herning, Aarhus, København, Odense, Odsherred.")
    page.get_by_role("button", name="Anvend forslaget").click()
    expect(page.get_by_role("status").filter(has_text="Forslaget er anvendt som foreløbige afgørelser.")
           ).to_be_visible()
    expect(page.get_by_role("group", name="Afgørelse for København").get_by_label("Valgt", exact=True)
           ).to_be_checked()
    expect(page.get_by_role("group", name="Afgørelse for Læsø").get_by_label("Fravalgt", exact=True)).to_be_checked()
    _expect_spread(page, per_amk=["2", "2", "1"], per_size=["1", "0", "4"], notes=[
        "Ingen mellemstor kommune er valgt. Det er ikke et krav.", "Ingen kommune fra Region Nordjylland er valgt."])

    # By hand: Læsø instead of København.
    _decide(page, "København", "Fravalgt", KOEBENHAVN_REASON)
    _decide(page, "Læsø", "Valgt", LAESOE_REASON)
    page.get_by_role("button", name="Gem afgørelserne").click()
    expect(page.get_by_role("status").filter(has_text="Afgørelserne er gemt")).to_have_text(
        "Afgørelserne er gemt (2 ændret). De er foreløbige, til udvælgelsen bekræftes.")
    expect(page.get_by_label("Begrundelse for København", exact=True)).to_have_value(KOEBENHAVN_REASON)
    _expect_spread(page, per_amk=["1", "3", "1"], per_size=["2", "0", "3"], notes=[
        "Ingen mellemstor kommune er valgt. Det er ikke et krav.", "Ingen kommune fra Region Hovedstaden er valgt."])

    # The confirmation makes the decisions final and sends them.
    page.get_by_role("link", name="Bekræft udvælgelsen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekræft udvælgelsen")
    expect(page.locator(".confirm-selected li")).to_have_text(
        ["Herning (5,0 point)", "Aarhus (5,0 point)", "Odense (4,0 point)", "Odsherred (3,0 point)",
         "Læsø (2,0 point)"])
    expect(page.locator(".confirm-rejected li")).to_have_text([
        f"København: {KOEBENHAVN_REASON}", re.compile(r"^Vejle: "), re.compile(r"^Ærø: ")])
    page.get_by_label("Jeg bekræfter udvælgelsen").check()
    page.get_by_role("button", name="Bekræft og send afgørelserne").click()
    expect(page.get_by_role("status").filter(has_text="Udvælgelsen er bekræftet:")).to_have_text(
        "Udvælgelsen er bekræftet: 5 kommuner er valgt, og 3 har fået afslag. Afslagene er sendt på mail.")

    # The mail went out with the confirmation: København's rejection letter carries the reason typed above,
    # and Læsø hears it is selected.
    [letter] = mailbox.messages_to(KOEBENHAVN_USER)
    assert letter["Subject"] == "Afslag: Sammen om fastholdelse – Københavns Kommune"
    [pdf] = [part for part in letter.iter_attachments() if part.get_content_type() == "application/pdf"]
    text = pdf_text(pdf.get_content())
    assert ["Københavns Kommune" in text, KOEBENHAVN_REASON in text] == [True, True]
    assert [message["Subject"] for message in mailbox.messages_to(LAESOE_USER)] == [
        "I er udvalgt: Sammen om fastholdelse – Læsø Kommune"]

    # The allocation: capped at 800.000 kr. or the kommune's own budget (Læsø), in kommunekode order.
    menu(page, "Fordeling")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fordeling af puljen")
    expect(page.locator(".font-lead")).to_contain_text("9.000.000 kr. fordeles")
    table = page.get_by_role("table", name="Beregningen kommune for kommune")
    expect(table.locator("tbody tr")).to_have_count(5)
    rows = [[" ".join(text.split()) for text in row.get_by_role("cell").all_inner_texts()]
            for row in table.locator("tbody tr").all()]
    pool_cap = ["800.000 kr.", "800.000 kr.", "800.000 kr.", "200.000 kr.", "600.000 kr."]
    assert rows == [
        ["Odsherred", "505", "24,85 %", *pool_cap, "Når puljens loft Ret tilskuddet til Odsherred"],
        ["Odense", "505", "24,85 %", *pool_cap, "Når puljens loft Ret tilskuddet til Odense"],
        ["Herning", "505", "24,85 %", *pool_cap, "Når puljens loft Ret tilskuddet til Herning"],
        ["Aarhus", "505", "24,85 %", *pool_cap, "Når puljens loft Ret tilskuddet til Aarhus"],
        ["Læsø", "12", "0,59 %", "500.000 kr.", "500.000 kr.", "500.000 kr.", "100.000 kr.", "400.000 kr.",
         "Når kommunens budget Ret tilskuddet til Læsø"],
    ]
    total = table.get_by_role("row", name=re.compile("^I alt"))
    expect(total.get_by_role("cell")).to_have_text(
        ["2.032", "100,00 %", "", "", "3.700.000 kr.", "900.000 kr.", "2.800.000 kr.", ""])
    unallocated = table.get_by_role("row", name=re.compile("^Ikke fordelt")).get_by_role("cell")
    expect(unallocated).to_have_text(["", "5.300.000 kr.", "", "", "Alle kommuner har nået deres loft."])
    assert sum(_kr(row[5]) for row in rows) == _kr(total.get_by_role("cell").nth(4).inner_text()) == 3_700_000
    assert _kr(total.get_by_role("cell").nth(4).inner_text()) + _kr(unallocated.nth(1).inner_text()) == 9_000_000
    page.get_by_role("button", name="Bekræft fordelingen").click()
    expect(page.get_by_role("status").filter(has_text="Fordelingen blev bekræftet")).to_have_text(
        "Fordelingen blev bekræftet 14. august 2017 kl. 10.00 af Tom Tilsynsførende: 3.700.000 kr. til 5 kommuner. "
        "Tilsagnsbrevene laves ud fra den.")
    expect(page.get_by_role("status").filter(has_text="Fordelingen er bekræftet:")).to_have_text(
        "Fordelingen er bekræftet: 5 tilskud, i alt 3.700.000 kr. Den bruges til tilsagnsbrevene.")

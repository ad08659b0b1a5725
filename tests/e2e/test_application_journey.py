"""Herning fills in the application section by section, fixes a typing error, submits, and gets the receipt."""

from playwright.sync_api import expect

from portal.auth.enums import Role
from tests.conftest import PASSWORD
from tests.support.documents import pdf_text
from tests.support.herning import SECTIONS as HERNING

EMAIL = "bodil.clark@herning.dk"


def test_kommune_user_fills_in_fixes_an_error_submits_and_gets_the_receipt(page, make_user, mailbox):
    make_user(Role.KOMMUNE, kommune="Herning", name="Bodil Clark", email=EMAIL)
    steps = page.get_by_role("navigation", name="Ansøgningens afsnit")

    def status_of(title: str):
        return steps.get_by_role("listitem").filter(has_text=title).locator(".section-status")

    page.goto("/log-ind")
    page.get_by_label("E-mailadresse").fill(EMAIL)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Herning Kommune")
    page.get_by_role("button", name="Start ansøgningen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ansøgning fra Herning Kommune")
    page.get_by_role("link", name="1. Målgruppen").click()

    # 1. Målgruppen, with a decimal where a whole number belongs; the counter follows her typing.
    answers = HERNING["maalgruppen"]
    expect(page.get_by_role("heading", level=1)).to_have_text("1. Målgruppen")
    expect(status_of("Målgruppen")).to_have_text("Ikke påbegyndt")
    page.get_by_label("Beskrivelse af målgruppen").fill(answers["target_group_description"])
    page.get_by_label("Forventet antal nye personer i målgruppen pr. måned").fill("12,5")
    page.get_by_label("visitationskategori 2").fill(answers["category_2_count"])
    page.get_by_label("visitationskategori 3").fill(answers["category_3_count"])
    page.get_by_label("Andel der i dag får en virksomhedsrettet indsats").fill(answers["baseline_measure_permille"])
    needs, counter = page.get_by_label("Målgruppens behov for indsats"), page.locator("#target_group_needs-limit")
    expect(counter).to_have_text("Du har 4000 tegn tilbage")
    needs.press_sequentially(answers["target_group_needs"])
    expect(counter).to_have_text(f"Du har {4000 - len(answers['target_group_needs'])} tegn tilbage")
    page.get_by_role("button", name="Gem og fortsæt").click()

    expect(page.locator("#new_per_month-error")).to_contain_text("Skriv et helt tal uden decimaler")
    expect(page.get_by_role("status").filter(has_text="undtagen felterne med fejl")).to_be_visible()
    expect(page.get_by_label("Beskrivelse af målgruppen")).to_have_value(answers["target_group_description"])
    expect(page.get_by_label("visitationskategori 2")).to_have_value(answers["category_2_count"])
    expect(page.get_by_label("visitationskategori 3")).to_have_value(answers["category_3_count"])
    expect(page.get_by_label("Andel der i dag får en virksomhedsrettet indsats")).to_have_value("31,5")
    expect(page.get_by_label("Målgruppens behov for indsats")).to_have_value(answers["target_group_needs"])
    expect(status_of("Målgruppen")).to_have_text("I gang")
    page.get_by_label("Forventet antal nye personer i målgruppen pr. måned").fill(answers["new_per_month"])
    page.get_by_role("button", name="Gem og fortsæt").click()

    # 2. Organisering af indsatsen
    answers = HERNING["organisering"]
    expect(page.get_by_role("heading", level=1)).to_have_text("2. Organisering af indsatsen")
    expect(status_of("Målgruppen")).to_have_text("Udfyldt")
    expect(status_of("Organisering")).to_have_text("Ikke påbegyndt")
    page.get_by_label("Sådan organiserer vi opfølgningen på arbejdspladsen").fill(answers["organisation_description"])
    page.get_by_label("Antal medarbejdere, der skal varetage dobbeltrollen").fill(answers["double_role_staff"])
    page.get_by_label("Heraf klar ved projektstart").fill(answers["ready_at_start"])
    page.get_by_role("button", name="Gem og fortsæt").click()

    # 3. Medarbejderkompetencer
    expect(page.get_by_role("heading", level=1)).to_have_text("3. Medarbejderkompetencer")
    expect(status_of("Organisering")).to_have_text("Udfyldt")
    page.get_by_label("Sådan klæder vi medarbejderne på til dobbeltrollen").fill(
        HERNING["kompetencer"]["competence_description"])
    page.get_by_role("button", name="Gem og fortsæt").click()

    # 4. Ledelse
    expect(page.get_by_role("heading", level=1)).to_have_text("4. Ledelse")
    expect(status_of("Medarbejderkompetencer")).to_have_text("Udfyldt")
    page.get_by_label("Sådan understøtter og følger ledelsen op").fill(HERNING["ledelse"]["management_description"])
    page.get_by_role("button", name="Gem og fortsæt").click()

    # 5. Økonomi: two budget lines, the second after "Gem og tilføj en linje".
    answers = HERNING["oekonomi"]
    expect(page.get_by_role("heading", level=1)).to_have_text("5. Økonomi")
    expect(status_of("Ledelse")).to_have_text("Udfyldt")
    page.get_by_label("Aktiviteter, der søges midler til").fill(answers["activities_description"])
    page.get_by_label("Kategori, linje 1").select_option(label="Fastholdelseskonsulenter")
    page.get_by_label("År, linje 1").select_option("2017")
    page.get_by_label("Beskrivelse, linje 1").fill(answers["budget-0-description"])
    page.get_by_label("Beløb (kr.), linje 1").fill(answers["budget-0-amount_kr"])
    page.get_by_role("button", name="Gem og tilføj en linje").click()
    expect(page.get_by_label("Beløb (kr.), linje 1")).to_have_value("200.000")
    page.get_by_label("Kategori, linje 2").select_option(label="Fastholdelseskonsulenter")
    page.get_by_label("År, linje 2").select_option("2018")
    page.get_by_label("Beskrivelse, linje 2").fill(answers["budget-1-description"])
    page.get_by_label("Beløb (kr.), linje 2").fill(answers["budget-1-amount_kr"])
    expect(page.locator("[data-budget-total]")).to_have_text("800.000 kr.")
    page.get_by_role("button", name="Gem og fortsæt").click()

    # 6. Kontakt og indsendelse
    answers = HERNING["kontakt"]
    expect(page.get_by_role("heading", level=1)).to_have_text("6. Kontakt og indsendelse")
    expect(status_of("Økonomi")).to_have_text("Udfyldt")
    page.get_by_label("Kontaktpersonens navn").fill(answers["contact_name"])
    page.get_by_label("Stilling").fill(answers["contact_title"])
    page.get_by_label("E-mail", exact=True).fill(answers["contact_email"])
    page.get_by_label("Telefon").fill(answers["contact_phone"])
    page.get_by_label("Kommunens ledelse står bag ansøgningen").check()
    page.get_by_role("button", name="Gem og fortsæt").click()

    # Tjek og indsend
    expect(page.get_by_role("heading", level=1)).to_have_text("Tjek dine svar")
    expect(steps.locator(".section-status")).to_have_text(["Udfyldt"] * 6)
    expect(page.locator("dt:text-is('Forventet antal nye personer i målgruppen pr. måned') + dd")).to_have_text("123")
    expect(page.locator("dt:has-text('visitationskategori 2') + dd")).to_have_text("410")
    expect(page.locator("dt:has-text('visitationskategori 3') + dd")).to_have_text("95")
    expect(page.locator("dt:text-is('Kontaktpersonens navn') + dd")).to_have_text("Bodil Clark")
    expect(page.locator(".budget-total td")).to_have_text("800.000 kr.")
    page.get_by_role("button", name="Indsend ansøgningen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Kvittering for ansøgning")
    expect(page.get_by_role("status").filter(has_text="Ansøgningen er indsendt.")).to_be_visible()
    expect(page.locator(".receipt-facts")).to_contain_text("24. juli 2017 kl. 09.00")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Hent kvitteringen som PDF").click()
    receipt = pdf_text(download_info.value.path().read_bytes())
    facts = ("Herning Kommune", "123", "200.000 kr.", "600.000 kr.", "800.000 kr.", "Bodil Clark")
    assert [fact for fact in facts if fact not in receipt] == []

    [mail] = mailbox.messages_to(EMAIL)
    [attachment] = [part for part in mail.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert "Herning Kommune" in pdf_text(attachment.get_content())

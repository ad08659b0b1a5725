"""Herning files two quarterly reports (one sent back and corrected); the dashboard shows Herning's share at the
workplace and its change against its baseline; the measures export has the same numbers."""
import csv
import io
import re
from datetime import datetime

from playwright.sync_api import expect

from portal.auth.enums import Role
from portal.clock import COPENHAGEN
from tests.support.browser import log_in, menu, status
from tests.support.reports import accepted, file_report, report_of, user_of

Q4, Q1 = "Aktivitetsrapport for 4. kvartal 2017", "Aktivitetsrapport for 1. kvartal 2018"
AFTER_Q4 = datetime(2018, 1, 10, 9, 0, tzinfo=COPENHAGEN)
AFTER_Q1 = datetime(2018, 4, 27, 9, 0, tzinfo=COPENHAGEN)  # before Q1's due date, 30 April
HERNING_USER = "hanne.holm@herning.dk"
SUBMITTED = "Rapporten er indsendt. Kvitteringen er sendt på mail med rapporten som PDF."
SEND_BACK_COMMENT = "Kun 160 af de 240 planlagte samtaler blev holdt på arbejdspladsen. Er tallet rigtigt?"
# The quarter's figures by their labels on the page, as Herning's user types them (Q4 before any correction).
HERNING_Q4 = {
    "Nye sygedagpengemodtagere fra beskæftigelse i kategori 2 og 3": "369",
    "Første opfølgningssamtaler holdt": "300",
    "heraf planlagt på arbejdspladsen": "240",
    "heraf holdt på arbejdspladsen": "310",  # a part larger than its whole: the page refuses it
    "heraf med arbejdsgiveren til stede": "150",
    "heraf holdt inden udgangen af 8. fraværsuge": "210",
    "Personer med en virksomhedsrettet indsats inden udgangen af 13. sygeuge": "140",
    "Afsluttede forløb": "50",
    "heraf i job eller uddannelse en måned efter": "30",
    "Forløb fulgt op telefonisk": "12",
    "Fastholdelseskonsulenter": "150.000",
    "Kompetenceudvikling af medarbejdere": "20.000",
    "Hvad virker i implementeringen?": "Samtalerne på arbejdspladsen giver gode aftaler.",
    "Hvilke barrierer møder I?": "Lange køreafstande.",
}
HERNING_Q1 = {**HERNING_Q4, "Nye sygedagpengemodtagere fra beskæftigelse i kategori 2 og 3": "350",
              "Første opfølgningssamtaler holdt": "320", "heraf planlagt på arbejdspladsen": "280",
              "heraf holdt på arbejdspladsen": "250", "heraf med arbejdsgiveren til stede": "200",
              "Personer med en virksomhedsrettet indsats inden udgangen af 13. sygeuge": "180"}
LAESOE_Q4 = {"new_recipients": 12, "conversations_held": 10, "planned_at_workplace": 10, "held_at_workplace": 9,
             "with_employer": 8, "held_before_week_8": 7, "measure_before_week_13": 6, "cases_ended": 0,
             "in_work_or_education": 0, "phone_follow_ups": 1}
# By hand, Herning after the correction (180 of 300 at the workplace in Q4) and Q1:
#   at the workplace (180 + 250) / (300 + 320) = 430 / 620 = 69,35 %           -> "69,4 %"
#   early measure    (140 + 180) / (369 + 350) = 320 / 719 = 44,51 %           -> "44,5 %"
#   change against the baseline 315 ‰ in its application: 44,51 - 31,5 = 13,01 -> "+13,0 procentpoint"
# The whole pool, Læsø's 9 of 10 included: (430 + 9) / (620 + 10) = 439 / 630 = 69,68 % -> "69,7 %".


def _fill(page, answers: dict[str, str]) -> None:
    for label, value in answers.items():
        page.get_by_label(label, exact=True).fill(value)


def _open_report(page, title: str) -> None:
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def _receipt(page):
    return page.get_by_role("status").filter(has=page.get_by_role("heading", name="Kvittering"))


def _figure(page, label: str):
    """The count a submitted report shows for `label`, in its table of the quarter's figures."""
    table = page.get_by_role("table", name="Kvartalets tal")
    return table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=label, exact=True)).get_by_role(
        "cell")


def _summary(page, caption: str) -> dict[str, str]:
    """A success-summary table: criterion -> the value column."""
    table = page.get_by_role("table", name=caption)
    expect(table).to_have_class("table success-summary-table")
    return {row.get_by_role("rowheader").inner_text(): row.get_by_role("cell").first.inner_text()
            for row in table.locator("tbody tr").all()}


def test_herning_reports_twice_is_sent_back_once_and_the_dashboard_and_export_agree(
        page, new_page, make_user, mailbox, clock):
    # Herning and Læsø have accepted their grants; the quarter is over and Læsø has reported, via the services.
    sara = make_user(Role.SAGSBEHANDLER, email="sara@star.test", name="Sara Sagsbehandler")
    grants = accepted(clock, sara, "Herning", "Læsø")
    make_user(Role.KOMMUNE, kommune="Herning", email=HERNING_USER, name="Hanne Holm")
    clock.set(AFTER_Q4)  # the live server reads the same clock
    file_report(report_of(grants["Læsø"], Q4), actor=user_of("Læsø"), figures=LAESOE_Q4)
    mailbox.clear()

    # Hanne opens the fourth quarter's report from her dashboard.
    herning = new_page()
    log_in(herning, HERNING_USER, "Herning Kommune")
    notice = herning.get_by_role("status").filter(has=herning.get_by_role("heading", name="Rapporter"))
    expect(notice).to_contain_text(f"Næste: {Q4}, frist 31. januar 2018.")
    notice.get_by_role("link", name="Se kommunens rapporter").click()
    expect(herning.get_by_role("heading", level=1)).to_have_text("Rapporter")
    _open_report(herning, Q4)

    # She types more conversations at the workplace than were held at all: refused at the field, typing kept.
    _fill(herning, HERNING_Q4)
    herning.get_by_role("button", name="Gem og indsend").click()
    at_workplace = herning.get_by_label("heraf holdt på arbejdspladsen", exact=True)
    expect(at_workplace).to_have_accessible_description(
        "Stedet, hvor samtalen faktisk blev holdt. Fejl: Kan ikke være flere end første opfølgningssamtaler holdt "
        "(300).")
    expect(herning.get_by_role("alert")).to_contain_text("Der er fejl i formularen")
    expect(herning.get_by_label("Første opfølgningssamtaler holdt", exact=True)).to_have_value("300")
    expect(herning.locator(".report-status")).to_have_text("Ikke påbegyndt")
    at_workplace.fill("160")
    herning.get_by_role("button", name="Gem og indsend").click()
    expect(status(herning, SUBMITTED)).to_have_text(SUBMITTED)
    expect(_receipt(herning)).to_contain_text(f"{Q4} er indsendt 10. januar 2018 kl. 09.00 af Hanne Holm.")
    expect(_figure(herning, "heraf holdt på arbejdspladsen")).to_have_text("160")

    # Sara finds it among the reports waiting for the agency and sends it back with a comment and a date.
    log_in(page, sara.email, "Overblik")
    menu(page, "Rapportering")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapportering")
    page.get_by_role("link", name="Indsendt, venter på styrelsen (2)").click()
    waiting = page.get_by_role("table", name="Rapporter: Indsendt, venter på styrelsen").locator("tbody tr")
    expect(waiting.locator("td:first-child")).to_have_text(["Herning", "Læsø"])
    waiting.filter(has_text="Herning").get_by_role("link", name=Q4).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(Q4)
    expect(page.locator(".font-lead")).to_have_text("Herning Kommune, tilsagn nr. 16/17959-01")
    expect(_figure(page, "heraf holdt på arbejdspladsen")).to_have_text("160")
    page.get_by_text("Send rapporten tilbage til rettelse").click()
    page.get_by_label("Hvad skal kommunen rette?").fill(SEND_BACK_COMMENT)
    page.get_by_label("Frist for rettelsen").fill("2018-01-19")
    page.get_by_role("button", name="Send tilbage", exact=True).click()
    expect(status(page, "sendt tilbage")).to_have_text(
        "Rapporten er sendt tilbage til kommunen. Kommunen har fået en mail.")
    expect(page.locator(".report-status")).to_have_text("Sendt tilbage til rettelse")

    # Hanne reads the comment, corrects the figure and submits again.
    herning.reload()
    returned = herning.get_by_role("status").filter(
        has=herning.get_by_role("heading", name="Styrelsen har sendt rapporten tilbage til rettelse"))
    expect(returned).to_contain_text(SEND_BACK_COMMENT)
    expect(returned).to_contain_text("Ret rapporten, og indsend den igen senest 19. januar 2018.")
    expect(at_workplace).to_have_value("160")
    at_workplace.fill("180")
    herning.get_by_role("button", name="Gem og indsend").click()
    expect(status(herning, SUBMITTED)).to_have_text(SUBMITTED)
    expect(_figure(herning, "heraf holdt på arbejdspladsen")).to_have_text("180")

    # Sara approves the corrected report.
    page.reload()
    expect(_figure(page, "heraf holdt på arbejdspladsen")).to_have_text("180")
    page.get_by_role("button", name="Godkend rapporten").click()
    expect(status(page, "er godkendt")).to_have_text(f"{Q4} fra Herning er godkendt.")
    expect(page.locator(".report-status")).to_have_text("Godkendt")
    herning.reload()
    expect(_receipt(herning)).to_contain_text("Styrelsen har godkendt rapporten.")

    # After the first quarter of 2018 Hanne files that report too.
    clock.set(AFTER_Q1)
    herning.get_by_role("link", name="Alle kommunens rapporter").click()
    plan = herning.get_by_role("table", name="Rapporteringsplan").locator("tbody tr")
    expect(plan.nth(0).locator("td").nth(3)).to_have_text("Godkendt")
    _open_report(herning, Q1)
    _fill(herning, HERNING_Q1)
    herning.get_by_role("button", name="Gem og indsend").click()
    expect(status(herning, SUBMITTED)).to_have_text(SUBMITTED)
    expect(_receipt(herning)).to_contain_text(f"{Q1} er indsendt 27. april 2018 kl. 09.00 af Hanne Holm.")

    # Sara's dashboard: the whole pool, then Herning picked against the others.
    menu(page, "Rapportering")
    page.get_by_role("link", name="Se succeskriterierne").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Succeskriterier")
    assert _summary(page, "Hele puljen, indtil nu")["Første samtaler holdt på arbejdspladsen"] == "69,7 %"
    page.get_by_label("Kommune", exact=True).select_option(label="Herning")
    page.get_by_role("button", name="Vis kommunen").click()
    expect(page).to_have_url(re.compile(r"/succeskriterier\?kommune=657#compare-heading$"))
    herning_summary = _summary(page, "Herning, indtil nu")
    assert [herning_summary["Første samtaler holdt på arbejdspladsen"],
            herning_summary["Virksomhedsrettet indsats inden udgangen af 13. sygeuge"],
            herning_summary["– ændring mod udgangspunktet"]] == ["69,4 %", "44,5 %", "+13,0 procentpoint"]
    expect(page.get_by_role("table", name="Herning, indtil nu").get_by_role("row").filter(
        has_text="Virksomhedsrettet indsats").get_by_role("cell").nth(1)).to_have_text("Udgangspunkt 31,5 %")

    # The measures export, downloaded from the page, has the same counts and shares.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="målene som CSV").click()
    download = download_info.value
    assert download.suggested_filename == "succeskriterier-2018-04-27.csv"
    rows = list(csv.DictReader(io.StringIO(download.path().read_bytes().decode("utf-8-sig")), delimiter=";"))
    cumulative = [(row["Kvartal"], row["Første samtaler"], row["Heraf på arbejdspladsen"],
                   row["Andel på arbejdspladsen (mål 70 %)"], row["Nye sygedagpengemodtagere"],
                   row["Virksomhedsrettet indsats inden uge 13"], row["Andel med indsats inden uge 13"])
                  for row in rows if row["Kommune"] == "Herning" and row["Opgørelse"] == "Akkumuleret"]
    assert cumulative == [("4. kvt. 2017", "300", "180", "60,0 %", "369", "140", "37,9 %"),
                          ("1. kvt. 2018", "620", "430", "69,4 %", "719", "320", "44,5 %")]

    # The mail: Hanne was told of the return, with Sara's comment.
    [sent_back] = [message for message in mailbox.messages_to(HERNING_USER)
                   if message["Subject"] == f"{Q4} er sendt tilbage til rettelse"]
    assert SEND_BACK_COMMENT in sent_back.get_content()

"""Unit tests for portal.grants.letter: the grant letter states the grant, its period, purposes, conditions and deadline."""
from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from portal.documents.blocks import AGENCY
from portal.grants.letter import (
    GrantLetter, TextBlock, default_conditions, default_intro, grant_letter_filename, grant_letter_pdf, text_blocks,
)
from tests.support.documents import pdf_pages
from tests.support.timing import best_cpu_seconds

FUNDS_FROM_ON = date(2017, 10, 1)
FUNDS_TO_ON = date(2018, 12, 31)
REPORTS = [("Midtvejsstatus", date(2018, 6, 30)), ("Slutrapport og regnskab", date(2019, 3, 31))]
ACTIVITIES = [
    "Opstartsworkshop, uge 40–43 2017",
    "Netværksmøder for fastholdelseskonsulenter i regi af AMK Midt-Nord, 4. kvartal 2017 – 2. kvartal 2018",
    "Afslutningsseminar, 1. kvartal 2019",
]
HERNING_INTRO = default_intro(kommune_name="Herning Kommune", pool_name="Sammen om fastholdelse", amount_kr=800_000,
                              applied_on=date(2017, 8, 3))
HERNING_CONDITIONS = default_conditions(funds_from_on=FUNDS_FROM_ON, funds_to_on=FUNDS_TO_ON, reports=REPORTS,
                                        activities=ACTIVITIES)
SHORT_CONDITIONS = "Første vilkår: samtalen holdes på arbejdspladsen.\n\nAndet vilkår: ubrugte midler betales tilbage."


def herning_letter(**changes) -> GrantLetter:
    """Herning's first grant letter, 800.000 kr. split 200.000/600.000; keyword arguments replace fields."""
    fields = dict(
        letter_number="16/17959-07",
        version=1,
        replaces_reason="",
        kommune_name="Herning Kommune",
        recipient_lines=("Bodil Clark", "Teamleder, Sygefravær og Jobfastholdelse", "Herning Kommune"),
        pool_name="Sammen om fastholdelse",
        journal_number="16/17959",
        dated_on=date(2017, 8, 25),
        amount_kr=800_000,
        amounts_by_year={2017: 200_000, 2018: 600_000},
        funds_from_on=FUNDS_FROM_ON,
        funds_to_on=FUNDS_TO_ON,
        categories=("Fastholdelseskonsulenter", "Kompetenceudvikling af medarbejdere"),
        intro=HERNING_INTRO,
        conditions=SHORT_CONDITIONS,
        accept_by_on=date(2017, 9, 8),
        contact_name="Jens Holm",
        contact_email="fastholdelse@star.dk",
        signed_by="Birthe Sørensen",
    )
    return GrantLetter(**{**fields, **changes})


def letter_lines(**changes) -> list[str]:
    """The letter's text without the letterhead and footer of each page."""
    return [line for page in pdf_pages(grant_letter_pdf(herning_letter(**changes))) for line in page[1:-1]]


def body_text(**changes) -> str:
    """The letter's text without letterheads and footers, on one line, whitespace folded."""
    return folded(" ".join(letter_lines(**changes)))


def between(text: str, start: str, end: str) -> str:
    """The text after the first start and before the next end."""
    return text.split(start, 1)[1].split(end, 1)[0]


def folded(text: str) -> str:
    """The text with its whitespace folded, as pdf_text in tests.support.documents reads it."""
    return " ".join(text.split())


def test_grant_letter_opens_with_date_recipient_subject_and_numbers():
    # Act
    lines = letter_lines()

    # Assert
    assert lines[:7] == [
        "25. august 2017",
        "Bodil Clark", "Teamleder, Sygefravær og Jobfastholdelse", "Herning Kommune",
        "Tilsagn om tilskud fra puljen Sammen om fastholdelse",
        "Tilsagnsnr. 16/17959-07",
        "J.nr. 16/17959",
    ]


def test_grant_letter_first_version_does_not_mention_replacing():
    # Act
    text = body_text()

    # Assert
    assert between(text, "J.nr. 16/17959 ", " giver hermed") == AGENCY


def test_grant_letter_later_version_says_what_it_replaces_and_why():
    # Act
    text = body_text(version=3, replaces_reason="Fordelingen mellem 2017 og 2018 er ændret efter kommunens ønske.")

    # Assert
    assert between(text, "Tilsagn om tilskud fra puljen Sammen om fastholdelse ", f" {AGENCY} giver hermed") == (
        "Tilsagnsnr. 16/17959-07, version 3 J.nr. 16/17959 "
        "Dette tilsagn erstatter tilsagn nr. 16/17959-07 version 2. "
        "Begrundelse: Fordelingen mellem 2017 og 2018 er ændret efter kommunens ønske.")


def test_grant_letter_intro_names_kommune_amount_and_pool():
    # Act
    text = body_text()

    # Assert
    assert between(text, "J.nr. 16/17959 ", " Tilskuddets størrelse") == folded(HERNING_INTRO)
    assert HERNING_INTRO.split("\n")[0] == (
        f"{AGENCY} giver hermed Herning Kommune tilsagn om et tilskud på 800.000 kr. fra puljen "
        "Sammen om fastholdelse på baggrund af jeres ansøgning af 3. august 2017.")


def test_grant_letter_shows_amounts_per_year_and_total():
    # Act
    lines = letter_lines()

    # Assert
    start = lines.index("Tilskuddets størrelse")
    assert lines[start:lines.index("Periode")] == [
        "Tilskuddets størrelse",
        "Tilskuddet er på i alt 800.000 kr. fordelt på år således:",
        "År", "Beløb",
        "2017", "200.000 kr.",
        "2018", "600.000 kr.",
        "I alt", "800.000 kr.",
    ]


def test_grant_letter_states_period_and_categories():
    # Act
    lines = letter_lines()

    # Assert
    start = lines.index("Periode")
    assert lines[start:lines.index("Vilkår")] == [
        "Periode",
        "Midlerne kan bruges i perioden 1. oktober 2017 – 31. december 2018.",
        "Hvad midlerne må bruges til",
        "Midlerne må kun bruges til:",
        "– Fastholdelseskonsulenter",
        "– Kompetenceudvikling af medarbejdere",
    ]


def test_grant_letter_keeps_the_conditions_lines():
    # Act
    lines = letter_lines()

    # Assert
    start = lines.index("Vilkår")
    assert lines[start:lines.index("Accept af tilsagnet")] == [
        "Vilkår",
        "Første vilkår: samtalen holdes på arbejdspladsen.",
        "Andet vilkår: ubrugte midler betales tilbage.",
    ]


def test_grant_letter_with_standard_conditions_shows_them_in_full():
    # Act
    text = body_text(conditions=HERNING_CONDITIONS)

    # Assert
    assert between(text, " Vilkår ", " Accept af tilsagnet ") == folded(HERNING_CONDITIONS)


def test_grant_letter_ends_with_acceptance_contact_and_signature():
    # Act
    text = body_text()

    # Assert
    assert text.split(" Accept af tilsagnet ", 1)[1] == (
        "Herning Kommune skal acceptere tilsagnet i Puljeportalen senest 8. september 2017. "
        "Accepterer kommunen ikke tilsagnet inden fristen, bortfalder tilsagnet, og midlerne kan blive fordelt "
        "til andre kommuner. "
        "Kontakt Har I spørgsmål til tilsagnet, er I velkomne til at kontakte Jens Holm på fastholdelse@star.dk. "
        f"Med venlig hilsen Birthe Sørensen {AGENCY}")


def test_grant_letter_long_conditions_flow_onto_next_page_with_letterhead_and_page_numbers():
    # Arrange
    conditions = "\n".join(f"Vilkår {number}: kommunen registrerer samtalens sted og deltagere." for number in range(1, 81))

    # Act
    pages = pdf_pages(grant_letter_pdf(herning_letter(conditions=conditions)))

    # Assert
    lines = [line for page in pages for line in page[1:-1]]
    assert len(pages) >= 2
    assert [page[0] for page in pages] == [AGENCY] * len(pages)
    assert [page[-1] for page in pages] == [f"Side {number} af {len(pages)}" for number in range(1, len(pages) + 1)]
    assert [line for line in lines if line.startswith("Vilkår ")] == conditions.split("\n")
    assert lines[-3:] == ["Med venlig hilsen", "Birthe Sørensen", AGENCY]


@pytest.mark.parametrize("field", ["replaces_reason", "intro", "conditions", "signed_by"])
def test_grant_letter_text_with_markup_appears_literally(field):
    # Arrange
    hostile = 'Se <script>alert("ø")</script> & <b>fed</b> – æ, ø og å bevares.'
    version = 2 if field == "replaces_reason" else 1

    # Act
    text = body_text(version=version, **{field: hostile})

    # Assert
    assert text.count(hostile) == 1


def test_grant_letter_category_with_markup_appears_literally():
    # Arrange
    hostile = "Kurser <i>&amp;</i> <script>x</script>"

    # Act
    lines = letter_lines(categories=(hostile,))

    # Assert
    assert lines[lines.index("Midlerne må kun bruges til:") + 1] == f"– {hostile}"


def test_grant_letter_metadata_names_kommune_pool_and_version():
    # Act
    reader = PdfReader(io.BytesIO(grant_letter_pdf(herning_letter(version=2, replaces_reason="Ny fordeling."))))

    # Assert
    assert (reader.metadata.title, reader.metadata.author, reader.metadata.subject) == (
        "Tilsagn om tilskud: Herning Kommune", AGENCY,
        "Sammen om fastholdelse, J.nr. 16/17959: tilsagn nr. 16/17959-07 version 2 til Herning Kommune")


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param(dict(amounts_by_year={2017: 200_000, 2018: 500_000}), id="years-sum-short"),
        pytest.param(dict(amounts_by_year={2017: 200_000, 2018: 600_001}), id="years-sum-over"),
        pytest.param(dict(amount_kr=750_000), id="grant-differs"),
        pytest.param(dict(amounts_by_year={}), id="no-years"),
        pytest.param(dict(amounts_by_year={2017: 200_000, 2019: 600_000}), id="year-outside-period"),
        pytest.param(dict(funds_to_on=date(2017, 9, 30)), id="period-reversed"),
        pytest.param(dict(version=0), id="version-zero"),
        pytest.param(dict(version=2, replaces_reason="  "), id="replacement-without-reason"),
    ],
)
def test_grant_letter_rejects_inconsistent_input(changes):
    # Act / Assert
    with pytest.raises(ValueError):
        herning_letter(**changes)


def test_default_conditions_list_reports_and_activities():
    # Act
    lines = HERNING_CONDITIONS.split("\n")

    # Assert
    start = lines.index("Afrapportering")
    assert lines[start:start + 4] == [
        "Afrapportering", "Kommunen indsender følgende i Puljeportalen:",
        "- Midtvejsstatus: senest 30. juni 2018", "- Slutrapport og regnskab: senest 31. marts 2019",
    ]
    start = lines.index("Deltagelse i projektets aktiviteter")
    assert lines[start + 1:start + 5] == ["Kommunen deltager i projektets fælles aktiviteter:",
                                          *(f"- {activity}" for activity in ACTIVITIES)]
    assert lines[-1] == (
        "Tilskuddet må kun bruges til de formål, der er nævnt i dette brev, og kun i perioden "
        "1. oktober 2017 – 31. december 2018. Midler, der ikke er brugt ved periodens udløb, eller som er brugt til "
        "andre formål, skal betales tilbage til styrelsen.")


def test_default_conditions_without_reports_or_activities_leave_out_their_lists():
    # Act
    lines = default_conditions(funds_from_on=FUNDS_FROM_ON, funds_to_on=FUNDS_TO_ON, reports=[], activities=[]).split("\n")

    # Assert
    assert ("Afrapportering" in lines, "Kommunen deltager i projektets fælles aktiviteter:" in lines) == (False, False)


def test_default_intro_without_application_date():
    # Act
    intro = default_intro(kommune_name="Ærø Kommune", pool_name="Sammen om fastholdelse", amount_kr=123_456)

    # Assert
    assert intro.split("\n")[0] == (f"{AGENCY} giver hermed Ærø Kommune tilsagn om et tilskud på 123.456 kr. fra "
                                    "puljen Sammen om fastholdelse på baggrund af jeres ansøgning.")


@pytest.mark.parametrize(
    ("code", "name", "version", "expected"),
    [
        (657, "Herning", 1, "tilsagn-657-herning-v1.pdf"),
        (173, "Lyngby-Taarbæk", 2, "tilsagn-173-lyngby-taarbaek-v2.pdf"),
        (169, "Høje-Taastrup", 1, "tilsagn-169-hoeje-taastrup-v1.pdf"),
        (492, "Ærø", 12, "tilsagn-492-aeroe-v12.pdf"),
        (101, "København / <Indre by>", 1, "tilsagn-101-koebenhavn-indre-by-v1.pdf"),
        (999, "<>", 1, "tilsagn-999-v1.pdf"),
    ],
)
def test_grant_letter_filename_is_ascii(code, name, version, expected):
    # Act
    filename = grant_letter_filename(code=code, name=name, version=version)

    # Assert
    assert filename == expected


def test_grant_letter_renders_quickly():
    # Arrange: a realistic letter, a replacement with the standard texts
    letter = herning_letter(version=2, replaces_reason="Fordelingen mellem årene er ændret.",
                            conditions=HERNING_CONDITIONS)

    # Act
    pdf, elapsed = best_cpu_seconds(lambda: grant_letter_pdf(letter))

    # Assert
    print(f"grant_letter_pdf: {elapsed * 1000:.1f} ms, {len(pdf)} bytes, {len(pdf_pages(pdf))} pages")
    assert elapsed < 0.5, f"grant_letter_pdf took {elapsed * 1000:.0f} ms"


def test_text_blocks_make_headings_paragraphs_and_lists_of_the_standard_conditions():
    # Arrange
    conditions = default_conditions(funds_from_on=date(2017, 10, 1), funds_to_on=date(2018, 12, 31),
                                    reports=[("Midtvejsstatus", date(2018, 7, 31))],
                                    activities=["Opstartsworkshop, uge 40–43 2017"])

    # Act
    blocks = text_blocks(conditions)

    # Assert
    assert [(block.kind, len(block.lines)) for block in blocks][:5] == [
        ("heading", 1), ("paragraph", 1), ("list", 4), ("paragraph", 1), ("heading", 1)]
    assert blocks[0].lines == ("Kerneelementer",)
    assert TextBlock("list", ("Midtvejsstatus: senest 31. juli 2018",)) in blocks


@pytest.mark.parametrize(("text", "kinds"), [
    pytest.param("Vilkår\nKommunen skal …", ["heading", "paragraph"], id="a short first line heads its part"),
    pytest.param("Kort linje.\nMere tekst", ["paragraph", "paragraph"], id="a sentence does not"),
    pytest.param("Kommunen forpligter sig til:\n- a", ["paragraph", "list"], id="nor a line ending in a colon"),
    pytest.param("Alene", ["paragraph"], id="nor a line with nothing after it"),
    pytest.param("Tekst\n\nDel to\nTekst", ["paragraph", "heading", "paragraph"], id="a blank line starts a part"),
    pytest.param("- a\n- b\n\n- c", ["list", "list"], id="a blank line ends a list"),
    pytest.param("x" * 81 + "\nTekst", ["paragraph", "paragraph"], id="a long line does not head"),
])
def test_text_blocks_follow_the_letter_texts_conventions(text, kinds):
    # Act
    blocks = text_blocks(text)

    # Assert
    assert [block.kind for block in blocks] == kinds


@given(st.lists(st.one_of(st.just(""), st.text(min_size=1, max_size=40).map(lambda line: "- " + line),
                          st.text(max_size=100)), max_size=30))
def test_text_blocks_keep_every_line_once_and_in_order(lines):
    # Arrange
    text = "\n".join(line.replace("\n", " ").replace("\r", " ") for line in lines)

    # Act
    blocks = text_blocks(text)

    # Assert
    expected = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("- "):
            expected.append(stripped[2:].strip())
        elif stripped:
            expected.append(stripped)
    assert [line for block in blocks for line in block.lines] == expected

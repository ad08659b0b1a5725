"""Unit tests for portal.kommuner.reference: the packaged list of the 98 kommuner."""
from __future__ import annotations

from collections import Counter

import pytest

from portal.kommuner.enums import AMK, Region
from portal.kommuner.reference import KommuneFact, load_kommune_facts, parse_rows


def test_load_kommune_facts_gives_98_unique_codes():
    # Act
    facts = load_kommune_facts()

    # Assert
    codes = [fact.code for fact in facts]
    assert len(facts) == 98
    assert len(set(codes)) == 98


def test_load_kommune_facts_counts_per_region():
    # Act
    per_region = Counter(fact.region for fact in load_kommune_facts())

    # Assert
    assert per_region == {
        Region.HOVEDSTADEN: 29,
        Region.SJAELLAND: 17,
        Region.SYDDANMARK: 22,
        Region.MIDTJYLLAND: 19,
        Region.NORDJYLLAND: 11,
    }


def test_load_kommune_facts_counts_per_amk():
    # Act
    per_amk = Counter(fact.amk for fact in load_kommune_facts())

    # Assert
    assert per_amk == {AMK.OST: 46, AMK.MIDT_NORD: 30, AMK.SYD: 22}


def test_load_kommune_facts_population_sums_to_denmark():
    # Act
    total = sum(fact.population for fact in load_kommune_facts())

    # Assert
    assert total == 5_748_691


@pytest.mark.parametrize(
    ("code", "name", "official_name"),
    [
        (101, "København", "Københavns Kommune"),
        (400, "Bornholm", "Bornholms Regionskommune"),
        (147, "Frederiksberg", "Frederiksberg Kommune"),
        (151, "Ballerup", "Ballerup Kommune"),
    ],
)
def test_load_kommune_facts_official_names(code, name, official_name):
    # Arrange
    by_code = {fact.code: fact for fact in load_kommune_facts()}

    # Act
    fact = by_code[code]

    # Assert
    assert (fact.name, fact.official_name) == (name, official_name)


def _row(**changes) -> dict[str, str]:
    row = dict(
        kode="151", navn=" Ballerup ", region="Hovedstaden", amk="Øst",
        indbyggere="48231", indbyggere_aar="2017", lat="55.734", lon="12.360",
    )
    row.update(changes)
    return row


def test_parse_rows_good_row_gives_fact():
    # Act
    facts = parse_rows([_row()])

    # Assert
    assert facts == [
        KommuneFact(
            code=151, name="Ballerup", official_name="Ballerup Kommune", region=Region.HOVEDSTADEN,
            amk=AMK.OST, population=48_231, population_year=2017, lat=55.734, lon=12.360,
        )
    ]


@pytest.mark.parametrize(
    "changes",
    [
        {"region": "Midtsjælland"},
        {"region": ""},
        {"amk": "Nord"},
        {"kode": "abc"},
        {"indbyggere": "48.231"},
        {"lat": ""},
    ],
)
def test_parse_rows_malformed_row_raises_value_error(changes):
    # Arrange
    rows = [_row(**changes)]

    # Act / Assert
    with pytest.raises(ValueError):
        parse_rows(rows)

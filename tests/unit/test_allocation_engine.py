"""Unit tests for portal.allocation.engine: proportional, capped, exact allocation and the split per year."""
from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.allocation.engine import AllocationError, Claim, allocate, split_over_years
from portal.kommuner.reference import load_kommune_facts
from portal.pulje.facts import POOL

POOL_KR = POOL["total_kr"]
MAX_GRANT_KR = POOL["max_grant_kr"]
CODE = {fact.name: fact.code for fact in load_kommune_facts()}

# A realistic selection of 14 kommuner: volume = new sickness-benefit recipients in categories 2 + 3.
FOURTEEN = {
    "København": 3900, "Aarhus": 2100, "Odense": 880, "Aalborg": 850, "Esbjerg": 820, "Vejle": 790,
    "Kolding": 760, "Horsens": 720, "Herning": 700, "Randers": 760, "Næstved": 690, "Holbæk": 560,
    "Svendborg": 480, "Thisted": 370,
}


def _claims(volumes: dict[str, int], requested: dict[str, int] | None = None) -> list[Claim]:
    requested = requested or {}
    return [Claim(code=CODE[name], volume=volume, requested_kr=requested.get(name)) for name, volume in volumes.items()]


def _amounts(result) -> dict[int, int]:
    return {grant.code: grant.amount_kr for grant in result.grants}


def _by_name(result) -> dict[str, int]:
    name_of = {code: name for name, code in CODE.items()}
    return {name_of[grant.code]: grant.amount_kr for grant in result.grants}


# --- worked examples --------------------------------------------------------------------------------


def test_allocate_fourteen_kommuner_caps_the_two_largest_and_shares_the_rest():
    # Arrange
    claims = _claims(FOURTEEN)

    # Act
    result = allocate(pool_kr=POOL_KR, max_grant_kr=MAX_GRANT_KR, claims=claims)

    # Assert: København and Aarhus stop at 800.000 kr.; the other 12 share 7.400.000 kr. by volume (8.380).
    assert _by_name(result) == {
        "København": 800_000, "Aarhus": 800_000, "Odense": 777_088, "Aalborg": 750_597, "Esbjerg": 724_105,
        "Vejle": 697_613, "Kolding": 671_122, "Horsens": 635_800, "Herning": 618_138, "Randers": 671_122,
        "Næstved": 609_308, "Holbæk": 494_511, "Svendborg": 423_866, "Thisted": 326_730,
    }
    assert (result.pool_kr, result.allocated_kr, result.unallocated_kr, result.rounds) == (9_000_000, 9_000_000, 0, 2)
    assert sum(_amounts(result).values()) == 9_000_000
    assert [grant.limited_by for grant in result.grants if grant.capped] == ["pulje", "pulje"]
    assert result.grants[2].exact_kr == Fraction(7_400_000 * 880, 8_380)
    assert result.grants[0].share == Fraction(3_900, 14_380)


def test_allocate_capping_can_take_several_rounds():
    # Arrange: after København is capped, Aarhus's share of what is left reaches the cap too.
    claims = _claims({"København": 50, "Aarhus": 30, "Odense": 10, "Herning": 10})

    # Act
    result = allocate(pool_kr=2_200_000, max_grant_kr=800_000, claims=claims)

    # Assert
    assert _by_name(result) == {"København": 800_000, "Aarhus": 800_000, "Odense": 300_000, "Herning": 300_000}
    assert result.rounds == 3
    assert [grant.capped for grant in result.grants] == [True, True, False, False]


def test_allocate_everyone_capped_leaves_money_unallocated():
    # Arrange: 10 kommuner can take at most 10 x 800.000 kr., Herning only its own budget of 600.000 kr.
    names = ["København", "Aarhus", "Odense", "Aalborg", "Esbjerg", "Vejle", "Kolding", "Horsens", "Herning",
             "Randers"]
    claims = _claims({name: FOURTEEN[name] for name in names}, requested={"Herning": 600_000})

    # Act
    result = allocate(pool_kr=POOL_KR, max_grant_kr=MAX_GRANT_KR, claims=claims)

    # Assert
    assert _by_name(result) == {name: 600_000 if name == "Herning" else 800_000 for name in names}
    assert (result.allocated_kr, result.unallocated_kr) == (7_800_000, 1_200_000)
    assert all(grant.capped for grant in result.grants)
    assert {grant.code: grant.limited_by for grant in result.grants}[CODE["Herning"]] == "budget"


def test_allocate_own_budget_below_share_caps_and_rest_is_redistributed():
    # Arrange: Herning's share would be 450.000 kr., but it asks for 300.000 kr.
    claims = _claims({"Herning": 45, "Vejle": 30, "Thisted": 25}, requested={"Herning": 300_000, "Vejle": 900_000})

    # Act
    result = allocate(pool_kr=1_000_000, max_grant_kr=MAX_GRANT_KR, claims=claims)

    # Assert: the 700.000 kr. left are shared 30:25 (381.818,18 and 318.181,81).
    assert _by_name(result) == {"Herning": 300_000, "Vejle": 381_818, "Thisted": 318_182}
    assert [(grant.cap_kr, grant.capped, grant.limited_by) for grant in result.grants] == [
        (300_000, True, "budget"), (800_000, False, None), (800_000, False, None),
    ]


def test_allocate_requested_equal_to_max_grant_is_limited_by_the_pool():
    # Act
    result = allocate(pool_kr=POOL_KR, max_grant_kr=MAX_GRANT_KR, claims=_claims({"Herning": 1}, {"Herning": 800_000}))

    # Assert
    assert [(grant.amount_kr, grant.limited_by) for grant in result.grants] == [(800_000, "pulje")]
    assert result.unallocated_kr == 8_200_000


def test_allocate_equal_remainders_go_to_the_lower_kommunekode():
    # Arrange: 10 kr. over three equal volumes is 3 1/3 each; the one krone left goes to code 101.
    claims = _claims({"Aarhus": 7, "København": 7, "Odense": 7})

    # Act
    result = allocate(pool_kr=10, max_grant_kr=MAX_GRANT_KR, claims=claims)

    # Assert
    assert _by_name(result) == {"Aarhus": 3, "København": 4, "Odense": 3}


def test_allocate_largest_remainder_beats_lower_code():
    # Arrange: 10 kr. by 1:2 is 3 1/3 and 6 2/3; Odense (461) has the larger remainder.
    claims = _claims({"København": 1, "Odense": 2})

    # Act
    result = allocate(pool_kr=10, max_grant_kr=MAX_GRANT_KR, claims=claims)

    # Assert
    assert _by_name(result) == {"København": 3, "Odense": 7}


def test_allocate_volume_zero_gets_nothing():
    # Arrange
    claims = _claims({"Herning": 0, "Vejle": 3, "Thisted": 1})

    # Act
    result = allocate(pool_kr=1_000_000, max_grant_kr=MAX_GRANT_KR, claims=claims)

    # Assert
    assert _by_name(result) == {"Herning": 0, "Vejle": 750_000, "Thisted": 250_000}
    assert (result.grants[0].capped, result.grants[0].limited_by, result.grants[0].share) == (False, None, 0)


def test_allocate_volume_zero_does_not_count_towards_what_can_be_allocated():
    # Arrange: only Vejle can receive, and it stops at its cap.
    claims = _claims({"Herning": 0, "Vejle": 3})

    # Act
    result = allocate(pool_kr=POOL_KR, max_grant_kr=MAX_GRANT_KR, claims=claims)

    # Assert
    assert _by_name(result) == {"Herning": 0, "Vejle": 800_000}
    assert (result.allocated_kr, result.unallocated_kr) == (800_000, 8_200_000)


def test_allocate_requested_zero_gets_nothing_and_others_share():
    # Arrange
    claims = _claims({"Herning": 5, "Vejle": 5}, requested={"Herning": 0})

    # Act
    result = allocate(pool_kr=1_000, max_grant_kr=MAX_GRANT_KR, claims=claims)

    # Assert
    assert _by_name(result) == {"Herning": 0, "Vejle": 1_000}
    assert (result.grants[0].capped, result.grants[0].limited_by) == (True, "budget")


def test_allocate_raising_the_pool_can_lower_a_grant_by_one_krone():
    """Largest remainders has the 'Alabama paradox': more money can cost a kommune 1 kr."""
    # Arrange
    claims = _claims({"København": 1, "Aarhus": 3, "Odense": 3})

    # Act
    before = allocate(pool_kr=3, max_grant_kr=MAX_GRANT_KR, claims=claims)
    after = allocate(pool_kr=4, max_grant_kr=MAX_GRANT_KR, claims=claims)

    # Assert
    assert _by_name(before) == {"København": 1, "Aarhus": 1, "Odense": 1}
    assert _by_name(after) == {"København": 0, "Aarhus": 2, "Odense": 2}


# --- bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pool_kr", "max_grant_kr", "claims", "message", "code"),
    [
        (POOL_KR, MAX_GRANT_KR, [], "Der er ingen kommuner at fordele puljen imellem.", None),
        (POOL_KR, MAX_GRANT_KR, [Claim(101, 0), Claim(751, 0)],
         "Ingen af kommunerne har sager i kategori 2 og 3, så der er intet at fordele puljen efter.", None),
        (POOL_KR, MAX_GRANT_KR, [Claim(101, 10), Claim(751, -1)],
         "Kommunekode 751: antallet af sager i kategori 2 og 3 kan ikke være negativt (-1).", 751),
        (0, MAX_GRANT_KR, [Claim(101, 10)], "Puljens beløb skal være større end 0 kr. (er 0 kr.).", None),
        (-9_000_000, MAX_GRANT_KR, [Claim(101, 10)],
         "Puljens beløb skal være større end 0 kr. (er -9.000.000 kr.).", None),
        (POOL_KR, 0, [Claim(101, 10)], "Det højeste tilskud skal være større end 0 kr. (er 0 kr.).", None),
        (POOL_KR, -800_000, [Claim(101, 10)],
         "Det højeste tilskud skal være større end 0 kr. (er -800.000 kr.).", None),
        (POOL_KR, MAX_GRANT_KR, [Claim(657, 10, requested_kr=-200_000)],
         "Kommunekode 657: det ansøgte beløb kan ikke være negativt (-200.000 kr.).", 657),
        (POOL_KR, MAX_GRANT_KR, [Claim(657, 10), Claim(101, 5), Claim(657, 3)],
         "Kommunekode 657 optræder mere end én gang.", 657),
    ],
)
def test_allocate_bad_input_raises_allocation_error(pool_kr, max_grant_kr, claims, message, code):
    # Act
    with pytest.raises(AllocationError) as caught:
        allocate(pool_kr=pool_kr, max_grant_kr=max_grant_kr, claims=claims)

    # Assert
    assert (str(caught.value), caught.value.message, caught.value.code) == (message, message, code)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("pool_kr", "claims"),
    [(9_000_000.0, [Claim(101, 1)]), (POOL_KR, [Claim(101, 1.5)]), (POOL_KR, [Claim(101, True)]),
     (POOL_KR, [Claim(101, 1, requested_kr=Fraction(1, 2))])],
)
def test_allocate_non_integer_numbers_raise_type_error(pool_kr, claims):
    # Act / Assert
    with pytest.raises(TypeError):
        allocate(pool_kr=pool_kr, max_grant_kr=MAX_GRANT_KR, claims=claims)


# --- split over budget years ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount_kr", "budget", "expected"),
    [
        (800_000, {2017: 200_000, 2018: 600_000}, {2017: 200_000, 2018: 600_000}),  # Herning's grant letter
        (700_000, {2017: 200_000, 2018: 600_000}, {2017: 175_000, 2018: 525_000}),
        (10, {2018: 1, 2017: 1}, {2017: 5, 2018: 5}),
        (1, {2018: 1, 2017: 1}, {2017: 1, 2018: 0}),  # a tie goes to the earlier year
        (2, {2017: 1, 2018: 2}, {2017: 1, 2018: 1}),  # 2/3 and 4/3: the larger remainder wins
        (500_000, {2017: 0, 2018: 600_000}, {2017: 0, 2018: 500_000}),
        (0, {2017: 200_000, 2018: 600_000}, {2017: 0, 2018: 0}),
    ],
)
def test_split_over_years_follows_the_budget(amount_kr, budget, expected):
    # Act
    split = split_over_years(amount_kr, budget)

    # Assert
    assert split == expected
    assert list(split) == sorted(split)


@pytest.mark.parametrize(
    ("amount_kr", "budget", "message"),
    [
        (800_000, {}, "Budgettet er 0 kr. i alle år, så tilskuddet kan ikke fordeles på år."),
        (800_000, {2017: 0, 2018: 0}, "Budgettet er 0 kr. i alle år, så tilskuddet kan ikke fordeles på år."),
        (800_000, {2017: -1, 2018: 600_000}, "Budgettet for 2017 kan ikke være negativt (-1 kr.)."),
        (-800_000, {2017: 200_000}, "Tilskuddet kan ikke være negativt (-800.000 kr.)."),
    ],
)
def test_split_over_years_bad_input_raises_allocation_error(amount_kr, budget, message):
    # Act
    with pytest.raises(AllocationError) as caught:
        split_over_years(amount_kr, budget)

    # Assert
    assert str(caught.value) == message


# --- properties -------------------------------------------------------------------------------------------

ALL_CODES = sorted(CODE.values())


@st.composite
def allocations(draw):
    """Keyword arguments for allocate(): up to 14 distinct kommuner, at least one with a volume."""
    codes = draw(st.lists(st.sampled_from(ALL_CODES), min_size=1, max_size=14, unique=True))
    volumes = draw(st.lists(st.integers(0, 5_000), min_size=len(codes), max_size=len(codes)))
    if not any(volumes):
        volumes[draw(st.integers(0, len(volumes) - 1))] = draw(st.integers(1, 5_000))
    requested = draw(st.lists(st.none() | st.integers(0, 1_000_000), min_size=len(codes), max_size=len(codes)))
    claims = [Claim(code, volume, asked) for code, volume, asked in zip(codes, volumes, requested)]
    pool_kr = draw(st.integers(1, 12_000_000))
    max_grant_kr = draw(st.integers(1, 1_000_000))
    return {"pool_kr": pool_kr, "max_grant_kr": max_grant_kr, "claims": claims}


def _cap(claim: Claim, max_grant_kr: int) -> int:
    return max_grant_kr if claim.requested_kr is None else min(max_grant_kr, claim.requested_kr)


@settings(max_examples=150, database=None)
@given(allocations())
def test_allocate_adds_up_exactly_to_what_the_caps_allow(kwargs):
    # Act
    result = allocate(**kwargs)

    # Assert
    room_kr = sum(_cap(claim, kwargs["max_grant_kr"]) for claim in kwargs["claims"] if claim.volume > 0)
    assert sum(grant.amount_kr for grant in result.grants) == result.allocated_kr
    assert result.allocated_kr == min(kwargs["pool_kr"], room_kr)
    assert result.unallocated_kr == kwargs["pool_kr"] - result.allocated_kr
    assert [grant.code for grant in result.grants] == [claim.code for claim in kwargs["claims"]]


@settings(max_examples=150, database=None)
@given(allocations())
def test_allocate_keeps_every_grant_between_zero_and_its_cap(kwargs):
    # Act
    result = allocate(**kwargs)

    # Assert
    for claim, grant in zip(kwargs["claims"], result.grants):
        assert grant.cap_kr == _cap(claim, kwargs["max_grant_kr"])
        assert 0 <= grant.amount_kr <= grant.cap_kr
        assert abs(grant.amount_kr - grant.exact_kr) < 1
        assert grant.capped == (grant.exact_kr == grant.cap_kr and claim.volume > 0)
        if claim.volume == 0:
            assert grant.amount_kr == 0


@settings(max_examples=200, database=None)
@given(allocations())
def test_allocate_is_proportional_among_the_uncapped(kwargs):
    # Act
    result = allocate(**kwargs)

    # Assert
    uncapped = [grant for grant in result.grants if not grant.capped and grant.volume > 0]
    capped = [grant for grant in result.grants if grant.capped]
    if not uncapped:
        return  # every kommune with a volume is at its cap
    assert result.unallocated_kr == 0
    left_kr = kwargs["pool_kr"] - sum(grant.cap_kr for grant in capped)
    level = Fraction(left_kr, sum(grant.volume for grant in uncapped))  # kroner per unit of volume
    for grant in uncapped:
        assert abs(grant.amount_kr - level * grant.volume) < 1
        assert level * grant.volume < grant.cap_kr
    for grant in capped:  # its volume share at the final level would have given it at least its cap
        assert level * grant.volume >= grant.cap_kr


@settings(max_examples=100, database=None)
@given(allocations(), st.randoms(use_true_random=False))
def test_allocate_order_of_claims_changes_no_amount(kwargs, random):
    # Arrange
    shuffled = list(kwargs["claims"])
    random.shuffle(shuffled)

    # Act
    first = allocate(**kwargs)
    again = allocate(**kwargs)
    reordered = allocate(**{**kwargs, "claims": shuffled})

    # Assert
    assert again == first
    assert _amounts(reordered) == _amounts(first)


@settings(max_examples=200, database=None)
@given(allocations(), st.data())
def test_allocate_more_volume_never_lowers_the_amount(kwargs, data):
    """Raising one kommune's volume (all else equal) never lowers its amount, not even by 1 kr.

    Exactly, its share only grows and every other share only shrinks. After rounding, another kommune
    can only overtake it on the remainder by losing a whole krone from its floor, and each such loss
    frees one more krone for the remainders, so the kommune keeps its extra krone. (Raising the pool
    is another matter: see the Alabama paradox test above.)
    """
    # Arrange
    claims = kwargs["claims"]
    index = data.draw(st.integers(0, len(claims) - 1))
    extra = data.draw(st.integers(1, 5_000))
    raised = list(claims)
    raised[index] = Claim(claims[index].code, claims[index].volume + extra, claims[index].requested_kr)

    # Act
    before = allocate(**kwargs)
    after = allocate(**{**kwargs, "claims": raised})

    # Assert
    assert after.grants[index].exact_kr >= before.grants[index].exact_kr
    assert after.grants[index].amount_kr >= before.grants[index].amount_kr


@settings(max_examples=150, database=None)
@given(
    st.integers(0, 2_000_000),
    st.dictionaries(st.integers(2017, 2022), st.integers(0, 1_000_000), min_size=1, max_size=6).filter(
        lambda budget: sum(budget.values()) > 0
    ),
)
def test_split_over_years_adds_up_and_is_proportional(amount_kr, budget):
    # Act
    split = split_over_years(amount_kr, budget)

    # Assert
    total_kr = sum(budget.values())
    assert sum(split.values()) == amount_kr
    assert set(split) == set(budget)
    for year, part_kr in split.items():
        assert abs(part_kr - Fraction(amount_kr * budget[year], total_kr)) < 1
        if budget[year] == 0:
            assert part_kr == 0

"""Unit tests for portal.grants.money: the payment plan, the money summary, change requests and replanning."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.grants.money import (
    GrantMoney,
    GrantMoneyError,
    MoneySummary,
    PlannedPayment,
    amounts_by_category,
    amounts_by_year,
    apply_change,
    line_field,
    money_summary,
    payment_plan,
    replan,
    total_by_year,
)
from portal.grants.states import GrantStatus

HERNING = 657
ACCEPTED_ON = date(2017, 10, 20)
KONSULENTER = "fastholdelseskonsulenter"
KOMPETENCE = "kompetenceudvikling"
YEARS = {2017, 2018}
CATEGORIES = {KONSULENTER, KOMPETENCE}
# Herning's grant letter: 800.000 kr., 200.000 kr. in 2017 and 600.000 kr. in 2018.
HERNING_SPLIT = {(2017, KONSULENTER): 150_000, (2017, KOMPETENCE): 50_000, (2018, KONSULENTER): 600_000}
HERNING_PLAN = [
    PlannedPayment(year=2017, due_on=date(2017, 10, 20), amount_kr=200_000),
    PlannedPayment(year=2018, due_on=date(2018, 1, 1), amount_kr=600_000),
]


def _change(requested, *, paid_by_year=None, current=None):
    return apply_change(
        HERNING_SPLIT if current is None else current,
        requested,
        paid_by_year=paid_by_year or {},
        allowed_years=YEARS,
        allowed_categories=CATEGORIES,
    )


# --- payment plan ---------------------------------------------------------------------------------------


def test_payment_plan_herning_pays_the_begun_year_on_acceptance_and_the_next_on_1_january():
    # Act
    plan = payment_plan({2017: 200_000, 2018: 600_000}, accepted_on=ACCEPTED_ON)

    # Assert
    assert plan == HERNING_PLAN


@pytest.mark.parametrize(
    ("amounts", "accepted_on", "expected"),
    [
        # accepted before the period: each year on its 1 January
        ({2018: 600_000, 2017: 200_000}, date(2016, 12, 1),
         [PlannedPayment(2017, date(2017, 1, 1), 200_000), PlannedPayment(2018, date(2018, 1, 1), 600_000)]),
        # accepted late: both years have begun, both due on acceptance, the earlier year first
        ({2018: 600_000, 2017: 200_000}, date(2018, 2, 1),
         [PlannedPayment(2017, date(2018, 2, 1), 200_000), PlannedPayment(2018, date(2018, 2, 1), 600_000)]),
        # accepted on 1 January: that year is due the same day
        ({2017: 200_000, 2018: 600_000}, date(2018, 1, 1),
         [PlannedPayment(2017, date(2018, 1, 1), 200_000), PlannedPayment(2018, date(2018, 1, 1), 600_000)]),
        # a year of 0 kr. gets no payment
        ({2017: 0, 2018: 800_000}, ACCEPTED_ON, [PlannedPayment(2018, date(2018, 1, 1), 800_000)]),
        ({}, ACCEPTED_ON, []),
    ],
)
def test_payment_plan_is_due_at_the_start_of_the_year_or_on_acceptance(amounts, accepted_on, expected):
    # Act
    plan = payment_plan(amounts, accepted_on=accepted_on)

    # Assert
    assert plan == expected


def test_payment_plan_negative_amount_raises():
    # Act
    with pytest.raises(GrantMoneyError) as caught:
        payment_plan({2017: 200_000, 2018: -1}, accepted_on=ACCEPTED_ON)

    # Assert
    assert (str(caught.value), caught.value.field) == ("Beløbet for 2018 kan ikke være negativt (-1 kr.).", None)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("amounts", [{2017: 200_000.0}, {2017: True}, {"2017": 1}])
def test_payment_plan_non_integer_numbers_raise_type_error(amounts):
    # Act / Assert
    with pytest.raises(TypeError):
        payment_plan(amounts, accepted_on=ACCEPTED_ON)


def test_total_by_year_adds_up_payments_per_year():
    # Arrange
    payments = [PlannedPayment(2018, date(2018, 1, 1), 600_000), PlannedPayment(2017, date(2017, 10, 20), 200_000),
                PlannedPayment(2018, date(2018, 5, 1), 50_000)]

    # Act / Assert
    assert total_by_year(payments) == {2017: 200_000, 2018: 650_000}
    assert list(total_by_year(payments)) == [2017, 2018]


# --- money summary ----------------------------------------------------------------------------------------


def test_money_summary_of_a_pool_in_every_state():
    # Arrange: Herning accepted and has had its 2017 payment; one issued, one draft, one declined, one expired.
    grants = [
        GrantMoney(HERNING, "accepted", 800_000, 200_000),
        GrantMoney(101, "issued", 800_000, 0),
        GrantMoney(751, "draft", 700_000, 0),
        GrantMoney(461, "declined", 600_000, 0),
        GrantMoney(851, "expired", 500_000, 0),
    ]

    # Act
    summary = money_summary(grants, pool_kr=9_000_000)

    # Assert
    assert summary == MoneySummary(
        draft_kr=700_000, granted_kr=1_600_000, accepted_kr=800_000, not_yet_accepted_kr=800_000,
        paid_kr=200_000, remaining_to_pay_kr=600_000, freed_kr=1_100_000,
        pool_kr=9_000_000, available_kr=7_400_000, unallocated_kr=6_700_000,
    )


def test_money_summary_without_pool_leaves_pool_figures_out():
    # Act
    summary = money_summary([GrantMoney(HERNING, "accepted", 800_000, 0)])

    # Assert
    assert (summary.pool_kr, summary.available_kr, summary.unallocated_kr) == (None, None, None)
    assert (summary.granted_kr, summary.remaining_to_pay_kr) == (800_000, 800_000)


def test_money_summary_of_nothing_is_zero():
    # Act / Assert
    assert money_summary([], pool_kr=9_000_000) == MoneySummary(0, 0, 0, 0, 0, 0, 0, 9_000_000, 9_000_000, 9_000_000)


def test_money_summary_reissued_letter_keeps_what_is_paid_accepted():
    """A changed letter goes out again (accepted -> issued): what was paid under the old one stays accepted."""
    # Act
    summary = money_summary([GrantMoney(HERNING, "issued", 800_000, 200_000)])

    # Assert
    assert (summary.granted_kr, summary.accepted_kr, summary.not_yet_accepted_kr) == (800_000, 200_000, 600_000)
    assert (summary.paid_kr, summary.remaining_to_pay_kr, summary.freed_kr) == (200_000, 0, 0)


def test_money_summary_declined_after_payment_frees_only_the_unpaid_part():
    # Act
    summary = money_summary([GrantMoney(HERNING, "declined", 800_000, 200_000)], pool_kr=1_000_000)

    # Assert
    assert (summary.granted_kr, summary.accepted_kr, summary.paid_kr, summary.freed_kr) == (
        200_000, 200_000, 200_000, 600_000)
    assert summary.available_kr == 800_000


def test_money_summary_drafts_beyond_the_pool_make_unallocated_negative():
    # Act
    summary = money_summary([GrantMoney(101, "issued", 800_000), GrantMoney(HERNING, "draft", 300_000)],
                            pool_kr=1_000_000)

    # Assert
    assert (summary.available_kr, summary.unallocated_kr) == (200_000, -100_000)


def test_money_summary_accepts_grant_status_members():
    # Act
    summary = money_summary([GrantMoney(HERNING, GrantStatus.ACCEPTED, 800_000, 200_000),
                             GrantMoney(101, GrantStatus.EXPIRED, 500_000)])

    # Assert
    assert (summary.accepted_kr, summary.remaining_to_pay_kr, summary.freed_kr) == (800_000, 600_000, 500_000)


@pytest.mark.parametrize(
    ("grants", "pool_kr", "message"),
    [
        ([GrantMoney(HERNING, "paid", 800_000)], None, 'Kommunekode 657: ukendt status for tilsagnet ("paid").'),
        ([GrantMoney(HERNING, "issued", -1)], None, "Kommunekode 657: tilsagnet kan ikke være negativt (-1 kr.)."),
        ([GrantMoney(HERNING, "accepted", 800_000, -1)], None,
         "Kommunekode 657: det udbetalte beløb kan ikke være negativt (-1 kr.)."),
        ([GrantMoney(HERNING, "accepted", 800_000, 900_000)], None,
         "Kommunekode 657: der er udbetalt 900.000 kr., mere end tilsagnet på 800.000 kr."),
        ([GrantMoney(HERNING, "draft", 800_000, 1)], None,
         "Kommunekode 657: der er udbetalt 1 kr. på et tilsagn, der endnu ikke er udstedt."),
        ([], -1, "Puljens beløb kan ikke være negativt (-1 kr.)."),
        ([GrantMoney(101, "accepted", 800_000), GrantMoney(HERNING, "issued", 800_000)], 1_500_000,
         "Tilsagnene er på 1.600.000 kr. i alt og overstiger puljen på 1.500.000 kr."),
    ],
)
def test_money_summary_bad_input_raises(grants, pool_kr, message):
    # Act
    with pytest.raises(GrantMoneyError) as caught:
        money_summary(grants, pool_kr=pool_kr)

    # Assert
    assert (str(caught.value), caught.value.message, caught.value.field) == (message, message, None)


@pytest.mark.parametrize("grant", [GrantMoney(HERNING, "accepted", 800_000.0), GrantMoney(HERNING, "accepted", 1, True)])
def test_money_summary_non_integer_numbers_raise_type_error(grant):
    # Act / Assert
    with pytest.raises(TypeError):
        money_summary([grant])


# --- change requests -----------------------------------------------------------------------------------------


def test_amounts_by_year_and_category_add_up_the_split():
    # Act / Assert
    assert amounts_by_year(HERNING_SPLIT) == {2017: 200_000, 2018: 600_000}
    assert amounts_by_category(HERNING_SPLIT) == {KONSULENTER: 750_000, KOMPETENCE: 50_000}
    assert list(amounts_by_category(HERNING_SPLIT)) == [KONSULENTER, KOMPETENCE]


def test_apply_change_herning_moves_money_to_2018_and_to_competences():
    # Arrange: 2017's payment is made; 50.000 kr. of 2017's competence money moves to 2018, and 100.000 kr.
    # of 2018's consultant money goes to competences.
    requested = {(2017, KONSULENTER): 150_000, (2017, KOMPETENCE): 50_000, (2018, KONSULENTER): 500_000,
                 (2018, KOMPETENCE): 100_000}

    # Act
    new = _change(requested, paid_by_year={2017: 200_000})

    # Assert
    assert new == requested
    assert list(new) == sorted(requested)


def test_apply_change_moves_a_year_down_to_what_is_paid_and_drops_zero_lines():
    # Arrange: nothing paid yet; 2017 gets less, 2018 more.
    requested = {(2018, KOMPETENCE): 100_000, (2017, KONSULENTER): 100_000, (2017, KOMPETENCE): 0,
                 (2018, KONSULENTER): 600_000}

    # Act
    new = _change(requested, paid_by_year={2017: 100_000})

    # Assert
    assert new == {(2017, KONSULENTER): 100_000, (2018, KONSULENTER): 600_000, (2018, KOMPETENCE): 100_000}
    assert list(new) == [(2017, KONSULENTER), (2018, KONSULENTER), (2018, KOMPETENCE)]
    assert amounts_by_year(new) == {2017: 100_000, 2018: 700_000}


def test_apply_change_unchanged_split_is_valid():
    # Act / Assert
    assert _change(dict(HERNING_SPLIT), paid_by_year={2017: 200_000}) == HERNING_SPLIT


@pytest.mark.parametrize(
    ("requested", "paid_by_year", "message", "field"),
    [
        ({(2017, KONSULENTER): 200_000, (2018, KONSULENTER): 590_000}, {},
         "Ændringen skal holde tilskuddet på 800.000 kr.; den nye fordeling er på 790.000 kr.", None),
        ({}, {}, "Ændringen skal holde tilskuddet på 800.000 kr.; den nye fordeling er på 0 kr.", None),
        ({(2017, KONSULENTER): 200_000, (2019, KONSULENTER): 600_000}, {},
         "2019 ligger uden for tilskudsperioden; pengene kan kun bruges i 2017 og 2018.",
         "amount_2019_fastholdelseskonsulenter"),
        ({(2017, KONSULENTER): 200_000, (2018, "husleje"): 600_000}, {},
         'Budgetkategorien "husleje" findes ikke i puljen.', "amount_2018_husleje"),
        ({(2017, KONSULENTER): 200_001, (2018, KOMPETENCE): -1, (2018, KONSULENTER): 600_000}, {},
         "Beløbet til kompetenceudvikling i 2018 kan ikke være negativt (-1 kr.).", "amount_2018_kompetenceudvikling"),
        ({(2017, KONSULENTER): 150_000, (2018, KONSULENTER): 650_000}, {2017: 200_000},
         "Der er allerede udbetalt 200.000 kr. for 2017, så året kan ikke sættes ned til 150.000 kr.", None),
        ({(2018, KONSULENTER): 800_000}, {2017: 200_000},
         "Der er allerede udbetalt 200.000 kr. for 2017, så året kan ikke sættes ned til 0 kr.", None),
    ],
)
def test_apply_change_broken_rule_raises(requested, paid_by_year, message, field):
    # Act
    with pytest.raises(GrantMoneyError) as caught:
        _change(requested, paid_by_year=paid_by_year)

    # Assert
    assert (str(caught.value), caught.value.field) == (message, field)


def test_apply_change_checks_the_lines_before_the_total():
    # Act: both the year and the total are wrong; the line is told first.
    with pytest.raises(GrantMoneyError) as caught:
        _change({(2016, KONSULENTER): 1})

    # Assert
    assert str(caught.value) == "2016 ligger uden for tilskudsperioden; pengene kan kun bruges i 2017 og 2018."


@pytest.mark.parametrize(
    "requested",
    [{(2017, KONSULENTER): 200_000.0, (2018, KONSULENTER): 600_000}, {("2017", KONSULENTER): 800_000},
     {(2017, 1): 800_000}],
)
def test_apply_change_non_integer_numbers_raise_type_error(requested):
    # Act / Assert
    with pytest.raises(TypeError):
        _change(requested)


def test_line_field_names_the_year_and_category():
    # Act / Assert
    assert line_field(2018, KOMPETENCE) == "amount_2018_kompetenceudvikling"


# --- replanning ------------------------------------------------------------------------------------------------


def test_replan_herning_after_2017_is_paid_keeps_it_and_adjusts_2018():
    # Arrange: 2017 is paid; the change moves 50.000 kr. from 2018 to 2017 — on 1 March 2018.
    paid = [HERNING_PLAN[0]]

    # Act
    plan = replan(HERNING_PLAN, paid=paid, new_amounts_by_year={2017: 250_000, 2018: 550_000}, today=date(2018, 3, 1))

    # Assert: the 2017 difference is a new payment due on the day of the change; 2018 keeps its due date.
    assert plan == [
        PlannedPayment(2017, date(2017, 10, 20), 200_000),
        PlannedPayment(2018, date(2018, 1, 1), 550_000),
        PlannedPayment(2017, date(2018, 3, 1), 50_000),
    ]


def test_replan_before_any_payment_grows_and_shrinks_the_unpaid_payments():
    # Act
    plan = replan(HERNING_PLAN, paid=[], new_amounts_by_year={2017: 100_000, 2018: 700_000}, today=date(2017, 11, 1))

    # Assert
    assert plan == [PlannedPayment(2017, date(2017, 10, 20), 100_000), PlannedPayment(2018, date(2018, 1, 1), 700_000)]


def test_replan_drops_a_year_that_comes_to_nothing_and_adds_a_new_one():
    # Act: all of 2017 moves to 2018, and a 2019 (outside this pool, but replan does not judge periods) appears.
    plan = replan(HERNING_PLAN, paid=[], new_amounts_by_year={2017: 0, 2018: 700_000, 2019: 100_000},
                  today=date(2017, 11, 1))

    # Assert
    assert plan == [PlannedPayment(2018, date(2018, 1, 1), 700_000), PlannedPayment(2019, date(2019, 1, 1), 100_000)]


def test_replan_everything_paid_and_unchanged_is_the_paid_plan():
    # Act
    plan = replan(HERNING_PLAN, paid=list(reversed(HERNING_PLAN)), new_amounts_by_year={2017: 200_000, 2018: 600_000},
                  today=date(2018, 6, 1))

    # Assert
    assert plan == HERNING_PLAN


@pytest.mark.parametrize(
    ("paid", "new_amounts", "message"),
    [
        ([HERNING_PLAN[0]], {2017: 150_000, 2018: 650_000},
         "Der er allerede udbetalt 200.000 kr. for 2017, så året kan ikke sættes ned til 150.000 kr."),
        ([PlannedPayment(2017, date(2017, 10, 20), 100_000)], {2017: 200_000, 2018: 600_000},
         "En udbetaling på 100.000 kr. for 2017 findes ikke i udbetalingsplanen."),
        ([HERNING_PLAN[0], HERNING_PLAN[0]], {2017: 400_000, 2018: 400_000},
         "En udbetaling på 200.000 kr. for 2017 findes ikke i udbetalingsplanen."),
        ([], {2017: -1, 2018: 800_001}, "Beløbet for 2017 kan ikke være negativt (-1 kr.)."),
    ],
)
def test_replan_broken_rule_raises(paid, new_amounts, message):
    # Act
    with pytest.raises(GrantMoneyError) as caught:
        replan(HERNING_PLAN, paid=paid, new_amounts_by_year=new_amounts, today=date(2018, 3, 1))

    # Assert
    assert str(caught.value) == message


# --- properties ----------------------------------------------------------------------------------------------------

amounts = st.dictionaries(st.integers(2015, 2022), st.integers(0, 1_000_000), max_size=6)
days = st.dates(date(2014, 1, 1), date(2023, 12, 31))


@settings(max_examples=100, database=None)
@given(amounts, days)
def test_payment_plan_adds_up_to_the_grant(amounts_by_year_, accepted_on):
    # Act
    plan = payment_plan(amounts_by_year_, accepted_on=accepted_on)

    # Assert
    assert sum(payment.amount_kr for payment in plan) == sum(amounts_by_year_.values())
    assert total_by_year(plan) == {year: kr for year, kr in sorted(amounts_by_year_.items()) if kr > 0}
    assert all(payment.amount_kr > 0 and payment.due_on >= accepted_on for payment in plan)
    assert all(payment.due_on == max(date(payment.year, 1, 1), accepted_on) for payment in plan)
    assert plan == sorted(plan, key=lambda payment: (payment.due_on, payment.year))


@st.composite
def grant_money(draw):
    status = draw(st.sampled_from(["draft", "issued", "accepted", "declined", "expired"]))
    amount_kr = draw(st.integers(0, 800_000))
    paid_kr = 0 if status == "draft" else draw(st.integers(0, amount_kr))
    return GrantMoney(draw(st.integers(101, 860)), status, amount_kr, paid_kr)


@settings(max_examples=100, database=None)
@given(st.lists(grant_money(), max_size=14), st.integers(0, 3_000_000))
def test_money_summary_always_adds_up(grants, spare_kr):
    # Arrange: a pool that holds every letter out, with some to spare.
    letters_kr = sum(g.amount_kr if g.status in ("issued", "accepted") else g.paid_kr for g in grants)
    pool_kr = letters_kr + spare_kr

    # Act
    summary = money_summary(grants, pool_kr=pool_kr)

    # Assert
    assert summary.granted_kr == summary.accepted_kr + summary.not_yet_accepted_kr == letters_kr
    assert summary.accepted_kr == summary.paid_kr + summary.remaining_to_pay_kr
    assert summary.paid_kr == sum(grant.paid_kr for grant in grants)
    assert sum(grant.amount_kr for grant in grants) == summary.draft_kr + summary.granted_kr + summary.freed_kr
    assert summary.pool_kr == summary.available_kr + summary.granted_kr
    assert summary.available_kr == summary.unallocated_kr + summary.draft_kr
    assert min(summary.draft_kr, summary.not_yet_accepted_kr, summary.remaining_to_pay_kr, summary.freed_kr,
               summary.available_kr) >= 0


@st.composite
def change_requests(draw):
    """A current split, what is paid per year (never above the year), and a requested split: the
    current total shared at random over allowed lines."""
    keys = sorted((year, category) for year in YEARS for category in CATEGORIES)
    current = {key: draw(st.integers(0, 400_000)) for key in keys}
    paid_by_year = {year: draw(st.integers(0, kr)) for year, kr in amounts_by_year(current).items()}
    cuts = sorted(draw(st.lists(st.integers(0, sum(current.values())), min_size=len(keys) - 1,
                                max_size=len(keys) - 1)))
    bounds = [0, *cuts, sum(current.values())]
    requested = {key: bounds[i + 1] - bounds[i] for i, key in enumerate(keys)}
    return current, paid_by_year, requested


@settings(max_examples=150, database=None)
@given(change_requests())
def test_apply_change_valid_keeps_the_total_and_never_goes_below_paid(case):
    # Arrange
    current, paid_by_year, requested = case
    new_by_year = amounts_by_year(requested)
    valid = all(new_by_year[year] >= paid_kr for year, paid_kr in paid_by_year.items())

    # Act
    if not valid:
        with pytest.raises(GrantMoneyError):
            _change(requested, paid_by_year=paid_by_year, current=current)
        return
    new = _change(requested, paid_by_year=paid_by_year, current=current)

    # Assert
    assert sum(new.values()) == sum(current.values())
    assert new == {key: kr for key, kr in requested.items() if kr > 0}
    assert all(amounts_by_year(new).get(year, 0) >= paid_kr for year, paid_kr in paid_by_year.items())


@settings(max_examples=150, database=None)
@given(amounts, days, st.data())
def test_replan_keeps_paid_payments_and_adds_up_to_the_new_total(old_amounts, accepted_on, data):
    # Arrange: some of the plan is paid; new amounts never below what is paid for a year.
    plan = payment_plan(old_amounts, accepted_on=accepted_on)
    paid = [payment for payment in plan if data.draw(st.booleans())]
    paid_by_year = total_by_year(paid)
    years = sorted(set(old_amounts) | set(data.draw(st.lists(st.integers(2015, 2022), max_size=2))))
    new_amounts = {year: paid_by_year.get(year, 0) + data.draw(st.integers(0, 1_000_000)) for year in years}
    today = data.draw(st.dates(accepted_on, date(2024, 12, 31)))

    # Act
    new_plan = replan(plan, paid=paid, new_amounts_by_year=new_amounts, today=today)

    # Assert
    unpaid = list(new_plan)
    for payment in paid:
        unpaid.remove(payment)  # every paid payment is still there, unchanged
    assert total_by_year(new_plan) == {year: kr for year, kr in sorted(new_amounts.items()) if kr > 0}
    assert sum(payment.amount_kr for payment in new_plan) == sum(new_amounts.values())
    assert len({payment.year for payment in unpaid}) == len(unpaid)
    assert all(payment.amount_kr > 0 for payment in unpaid)
    assert [(p.due_on, p.year) for p in new_plan] == sorted((p.due_on, p.year) for p in new_plan)

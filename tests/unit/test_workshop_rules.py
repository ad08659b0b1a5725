"""Unit tests for portal.workshops.rules: eligibility, participants, places and the waiting list."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.kommuner.enums import AMK
from portal.workshops.rules import (
    Audience,
    BookingStatus,
    EventFacts,
    EventKind,
    KommuneFacts,
    Participant,
    WaitingEntry,
    booking_problem,
    can_change_booking,
    next_waiting_position,
    participants_problems,
    promote_from_waiting_list,
    status_for_new_booking,
    under_booked,
)

# Friday 29 September 2017 at 12.00 in Copenhagen (CEST, UTC+2); the workshop is on Tuesday in week 40.
DEADLINE_AT = datetime(2017, 9, 29, 10, 0, tzinfo=UTC)
STARTS_AT = datetime(2017, 10, 3, 7, 0, tzinfo=UTC)
BEFORE = DEADLINE_AT - timedelta(seconds=1)
DEADLINE_TEXT = "Tilmeldingsfristen var 29. september 2017 kl. 12.00."

OPSTART_MIDT_NORD = EventFacts(
    kind=EventKind.OPSTART, audience=Audience.PARTICIPANTS, amk=None, capacity=5, seats_per_kommune=3,
    booking_deadline_at=DEADLINE_AT, starts_at=STARTS_AT,
)
NETVAERK_SYD = replace(OPSTART_MIDT_NORD, kind=EventKind.NETVAERK, amk=AMK.SYD, capacity=20)
INSPIRATION = replace(OPSTART_MIDT_NORD, kind=EventKind.INSPIRATION, audience=Audience.NON_PARTICIPANTS, capacity=1)
HERNING = KommuneFacts(code=657, amk=AMK.MIDT_NORD, participating=True)
ODENSE = KommuneFacts(code=461, amk=AMK.SYD, participating=True)
AEROE = KommuneFacts(code=492, amk=AMK.SYD, participating=False)


def person(name="Mette Hansen", role="Jobcenterchef", email="mette@herning.dk") -> Participant:
    return Participant(name=name, role=role, email=email)


# --- enums ----------------------------------------------------------------------------------------


def test_enum_labels_are_danish():
    # Act / Assert
    assert [(kind.value, kind.label) for kind in EventKind] == [
        ("opstart", "Opstartsworkshop"),
        ("netvaerk", "Netværksmøde"),
        ("sparring", "Sparringsbesøg"),
        ("inspiration", "Inspirationsworkshop"),
        ("afslutning", "Afslutningsseminar"),
    ]
    assert [audience.label for audience in Audience] == [
        "Deltagende kommuner", "Kommuner uden for projektet", "Alle kommuner",
    ]
    assert [status.label for status in BookingStatus] == ["Tilmeldt", "På venteliste", "Afmeldt"]


def test_event_facts_deadline_after_start_raises_value_error():
    # Act / Assert
    with pytest.raises(ValueError):
        replace(OPSTART_MIDT_NORD, booking_deadline_at=STARTS_AT + timedelta(minutes=1))


@pytest.mark.parametrize("field", ["capacity", "seats_per_kommune"])
def test_event_facts_without_places_raises_value_error(field):
    # Act / Assert
    with pytest.raises(ValueError):
        replace(OPSTART_MIDT_NORD, **{field: 0})


# --- who may book ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "kommune", "now", "here", "of_kind", "expected"),
    [
        pytest.param(OPSTART_MIDT_NORD, HERNING, BEFORE, False, 0, None, id="opstart-open"),
        pytest.param(OPSTART_MIDT_NORD, HERNING, DEADLINE_AT, False, 0, DEADLINE_TEXT, id="at-deadline-closed"),
        pytest.param(OPSTART_MIDT_NORD, AEROE, DEADLINE_AT, False, 0, DEADLINE_TEXT, id="deadline-before-audience"),
        pytest.param(OPSTART_MIDT_NORD, AEROE, BEFORE, False, 0,
                     "Kun kommuner, der deltager i projektet, kan tilmelde sig.", id="participants-only"),
        pytest.param(INSPIRATION, HERNING, BEFORE, False, 0,
                     "Kun kommuner uden for projektet kan tilmelde sig.", id="non-participants-only"),
        pytest.param(INSPIRATION, AEROE, BEFORE, False, 0, None, id="inspiration-open"),
        pytest.param(INSPIRATION, AEROE, BEFORE, False, 1,
                     "Kommunen er allerede tilmeldt en inspirationsworkshop.", id="inspiration-one-per-kommune"),
        pytest.param(NETVAERK_SYD, HERNING, BEFORE, False, 0,
                     "Mødet er for kommuner i AMK Syd.", id="amk-mismatch"),
        pytest.param(NETVAERK_SYD, ODENSE, BEFORE, False, 0, None, id="amk-match"),
        pytest.param(NETVAERK_SYD, ODENSE, BEFORE, False, 3, None, id="netvaerk-no-limit-per-kind"),
        pytest.param(NETVAERK_SYD, ODENSE, BEFORE, True, 1,
                     "Kommunen er allerede tilmeldt dette netværksmøde.", id="netvaerk-booked-here"),
        pytest.param(OPSTART_MIDT_NORD, HERNING, BEFORE, True, 1,
                     "Kommunen er allerede tilmeldt denne opstartsworkshop.", id="opstart-booked-here"),
        pytest.param(OPSTART_MIDT_NORD, HERNING, BEFORE, False, 1,
                     "Kommunen er allerede tilmeldt en opstartsworkshop.", id="opstart-booked-elsewhere"),
        pytest.param(replace(OPSTART_MIDT_NORD, kind=EventKind.SPARRING), HERNING, BEFORE, False, 1,
                     "Kommunen er allerede tilmeldt et sparringsbesøg.", id="sparring-one-per-kommune"),
        pytest.param(replace(OPSTART_MIDT_NORD, kind=EventKind.AFSLUTNING), HERNING, BEFORE, False, 1, None,
                     id="afslutning-no-limit-per-kind"),
        pytest.param(replace(OPSTART_MIDT_NORD, kind=EventKind.AFSLUTNING, amk=AMK.OST), HERNING, BEFORE, False, 0,
                     "Seminaret er for kommuner i AMK Øst.", id="afslutning-amk-mismatch"),
        pytest.param(replace(OPSTART_MIDT_NORD, audience=Audience.EVERYONE, amk=AMK.SYD), AEROE, BEFORE, False, 0,
                     None, id="everyone-in-amk"),
        pytest.param(replace(OPSTART_MIDT_NORD, audience=Audience.EVERYONE, amk=AMK.MIDT_NORD), AEROE, BEFORE,
                     False, 0, "Workshoppen er for kommuner i AMK Midt-Nord.", id="everyone-other-amk"),
    ],
)
def test_booking_problem_worked_examples(event, kommune, now, here, of_kind, expected):
    # Act
    problem = booking_problem(event, kommune, now=now, has_booking_here=here, bookings_of_kind=of_kind)

    # Assert
    assert problem == expected


def test_booking_problem_is_none_exactly_when_every_condition_holds():
    # Arrange: every combination of the inputs that matter.
    combinations = product(
        EventKind, Audience, [None, *AMK], AMK, [True, False], [True, False], [0, 1], [BEFORE, DEADLINE_AT],
    )
    mismatches = []

    # Act
    for kind, audience, event_amk, kommune_amk, participating, here, of_kind, now in combinations:
        event = replace(OPSTART_MIDT_NORD, kind=kind, audience=audience, amk=event_amk)
        kommune = KommuneFacts(code=101, amk=kommune_amk, participating=participating)
        problem = booking_problem(event, kommune, now=now, has_booking_here=here, bookings_of_kind=of_kind)
        allowed = (
            now < DEADLINE_AT
            and (audience is not Audience.PARTICIPANTS or participating)
            and (audience is not Audience.NON_PARTICIPANTS or not participating)
            and event_amk in (None, kommune_amk)
            and not here
            and (kind in (EventKind.NETVAERK, EventKind.AFSLUTNING) or of_kind == 0)
        )
        if (problem is None) != allowed:
            mismatches.append((kind, audience, event_amk, kommune_amk, participating, here, of_kind, now))

    # Assert
    assert mismatches == []


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (BEFORE, None),
        (DEADLINE_AT, ("Tilmeldingsfristen var 29. september 2017 kl. 12.00, så tilmeldingen kan ikke længere "
                       "ændres eller afmeldes.")),
    ],
)
def test_can_change_booking_only_before_the_deadline(now, expected):
    # Act / Assert
    assert can_change_booking(OPSTART_MIDT_NORD, now=now) == expected


# --- participants ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("participants", "seats", "expected"),
    [
        pytest.param([person()], 1, {}, id="one-valid"),
        pytest.param([person(role=""), person(name="Jens Lund", email="jens@herning.dk")], 2, {},
                     id="role-optional"),
        pytest.param([], 3, {"participants": "Tilmeld mindst én deltager."}, id="none"),
        pytest.param([person(), person(name="Jens Lund", email="jens@herning.dk")], 1,
                     {"participants": "Kommunen kan højst tilmelde 1 deltager."}, id="over-one-seat"),
        pytest.param([person(email=f"p{i}@herning.dk") for i in range(3)], 2,
                     {"participants": "Kommunen kan højst tilmelde 2 deltagere."}, id="over-two-seats"),
        pytest.param([person(name="  ", email="")], 1,
                     {"participants-0-name": "Skriv deltagerens navn.",
                      "participants-0-email": "Skriv deltagerens e-mailadresse."}, id="blank"),
        pytest.param([person(), person(email="mette@herning")], 2,
                     {"participants-1-email": "Skriv en gyldig e-mailadresse, fx navn@kommune.dk."},
                     id="implausible-email"),
        pytest.param([person(), person(email="mette hansen@herning.dk")], 2,
                     {"participants-1-email": "Skriv en gyldig e-mailadresse, fx navn@kommune.dk."},
                     id="space-in-email"),
        pytest.param([person(), person(name="Mette H.", email=" METTE@Herning.dk ")], 2,
                     {"participants-1-email": "E-mailadressen står allerede ved en anden deltager."},
                     id="duplicate-email-ignores-case"),
    ],
)
def test_participants_problems_worked_examples(participants, seats, expected):
    # Act / Assert
    assert participants_problems(participants, seats) == expected


@given(st.lists(st.sampled_from(["a@x.dk", "A@X.DK", "b@x.dk", "", "ugyldig"]), max_size=6),
       st.integers(min_value=1, max_value=6))
@settings(max_examples=200, database=None)
def test_participants_problems_keys_are_form_fields(emails, seats):
    # Arrange
    participants = [person(email=email) for email in emails]

    # Act
    problems = participants_problems(participants, seats)

    # Assert: names are valid here, so the e-mail fields and the list are the only keys.
    list_problem = not participants or len(participants) > seats
    flagged = {f"participants-{i}-email" for i, email in enumerate(emails)
               if "@" not in email or email.casefold() in {earlier.casefold() for earlier in emails[:i]}}
    assert set(problems) == flagged | ({"participants"} if list_problem else set())


# --- places and the waiting list -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("confirmed", "capacity", "waiting", "expected"),
    [
        (0, 1, 0, BookingStatus.CONFIRMED),
        (4, 5, 0, BookingStatus.CONFIRMED),
        (5, 5, 0, BookingStatus.WAITING),
        (6, 5, 0, BookingStatus.WAITING),
        (4, 5, 1, BookingStatus.WAITING),
    ],
)
def test_status_for_new_booking(confirmed, capacity, waiting, expected):
    # Act / Assert
    assert status_for_new_booking(confirmed, capacity, waiting_count=waiting) == expected


def test_promote_from_waiting_list_orders_by_position_then_id():
    # Arrange
    waiting = [WaitingEntry(booking_id=9, position=2), WaitingEntry(booking_id=7, position=3),
               WaitingEntry(booking_id=8, position=2), WaitingEntry(booking_id=3, position=1)]

    # Act / Assert
    assert promote_from_waiting_list(waiting, 3) == [3, 8, 9]
    assert promote_from_waiting_list(waiting, 10) == [3, 8, 9, 7]
    assert promote_from_waiting_list(waiting, 0) == []
    assert promote_from_waiting_list(waiting, -2) == []
    assert next_waiting_position(waiting) == 4
    assert next_waiting_position([]) == 1


def test_promote_from_waiting_list_repeated_booking_raises_value_error():
    # Act / Assert
    with pytest.raises(ValueError):
        promote_from_waiting_list([WaitingEntry(1, 1), WaitingEntry(1, 2)], 1)


# An operation: ("book", kommune) or ("cancel", pick), pick choosing among the active bookings.
operations = st.lists(
    st.one_of(st.tuples(st.just("book"), st.integers(0, 11)), st.tuples(st.just("cancel"), st.integers(0, 50))),
    max_size=40,
)


@given(capacity=st.integers(min_value=1, max_value=5), steps=operations)
@settings(max_examples=300, database=None)
def test_bookings_and_cancellations_keep_capacity_and_queue_order(capacity, steps):
    # Arrange: booking ids grow with time, so first come is lowest id.
    event = replace(OPSTART_MIDT_NORD, audience=Audience.EVERYONE, capacity=capacity)
    status: dict[int, BookingStatus] = {}
    kommune_of: dict[int, int] = {}
    position: dict[int, int] = {}

    def active_of(state):
        return sorted(b for b, s in status.items() if s is state)

    for operation, value in steps:
        confirmed, waiting = active_of(BookingStatus.CONFIRMED), active_of(BookingStatus.WAITING)
        entries = [WaitingEntry(booking_id=b, position=position[b]) for b in waiting]

        # Act
        if operation == "book":
            here = any(kommune_of[b] == value for b in confirmed + waiting)
            kommune = KommuneFacts(code=value, amk=AMK.MIDT_NORD, participating=True)
            problem = booking_problem(event, kommune, now=BEFORE, has_booking_here=here, bookings_of_kind=int(here))
            if problem is not None:
                assert here and problem == "Kommunen er allerede tilmeldt denne opstartsworkshop."
                continue
            booking = len(status) + 1
            kommune_of[booking] = value
            status[booking] = status_for_new_booking(len(confirmed), capacity, waiting_count=len(waiting))
            if status[booking] is BookingStatus.WAITING:
                position[booking] = next_waiting_position(entries)
        elif confirmed + waiting:
            booking = (confirmed + waiting)[value % len(confirmed + waiting)]
            was = status[booking]
            status[booking] = BookingStatus.CANCELLED
            if was is BookingStatus.CONFIRMED:
                promoted = promote_from_waiting_list(entries, capacity - (len(confirmed) - 1))
                # Promotion fills exactly the freed place, in order of arrival.
                assert promoted == waiting[:1]
                for b in promoted:
                    status[b] = BookingStatus.CONFIRMED

        # Assert
        confirmed, waiting = active_of(BookingStatus.CONFIRMED), active_of(BookingStatus.WAITING)
        assert len(confirmed) <= capacity
        assert not waiting or len(confirmed) == capacity
        assert sorted(waiting, key=lambda b: position[b]) == waiting
        assert len({kommune_of[b] for b in confirmed + waiting}) == len(confirmed + waiting)


@given(
    positions=st.lists(st.integers(min_value=1, max_value=20), unique=True, max_size=10),
    free_places=st.integers(min_value=-2, max_value=12),
    data=st.data(),
)
@settings(max_examples=300, database=None)
def test_promote_from_waiting_list_takes_the_first_free_places(positions, free_places, data):
    # Arrange: the list in any order; booking ids unrelated to positions.
    entries = [WaitingEntry(booking_id=100 - p, position=p) for p in positions]
    shuffled = data.draw(st.permutations(entries))

    # Act
    promoted = promote_from_waiting_list(shuffled, free_places)

    # Assert
    in_order = [entry.booking_id for entry in sorted(entries, key=lambda entry: entry.position)]
    assert promoted == in_order[: max(free_places, 0)]
    assert len(promoted) == min(max(free_places, 0), len(entries))


# --- too few kommuner -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "confirmed", "now", "expected"),
    [
        pytest.param(OPSTART_MIDT_NORD, 2, DEADLINE_AT - timedelta(days=7), True, id="window-opens"),
        pytest.param(OPSTART_MIDT_NORD, 2, DEADLINE_AT - timedelta(days=7, seconds=1), False, id="before-window"),
        pytest.param(OPSTART_MIDT_NORD, 0, DEADLINE_AT, True, id="at-deadline"),
        pytest.param(OPSTART_MIDT_NORD, 2, STARTS_AT - timedelta(seconds=1), True, id="after-deadline"),
        pytest.param(OPSTART_MIDT_NORD, 2, STARTS_AT, False, id="started"),
        pytest.param(OPSTART_MIDT_NORD, 3, DEADLINE_AT, False, id="three-is-enough"),
        pytest.param(NETVAERK_SYD, 0, DEADLINE_AT, False, id="not-opstart"),
    ],
)
def test_under_booked_edges(event, confirmed, now, expected):
    # Act / Assert
    assert under_booked(event, confirmed, now=now) is expected


def test_under_booked_custom_window_and_minimum():
    # Act / Assert
    assert under_booked(OPSTART_MIDT_NORD, 3, now=DEADLINE_AT - timedelta(days=10),
                        warn_within=timedelta(days=14), minimum=4) is True
    assert under_booked(OPSTART_MIDT_NORD, 4, now=DEADLINE_AT, minimum=4) is False

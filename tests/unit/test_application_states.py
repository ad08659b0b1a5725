"""Unit tests for portal.applications.states: the table of allowed transitions and the Danish labels."""
from __future__ import annotations

import pytest

from portal.applications.states import TRANSITIONS, ApplicationStatus, target_of

DRAFT, SUBMITTED, WITHDRAWN, REOPENED = (
    ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN, ApplicationStatus.REOPENED)

# Every (action, from) pair and where it leads; None where the table does not allow it.
EXPECTED = {
    ("submit", DRAFT): SUBMITTED,
    ("submit", SUBMITTED): None,
    ("submit", WITHDRAWN): SUBMITTED,
    ("submit", REOPENED): SUBMITTED,
    ("withdraw", DRAFT): None,
    ("withdraw", SUBMITTED): WITHDRAWN,
    ("withdraw", WITHDRAWN): None,
    ("withdraw", REOPENED): None,
    ("reopen", DRAFT): REOPENED,
    ("reopen", SUBMITTED): REOPENED,
    ("reopen", WITHDRAWN): REOPENED,
    ("reopen", REOPENED): REOPENED,
}


def test_transitions_actions_are_submit_withdraw_reopen():
    # Act
    actions = sorted(TRANSITIONS)

    # Assert
    assert actions == ["reopen", "submit", "withdraw"]


@pytest.mark.parametrize(("action", "status"), list(EXPECTED))
def test_target_of_follows_the_transition_table(action, status):
    # Act
    target = target_of(action, status)

    # Assert
    assert target == EXPECTED[(action, status)]


def test_target_of_covers_every_action_and_status():
    # Act
    pairs = {(action, status) for action in TRANSITIONS for status in ApplicationStatus}

    # Assert
    assert pairs == set(EXPECTED)


def test_application_status_labels_are_danish():
    # Act
    labels = {status: status.label for status in ApplicationStatus}

    # Assert
    assert labels == {DRAFT: "Kladde", SUBMITTED: "Indsendt", WITHDRAWN: "Trukket tilbage", REOPENED: "Genåbnet"}


def test_application_status_only_submitted_is_not_editable():
    # Act
    locked = [status for status in ApplicationStatus if not status.is_editable]

    # Assert
    assert locked == [SUBMITTED]

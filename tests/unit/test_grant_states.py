"""The transitions of a grant; pure."""
import pytest

from portal.grants.states import GrantStatus, target_of


@pytest.mark.parametrize(("action", "status", "expected"), [
    ("issue", GrantStatus.DRAFT, GrantStatus.ISSUED),
    ("issue", GrantStatus.ACCEPTED, GrantStatus.ISSUED),
    ("issue", GrantStatus.DECLINED, None),
    ("accept", GrantStatus.ISSUED, GrantStatus.ACCEPTED),
    ("accept", GrantStatus.DRAFT, None),
    ("accept", GrantStatus.ACCEPTED, None),
    ("decline", GrantStatus.ISSUED, GrantStatus.DECLINED),
    ("decline", GrantStatus.EXPIRED, None),
    ("expire", GrantStatus.ISSUED, GrantStatus.EXPIRED),
    ("expire", GrantStatus.ACCEPTED, None),
])
def test_grant_transitions(action, status, expected):
    assert target_of(action, status) is expected


def test_only_declined_and_expired_grants_free_their_money():
    assert [status for status in GrantStatus if status.frees_money] == [GrantStatus.DECLINED, GrantStatus.EXPIRED]

"""The states of a grant (tilsagn) and of its letter versions, and the transitions between them; pure."""
from __future__ import annotations

from enum import Enum


class GrantStatus(str, Enum):
    DRAFT = "draft"
    ISSUED = "issued"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return {"draft": "Udkast", "issued": "Udstedt", "accepted": "Accepteret", "declined": "Afslået",
                "expired": "Bortfaldet"}[self.value]

    @property
    def frees_money(self) -> bool:
        """A declined or expired grant's money can go to other kommuner."""
        return self in (GrantStatus.DECLINED, GrantStatus.EXPIRED)


class LetterStatus(str, Enum):
    DRAFT = "draft"
    ISSUED = "issued"
    REPLACED = "replaced"

    @property
    def label(self) -> str:
        return {"draft": "Udkast", "issued": "Udstedt", "replaced": "Erstattet"}[self.value]


class ChangeStatus(str, Enum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {"pending": "Afventer", "approved": "Godkendt", "rejected": "Afvist"}[self.value]


# issue: a letter version goes out (a new version of an issued or accepted grant must be accepted again);
# accept / decline: the kommune answers before the deadline; expire: the deadline passed unanswered.
TRANSITIONS: dict[str, dict[GrantStatus, GrantStatus]] = {
    "issue": {GrantStatus.DRAFT: GrantStatus.ISSUED, GrantStatus.ISSUED: GrantStatus.ISSUED,
              GrantStatus.ACCEPTED: GrantStatus.ISSUED},
    "accept": {GrantStatus.ISSUED: GrantStatus.ACCEPTED},
    "decline": {GrantStatus.ISSUED: GrantStatus.DECLINED},
    "expire": {GrantStatus.ISSUED: GrantStatus.EXPIRED},
}


def target_of(action: str, status: GrantStatus) -> GrantStatus | None:
    """The state `action` leads to from `status`, or None when the table does not allow it."""
    return TRANSITIONS[action].get(status)

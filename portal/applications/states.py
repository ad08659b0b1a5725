"""The states of an application and the transitions between them; pure."""
from __future__ import annotations

from enum import Enum


class ApplicationStatus(str, Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    REOPENED = "reopened"

    @property
    def label(self) -> str:
        return {
            ApplicationStatus.DRAFT: "Kladde",
            ApplicationStatus.SUBMITTED: "Indsendt",
            ApplicationStatus.WITHDRAWN: "Trukket tilbage",
            ApplicationStatus.REOPENED: "Genåbnet",
        }[self]

    @property
    def is_editable(self) -> bool:
        """The kommune may change its answers in this state (while its deadline has not passed)."""
        return self is not ApplicationStatus.SUBMITTED


# submit: a kommune sends its draft; withdraw: it takes a submission back before the deadline;
# reopen: a caseworker lets one kommune change its application after the deadline.
# A reopened application can be reopened again, to give it a later deadline.
TRANSITIONS: dict[str, dict[ApplicationStatus, ApplicationStatus]] = {
    "submit": {
        ApplicationStatus.DRAFT: ApplicationStatus.SUBMITTED,
        ApplicationStatus.WITHDRAWN: ApplicationStatus.SUBMITTED,
        ApplicationStatus.REOPENED: ApplicationStatus.SUBMITTED,
    },
    "withdraw": {ApplicationStatus.SUBMITTED: ApplicationStatus.WITHDRAWN},
    "reopen": {status: ApplicationStatus.REOPENED for status in ApplicationStatus},
}


def target_of(action: str, status: ApplicationStatus) -> ApplicationStatus | None:
    """The state `action` leads to from `status`, or None when the table does not allow it."""
    return TRANSITIONS[action].get(status)

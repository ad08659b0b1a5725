"""The kinds of report a grant owes, the states a report goes through, and the transitions; pure."""
from __future__ import annotations

from enum import Enum


class ReportKind(str, Enum):
    QUARTERLY = "quarterly"
    MIDTERM = "midterm"
    FINAL = "final"

    @property
    def label(self) -> str:
        return {"quarterly": "Aktivitetsrapport", "midterm": "Midtvejsstatus",
                "final": "Slutrapport med regnskab"}[self.value]


class ReportStatus(str, Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    WAIVED = "waived"

    @property
    def label(self) -> str:
        return {"draft": "Kladde", "submitted": "Indsendt", "returned": "Sendt tilbage til rettelse",
                "approved": "Godkendt", "waived": "Udgår"}[self.value]

    @property
    def is_open(self) -> bool:
        """The kommune still owes it: it can be edited, and it is late once its due date has passed."""
        return self in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    @property
    def counts(self) -> bool:
        """Its figures count in the success criteria: submitted and not sent back."""
        return self in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


# submit: the kommune hands it in (again after a return); send_back: staff ask for a correction, also of an
# approved report; approve: staff accept it; waive: staff decide it is not owed; reinstate: it is owed after all.
TRANSITIONS: dict[str, dict[ReportStatus, ReportStatus]] = {
    "submit": {ReportStatus.DRAFT: ReportStatus.SUBMITTED, ReportStatus.RETURNED: ReportStatus.SUBMITTED},
    "send_back": {ReportStatus.SUBMITTED: ReportStatus.RETURNED, ReportStatus.APPROVED: ReportStatus.RETURNED},
    "approve": {ReportStatus.SUBMITTED: ReportStatus.APPROVED},
    "waive": {ReportStatus.DRAFT: ReportStatus.WAIVED, ReportStatus.RETURNED: ReportStatus.WAIVED},
    "reinstate": {ReportStatus.WAIVED: ReportStatus.DRAFT},
}


def target_of(action: str, status: ReportStatus) -> ReportStatus | None:
    """The state `action` leads to from `status`, or None when the table does not allow it."""
    return TRANSITIONS[action].get(status)

"""The states of a review and of a selection decision."""
from enum import Enum


class ReviewStatus(str, Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"

    @property
    def label(self) -> str:
        return {"draft": "Kladde", "submitted": "Indsendt"}[self.value]


class Decision(str, Enum):
    SELECTED = "selected"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {"selected": "Valgt", "rejected": "Fravalgt"}[self.value]

"""Domain errors: a broken rule, told to the user in Danish, optionally at a form field."""
from __future__ import annotations


class DomainError(Exception):
    """A rule of the portal was broken; `message` is Danish and shown to the user as is."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotPermitted(DomainError):
    """The actor may not do this (shown as 403 by the views)."""


class StaleObject(DomainError):
    """Someone else saved the object after this user opened it."""


class RuleViolations(DomainError):
    """Several broken rules at once, each at its field: `problems` maps field name -> Danish message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(next(iter(problems.values())), field=next(iter(problems)))
        self.problems = problems

"""Every model of the portal, imported in one place so the metadata (and Alembic) sees them all."""
from portal.allocation.models import Allocation, AllocationGrant, GrantOverride
from portal.applications.models import Application, BudgetLine, ParkedInput, Submission
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.grants.models import ChangeRequest, Grant, GrantLetterVersion, Payment
from portal.kommuner.models import Kommune
from portal.outbox.models import OutboxAttachment, OutboxMessage
from portal.pulje.models import BudgetCategory, Pool, TimelineEntry
from portal.rate_limits import RateLimit
from portal.reports.models import Report
from portal.review.models import (ConflictOfInterest, Review, ReviewScore, ReviewSettings, SelectionConfirmation,
                                  SelectionDecision)
from portal.workshops.models import Booking, SparringRequest, WorkshopEvent

__all__ = ["Allocation", "AllocationGrant", "Application", "AuditEvent", "Booking", "BudgetCategory", "BudgetLine",
           "ChangeRequest", "ConflictOfInterest", "Grant", "GrantLetterVersion", "GrantOverride", "Kommune",
           "OutboxAttachment", "OutboxMessage", "ParkedInput", "Payment", "Pool", "RateLimit", "Report", "Review",
           "ReviewScore", "ReviewSettings", "SelectionConfirmation", "SelectionDecision", "SparringRequest",
           "Submission", "TimelineEntry", "User", "WorkshopEvent"]

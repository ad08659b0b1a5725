"""Every model of the portal, imported in one place so the metadata (and Alembic) sees them all."""
from portal.applications.models import Application, BudgetLine, ParkedInput, Submission
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.kommuner.models import Kommune
from portal.outbox.models import OutboxAttachment, OutboxMessage
from portal.pulje.models import BudgetCategory, Pool, TimelineEntry

__all__ = ["Application", "AuditEvent", "BudgetLine", "ParkedInput", "Submission", "BudgetCategory", "Kommune", "OutboxAttachment", "OutboxMessage", "Pool",
           "TimelineEntry", "User"]

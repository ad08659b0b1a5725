"""Queueing mail in the outbox, and reading it; delivery is in portal.outbox.delivery."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from portal import clock
from portal.extensions import db
from portal.outbox.models import MessageStatus, OutboxAttachment, OutboxMessage

PAGE_SIZE = 50
QUEUED_IN_SESSION = "outbox_queued"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


SUBJECT_LIMIT = 200  # the column's length; subjects carry user text (event titles, kommune names)


def _fit(text: str, limit: int) -> str:
    """The text, or its start with an ellipsis when it is longer than the limit."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def queue_message(
    *,
    kind: str,
    recipient: str,
    subject: str,
    text_body: str,
    html_body: str | None = None,
    attachments: tuple[Attachment, ...] = (),
) -> OutboxMessage:
    """Add a mail to the outbox in the current transaction; it is sent only if that commits."""
    message = OutboxMessage(
        created_at=clock.now(),
        kind=kind,
        recipient=recipient,
        subject=_fit(subject, SUBJECT_LIMIT),
        text_body=text_body,
        html_body=html_body,
        status=MessageStatus.QUEUED,
        attempts=0,
        attachments=[
            OutboxAttachment(filename=a.filename, content_type=a.content_type, data=a.data) for a in attachments
        ],
    )
    db.session.add(message)
    db.session.info.setdefault(QUEUED_IN_SESSION, []).append(message)
    return message


def list_messages(*, status: MessageStatus | None = None, page: int = 1):
    """Newest first, with attachments loaded in one extra query."""
    query = (
        sa.select(OutboxMessage)
        .options(selectinload(OutboxMessage.attachments))
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    )
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)


def count_by_status() -> dict[MessageStatus, int]:
    rows = db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
    ).all()
    counts = {status: 0 for status in MessageStatus}
    counts.update({status: count for status, count in rows})
    return counts

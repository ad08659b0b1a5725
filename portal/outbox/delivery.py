"""Delivery of queued outbox mail through Flask-Mail, after the transaction that queued it.

Each message is claimed with a conditional UPDATE before it is sent, so two processes that deliver
at once never send the same message twice. A failed send goes back to the queue with its error.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_mail import Message

from portal import clock
from portal.extensions import db, mail
from portal.outbox.models import MessageStatus, OutboxMessage

# A message left in 'sending' this long belongs to a process that died mid-send: send it again.
STALE_CLAIM = timedelta(minutes=10)


@dataclass(frozen=True)
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    skipped: bool = False


def delivery_enabled() -> bool:
    return bool(current_app.config.get("MAIL_DELIVERY"))


def deliver_queued(message_ids: list[int] | None = None) -> DeliveryResult:
    """Send queued messages (all of them, or those named), committing each outcome on its own."""
    if not delivery_enabled():
        return DeliveryResult(skipped=True)
    _release_stale_claims()
    query = sa.select(OutboxMessage.id).where(OutboxMessage.status == MessageStatus.QUEUED).order_by(OutboxMessage.id)
    if message_ids is not None:
        query = query.where(OutboxMessage.id.in_(message_ids))
    sent = failed = 0
    for message_id in db.session.scalars(query).all():
        if not _claim(message_id):
            continue
        if _send(message_id):
            sent += 1
        else:
            failed += 1
    return DeliveryResult(sent=sent, failed=failed)


def _release_stale_claims() -> None:
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.status == MessageStatus.SENDING, OutboxMessage.last_attempt_at < clock.now() - STALE_CLAIM)
        .values(status=MessageStatus.QUEUED)
    )
    db.session.commit()


def _claim(message_id: int) -> bool:
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == MessageStatus.QUEUED)
        .values(status=MessageStatus.SENDING, attempts=OutboxMessage.attempts + 1, last_attempt_at=clock.now())
    )
    db.session.commit()
    return result.rowcount == 1


def _send(message_id: int) -> bool:
    message = db.session.get(OutboxMessage, message_id)
    try:
        mail.send(_to_mail(message))
    except Exception as error:  # any SMTP or socket failure: keep the message and its error
        current_app.logger.warning("outbox message %s not sent: %s", message_id, error)
        message.status = MessageStatus.QUEUED
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        db.session.commit()
        return False
    message.status = MessageStatus.SENT
    message.sent_at = clock.now()
    message.last_error = None
    db.session.commit()
    return True


def _to_mail(message: OutboxMessage) -> Message:
    mail_message = Message(
        subject=message.subject,
        recipients=[message.recipient],
        body=message.text_body,
        html=message.html_body,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
    )
    for attachment in message.attachments:
        mail_message.attach(attachment.filename, attachment.content_type, attachment.data)
    return mail_message

"""Delivery of queued outbox mail through Flask-Mail, after the transaction that queued it.

Each message is claimed with a conditional UPDATE before it is sent, so two processes that deliver
at once never send the same message twice. A failed send goes back to the queue with its error.
One round uses one SMTP connection with a timeout, and ends at the first failure of the connection
itself (refused, timed out, dropped): the rest wait in the queue, untried, instead of each waiting
for a server that is down.
"""
from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_mail import BadHeaderError, Connection, Message

from portal import clock
from portal.extensions import db
from portal.outbox.models import MessageStatus, OutboxMessage

# A message left in 'sending' this long belongs to a process that died mid-send: send it again.
STALE_CLAIM = timedelta(minutes=10)
# Seconds to wait for the mail server to connect or answer; Flask-Mail itself would wait forever.
DEFAULT_TIMEOUT = 10
# Errors that concern one message (a refused recipient or sender, rejected data): the next may go.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError,
                  smtplib.SMTPNotSupportedError, BadHeaderError, ValueError, UnicodeError)


@dataclass(frozen=True)
class DeliveryResult:
    """`failed` counts every message of the round that is still queued, tried or not."""

    sent: int = 0
    failed: int = 0
    skipped: bool = False


class _TimedConnection(Connection):
    """Flask-Mail's connection, opened with a timeout so a hanging server cannot hang a request."""

    def configure_host(self) -> smtplib.SMTP:
        settings = self.mail
        timeout = current_app.config.get("MAIL_TIMEOUT", DEFAULT_TIMEOUT)
        smtp_class = smtplib.SMTP_SSL if settings.use_ssl else smtplib.SMTP
        host = smtp_class(settings.server, settings.port, timeout=timeout)
        if settings.use_tls:
            host.starttls()
        if settings.username and settings.password:
            host.login(settings.username, settings.password)
        return host


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
    pending = db.session.scalars(query).all()
    sent = taken_elsewhere = 0
    connection: _TimedConnection | None = None
    try:
        for message_id in pending:
            if not _claim(message_id):
                taken_elsewhere += 1
                continue
            message = db.session.get(OutboxMessage, message_id)
            try:
                if connection is None:
                    connection = _open()
                connection.send(_to_mail(message))
            except MESSAGE_ERRORS as error:
                _requeue(message, error)
                continue
            except Exception as error:  # the connection failed: the server is down, hangs or hung up
                _requeue(message, error)
                break
            message.status = MessageStatus.SENT
            message.sent_at = clock.now()
            message.last_error = None
            db.session.commit()
            sent += 1
    finally:
        _close(connection)
    return DeliveryResult(sent=sent, failed=len(pending) - sent - taken_elsewhere)


def _open() -> _TimedConnection:
    settings = current_app.extensions["mail"]
    connection = _TimedConnection(settings)
    connection.host = None if settings.suppress else connection.configure_host()
    return connection


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


def _requeue(message: OutboxMessage, error: Exception) -> None:
    current_app.logger.warning("outbox message %s not sent: %s", message.id, error)
    message.status = MessageStatus.QUEUED
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    db.session.commit()


def _close(connection: _TimedConnection | None) -> None:
    if connection is None or connection.host is None:
        return
    try:
        connection.host.quit()
    except (smtplib.SMTPException, OSError):  # the server already hung up; the mail is sent or queued
        connection.host.close()


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

"""The end of a unit of work: commit, then deliver the mail the transaction queued."""
from __future__ import annotations

from flask import flash, has_request_context

from portal.extensions import db
from portal.outbox.delivery import deliver_queued
from portal.outbox.services import QUEUED_IN_SESSION

MAIL_WAITING = ("{count} mail kunne ikke sendes lige nu, fordi mailserveren ikke svarer. Ændringen er gemt, "
                "og mailene venter i portalens udbakke, hvorfra styrelsen sender dem, når mailserveren svarer igen.")


def commit() -> None:
    """Commit the session; after that (and only then) send the outbox mail queued in it.

    Views and CLI commands call this once; services only flush. A delivery failure never undoes
    the commit: the message stays queued with its error, and the user of a request is told so.
    """
    queued = db.session.info.pop(QUEUED_IN_SESSION, [])
    db.session.flush()
    message_ids = [message.id for message in queued]
    db.session.commit()
    if message_ids:
        result = deliver_queued(message_ids)
        if result.failed and has_request_context():
            flash(MAIL_WAITING.format(count=result.failed), "warning")


def rollback() -> None:
    db.session.info.pop(QUEUED_IN_SESSION, None)
    db.session.rollback()

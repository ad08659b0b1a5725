"""The end of a unit of work: commit, then deliver the mail the transaction queued."""
from __future__ import annotations

from flask import flash, has_request_context

from portal.extensions import db
from portal.outbox.delivery import deliver_queued
from portal.outbox.services import QUEUED_IN_SESSION

MAIL_WAITING = ("{count} mail kunne ikke sendes lige nu, fordi mailserveren ikke svarer. Ændringen er gemt, "
                "og mailene venter i portalens udbakke, hvorfra styrelsen sender dem, når mailserveren svarer igen.")


def commit() -> bool:
    """Commit the session; after that (and only then) send the outbox mail queued in it. True unless some of
    that mail could not be sent now: a view says "sent" only when it is. (Without a mail server, as in the
    demo, the outbox read in the portal stands in for one, and its mail counts as sent.)

    Views and CLI commands call this once; services only flush. A delivery failure never undoes
    the commit: the message stays queued with its error, and the user of a request is told so.
    """
    queued = db.session.info.pop(QUEUED_IN_SESSION, [])
    db.session.flush()
    message_ids = [message.id for message in queued]
    db.session.commit()
    if not message_ids:
        return True
    result = deliver_queued(message_ids)
    if result.failed and has_request_context():
        flash(MAIL_WAITING.format(count=result.failed), "warning")
    return not result.failed


def sent_or_waiting(mailed: bool) -> str:
    """How a message about mail ends: 'er sendt' when it went out, 'venter i udbakken' when it waits."""
    return "er sendt" if mailed else "venter i udbakken"


def told(done: str, mail: str, *, mailed: bool) -> str:
    """The success message: what was done, and the sentence about the mail only when the mail went out."""
    return f"{done} {mail}" if mailed and mail else done


def rollback() -> None:
    db.session.info.pop(QUEUED_IN_SESSION, None)
    db.session.rollback()

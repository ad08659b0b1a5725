"""The transactional outbox: mail is queued with its change, sent after commit, kept when SMTP fails."""
import sqlalchemy as sa
from click.testing import CliRunner

from portal.auth.enums import Role
from portal.auth.services import invite_user
from portal.extensions import db
from portal.kommuner.services import get_kommune_by_name
from portal.outbox.delivery import deliver_queued
from portal.outbox.models import MessageStatus, OutboxMessage
from portal.outbox.services import Attachment, queue_message
from portal.transaction import commit, rollback
from tests.conftest import log_in
from tests.support.smtp import free_port


def _statuses():
    db.session.expire_all()
    return [(m.recipient, m.status, m.attempts) for m in db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id))]


def test_mail_is_sent_after_commit_with_its_attachment(app, mailbox):
    queue_message(kind="test", recipient="herning@test.dk", subject="Kvittering", text_body="Tak for ansøgningen.",
                  attachments=(Attachment("kvittering.pdf", "application/pdf", b"%PDF-1.4 test"),))

    commit()

    [message] = mailbox.messages
    [attachment] = list(message.iter_attachments())
    assert (message["To"], message["Subject"]) == ("herning@test.dk", "Kvittering")
    assert (attachment.get_filename(), attachment.get_content()) == ("kvittering.pdf", b"%PDF-1.4 test")
    assert _statuses() == [("herning@test.dk", MessageStatus.SENT, 1)]


def test_mail_of_a_rolled_back_change_is_never_sent(app, mailbox):
    queue_message(kind="test", recipient="herning@test.dk", subject="Fortrudt", text_body="-")

    rollback()
    commit()

    assert (mailbox.messages, _statuses()) == ([], [])


def test_smtp_down_keeps_the_change_and_queues_the_mail_with_its_error(app, make_user, mailbox):
    admin = make_user(Role.ADMIN)
    app.config["MAIL_PORT"] = free_port()  # nobody listens there
    app.extensions["mail"].port = app.config["MAIL_PORT"]

    invite_user(email="ny@herning.dk", name="Ny", role=Role.KOMMUNE, kommune=get_kommune_by_name("Herning"),
                actor=admin)
    commit()

    message = db.session.scalar(sa.select(OutboxMessage))
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
    assert "ConnectionRefusedError" in message.last_error
    assert mailbox.messages == []

    app.extensions["mail"].port = mailbox.port
    result = CliRunner().invoke(app.cli, ["outbox", "send"], catch_exceptions=False)

    assert result.output == "Sent 1, failed 0.\n"
    assert [m["To"] for m in mailbox.messages] == ["ny@herning.dk"]
    assert _statuses() == [("ny@herning.dk", MessageStatus.SENT, 2)]


def test_without_a_mail_server_messages_wait_in_the_outbox_readable_by_staff(app, client, make_user, mailbox):
    app.config["MAIL_DELIVERY"] = False
    staff = make_user(Role.SAGSBEHANDLER)
    queue_message(kind="test", recipient="laeso@test.dk", subject="Venter", text_body="Hej Læsø")
    commit()
    log_in(client, staff.email)

    listing = client.get("/udbakke/?status=queued").get_data(as_text=True)
    message_id = db.session.scalar(sa.select(OutboxMessage.id))
    shown = client.get(f"/udbakke/{message_id}").get_data(as_text=True)

    assert mailbox.messages == []
    assert "Venter" in listing
    assert "Hej Læsø" in shown


def test_a_message_is_sent_once_even_when_delivered_twice(app, mailbox):
    queue_message(kind="test", recipient="odense@test.dk", subject="Én gang", text_body="-")
    commit()

    second = deliver_queued()

    assert (second.sent, len(mailbox.messages)) == (0, 1)


def test_staff_can_retry_the_queue_from_the_outbox_page(app, client, make_user, mailbox):
    staff = make_user(Role.SAGSBEHANDLER)
    app.config["MAIL_DELIVERY"] = False
    queue_message(kind="test", recipient="odense@test.dk", subject="Igen", text_body="-")
    commit()
    app.config["MAIL_DELIVERY"] = True
    log_in(client, staff.email)

    response = client.post("/udbakke/send", follow_redirects=True)

    assert "1 mail sendt." in response.get_data(as_text=True)
    assert [m["Subject"] for m in mailbox.messages] == ["Igen"]


def test_a_subject_longer_than_its_column_is_cut_with_an_ellipsis(app):
    message = queue_message(kind="test", recipient="a@kommune.test", subject="Æ" * 250, text_body="x")
    commit()

    assert (len(message.subject), message.subject[-2:]) == (200, "Æ…")

"""Faults: the mail server down while letters are issued, the database gone for a moment, a worker killed
mid-submission. Each is made for real (a closed port, a server that never answers, a database that refuses
connections, a killed server process), never by mocking the portal."""
from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from datetime import datetime
from http.client import RemoteDisconnected
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from portal.allocation.services import confirm_allocation
from portal.applications.models import Application, Submission
from portal.applications.states import ApplicationStatus
from portal.audit.models import AuditEvent
from portal.auth.enums import Role
from portal.clock import COPENHAGEN
from portal.config import PROJECT_ROOT
from portal.extensions import db
from portal.grants.models import Grant
from portal.grants.services import create_drafts
from portal.outbox.models import MessageStatus, OutboxMessage
from portal.pulje.services import get_pool
from portal.review.enums import Decision
from portal.review.selection import confirm_selection, decide, list_candidates
from portal.transaction import commit
from tests.conftest import IN_APPLICATION_WINDOW as IN_WINDOW, PASSWORD
from tests.support.applications import draft_application, kommune_actor, submitted_applications
from tests.support.html import page_structure, page_text
from tests.support.sessions import signed_in
from tests.support.smtp import free_port

AFTER_ALLOCATION = datetime(2017, 8, 28, 10, 0, tzinfo=COPENHAGEN)
KOMMUNER = ("Herning", "Aarhus", "Læsø")
STAFF_NOTE = ("6 mail kunne ikke sendes lige nu, fordi mailserveren ikke svarer. Ændringen er gemt, og mailene "
              "venter i portalens udbakke, hvorfra styrelsen sender dem, når mailserveren svarer igen.")
UNAVAILABLE = ("Portalen er midlertidigt utilgængelig Databasen svarer ikke lige nu. Intet er gemt fra den "
               "handling, du lige foretog. Prøv igen om et øjeblik.")


# --- The mail server down while the grant letters are issued -------------------------------------------------

@pytest.fixture
def drafted(app, clock, sara):
    """Herning, Aarhus and Læsø selected, allocated and with grant letter drafts; the earlier mail sent."""
    submitted_applications(*KOMMUNER)
    clock.set(AFTER_ALLOCATION)
    pool = get_pool()
    pool.min_participants = len(KOMMUNER)
    rows = list_candidates(pool, viewer=sara)
    decide(rows, actor=sara, decisions={row.application.id: (Decision.SELECTED, "") for row in rows})
    confirm_selection(pool, list_candidates(pool, viewer=sara), actor=sara)
    confirm_allocation(pool, actor=sara)
    create_drafts(pool, actor=sara)
    commit()
    return pool


@contextlib.contextmanager
def _silent_server():
    """A mail server that accepts the connection and then never says a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


def _letter_mail() -> list[tuple[str, MessageStatus, int]]:
    db.session.expire_all()
    query = sa.select(OutboxMessage).where(OutboxMessage.kind == "grant_issued").order_by(OutboxMessage.id)
    return [(message.recipient, message.status, message.attempts) for message in db.session.scalars(query)]


@pytest.mark.parametrize("outage", ["refused", "silent"])
def test_letters_are_issued_while_smtp_is_down_and_all_mail_goes_out_once_when_it_is_back(
        app, sara_client, drafted, mailbox, outage):
    mailbox.clear()
    kinds_before = Counter(db.session.scalars(sa.select(OutboxMessage.kind)))
    mail = app.extensions["mail"]
    app.config["MAIL_TIMEOUT"] = 0.5
    with _silent_server() if outage == "silent" else contextlib.nullcontext(free_port()) as dead_port:
        mail.port = dead_port
        issued = sara_client.post("/tilsagn/udsted-alle", follow_redirects=True)
    mail.port = mailbox.port

    db.session.expire_all()
    assert [grant.status.value for grant in db.session.scalars(sa.select(Grant).order_by(Grant.id))] == ["issued"] * 3
    waiting = _letter_mail()
    assert [status for _, status, _ in waiting] == [MessageStatus.QUEUED] * 6
    # One try reaches the dead server; the rest wait untried instead of each waiting for it.
    assert [attempts for _, _, attempts in waiting] == [1, 0, 0, 0, 0, 0]
    assert mailbox.messages == []
    assert STAFF_NOTE in page_text(issued)
    # The success message says what was done, and claims no mail went out.
    assert "Alle udkast er udstedt." in page_text(issued) and "sendt til kommunerne" not in page_text(issued)
    outbox_page = page_text(sara_client.get("/udbakke/?status=queued"))
    assert "I kø: 6 · Sendes: 0" in outbox_page
    assert {"refused": "ConnectionRefusedError: [Errno 111] Connection refused",
            "silent": "SMTPServerDisconnected: Connection unexpectedly closed: timed out"}[outage] in outbox_page

    first = CliRunner().invoke(app.cli, ["outbox", "send"], catch_exceptions=False)
    second = CliRunner().invoke(app.cli, ["outbox", "send"], catch_exceptions=False)

    assert (first.output, second.output) == ("Sent 6, failed 0.\n", "Sent 0, failed 0.\n")
    queued = sorted(db.session.execute(sa.select(OutboxMessage.recipient, OutboxMessage.subject)
                                       .where(OutboxMessage.kind == "grant_issued")).tuples())
    received = sorted((message["To"], message["Subject"]) for message in mailbox.messages)
    assert (received, len(set(received))) == (queued, 6)  # each letter's mail arrived, and once
    assert {status for _, status, _ in _letter_mail()} == {MessageStatus.SENT}
    pdf_attached = [any(part.get_content_type() == "application/pdf" for part in message.iter_attachments())
                    for message in mailbox.messages]
    assert pdf_attached == [True] * 6
    assert Counter(db.session.scalars(sa.select(OutboxMessage.kind))) - kinds_before == Counter(grant_issued=6)


def test_the_outbox_button_sends_the_waiting_mail_once(app, sara_client, drafted, mailbox):
    mailbox.clear()
    app.extensions["mail"].port = free_port()
    sara_client.post("/tilsagn/udsted-alle")
    app.extensions["mail"].port = mailbox.port

    first = page_text(sara_client.post("/udbakke/send", follow_redirects=True))
    second = page_text(sara_client.post("/udbakke/send", follow_redirects=True))

    assert ("6 mail sendt." in first, "0 mail sendt." in second) == (True, True)
    assert len(mailbox.messages) == 6
    assert {status for _, status, _ in _letter_mail()} == {MessageStatus.SENT}


# --- The database unavailable for a moment ---------------------------------------------------------------------

def _admin_engine(database_url: str) -> sa.Engine:
    return sa.create_engine(sa.engine.make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT")


@contextlib.contextmanager
def database_unreachable(database_url: str):
    """The database goes away as it does in production: PostgreSQL ends every session and refuses new
    ones (as in a restart); SQLite's folder disappears (as an unmounted disk). Then it comes back."""
    db.session.remove()
    db.engine.dispose()
    url = sa.engine.make_url(database_url)
    if url.get_backend_name() == "sqlite":
        folder = Path(url.database).parent
        away = folder.with_name(folder.name + "-away")
        folder.rename(away)
        try:
            yield
        finally:
            away.rename(folder)
        return
    admin = _admin_engine(database_url)
    name = url.database
    with admin.connect() as connection:
        connection.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        connection.execute(sa.text("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                                   "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})
    try:
        yield
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()


@pytest.fixture
def herning(app, client):
    """Herning's complete draft and its user's signed-in client."""
    actor = kommune_actor("Herning")
    application = draft_application("Herning", actor=actor)
    return application.id, signed_in(client, actor)


@pytest.mark.parametrize("path", ["/", "/ansoegning/{id}"])
def test_a_request_while_the_database_is_away_gets_a_danish_error_page_and_then_works(
        app, database_url, herning, path):
    application_id, client = herning

    with database_unreachable(database_url):
        response = client.get(path.format(id=application_id))

    assert (response.status_code, response.headers["Retry-After"]) == (503, "30")
    assert "<title>Portalen er midlertidigt utilgængelig – Puljeportalen</title>" in response.get_data(as_text=True)
    assert UNAVAILABLE in page_text(response)
    assert page_structure(response).problems() == []
    assert "Traceback" not in response.get_data(as_text=True)
    assert client.get(path.format(id=application_id)).status_code == 200


def _breaks_on(statement_start: str, database_url: str):
    """A cursor hook that makes the database fail at the first statement beginning `statement_start`:
    PostgreSQL loses the session for real (its server process is ended); SQLite gets a disk I/O error."""
    admin = _admin_engine(database_url) if not database_url.startswith("sqlite") else None
    hits = []

    def hook(connection, cursor, statement, parameters, context, executemany):
        if hits or not statement.startswith(statement_start):
            return
        hits.append(statement)
        if admin is None:
            # What SQLAlchemy raises when SQLite reports a failing disk.
            raise sa.exc.OperationalError(statement, parameters, sqlite3.OperationalError("disk I/O error"))
        pid = connection.connection.dbapi_connection.info.backend_pid
        with admin.connect() as kill:
            kill.execute(sa.text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})

    return hook, hits, admin


def _submission_state(application_id: int):
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    return (application.status, db.session.scalar(sa.select(sa.func.count()).select_from(Submission)),
            db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)),
            list(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action == "application.submitted"))))


def test_a_database_failure_in_the_middle_of_a_submission_keeps_nothing_of_it(app, database_url, herning, mailbox):
    application_id, client = herning
    mailbox.clear()
    # The receipt mail is the last thing written: the submission, its status and audit event are already sent.
    hook, hits, admin = _breaks_on("INSERT INTO outbox_message", database_url)
    sa.event.listen(db.engine, "before_cursor_execute", hook)
    try:
        response = client.post(f"/ansoegning/{application_id}/indsend")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", hook)
        if admin is not None:
            admin.dispose()

    assert len(hits) == 1
    assert (response.status_code, UNAVAILABLE in page_text(response)) == (503, True)
    assert _submission_state(application_id) == (ApplicationStatus.DRAFT, 0, 0, [])
    assert mailbox.messages == []

    again = client.post(f"/ansoegning/{application_id}/indsend")

    assert again.headers["Location"] == f"/ansoegning/{application_id}/kvittering"
    assert _submission_state(application_id)[:2] == (ApplicationStatus.SUBMITTED, 1)
    assert len(mailbox.messages) == 2


# --- A worker killed in the middle of a submission ---------------------------------------------------------------
# No hook in the portal slows the submission down. The test watches the database from outside, and the moment
# the worker's transaction has written (a transaction id on PostgreSQL, the write lock on SQLite) it freezes the
# worker, checks that the transaction is still open, and kills it with SIGKILL: no exception handler, no rollback
# and no cleanup run, as when the kernel's OOM killer or a power cut strikes.

class Browser:
    """A person's browser against a real server: cookies kept, CSRF tokens read from the pages."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base_url + path, timeout=15) as response:
            return response.read().decode()

    def post(self, path: str, fields: dict) -> str:
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(self.base_url + path, data=data, timeout=15) as response:
            return response.read().decode()

    def csrf_token(self, path: str) -> str:
        return re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', self.get(path)).group(1)


@contextlib.contextmanager
def gunicorn(database_url: str, instance: Path):
    """The portal under gunicorn with one worker, as in production (debug off, CSRF on), on loopback."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "a-secret-for-the-kill-test",
           "PORTAL_CLOCK": IN_WINDOW.isoformat(), "PORTAL_INSTANCE_PATH": str(instance)}
    env.pop("MAIL_SERVER", None)  # mail waits in the outbox
    log = (instance / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "--workers", "1", "--preload", "--bind", f"127.0.0.1:{port}",
         "--chdir", str(PROJECT_ROOT), "wsgi:app"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_serving(f"http://127.0.0.1:{port}", server)
        yield server, f"http://127.0.0.1:{port}"
    finally:
        # Done with it: killed outright, master first so it starts no new worker (a clean stop takes seconds).
        workers = _children_of(server.pid)
        server.kill()
        server.wait()
        for worker in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker, signal.SIGKILL)
        log.close()


def _wait_until_serving(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn stopped"
        try:
            with urllib.request.urlopen(url + "/", timeout=10) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise AssertionError("gunicorn did not start serving within 30 seconds")


def _children_of(parent: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                children.append(int(stat.parent.name))
    return children


def _worker_of(master: int) -> int:
    """The pid of the (one) worker gunicorn's master process has forked."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        workers = _children_of(master)
        if workers:
            return workers[0]
        time.sleep(0.05)
    raise AssertionError("gunicorn has no worker")


class WriteProbe:
    """Tells from outside whether a transaction that has written something is open in the database: on
    PostgreSQL a session with a transaction id; on SQLite the write lock being held."""

    def __init__(self, database_url: str) -> None:
        url = sa.engine.make_url(database_url)
        self.sqlite = url.get_backend_name() == "sqlite"
        if self.sqlite:
            self.connection = sqlite3.connect(url.database, timeout=0, isolation_level=None)
        else:
            self.engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
            self.connection = self.engine.connect()

    def writing(self) -> bool:
        if not self.sqlite:
            return bool(self.connection.scalar(sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()")))
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:  # database is locked: a writer is inside its transaction
            return True
        self.connection.execute("ROLLBACK")
        return False

    def close(self) -> None:
        self.connection.close()
        if not self.sqlite:
            self.engine.dispose()


def _kill_while_writing(worker: int, probe: WriteProbe, request: threading.Thread) -> bool:
    """Stop the worker the moment it is inside the submission's transaction and kill it there.

    The worker is first frozen (SIGSTOP) and the transaction seen still open a moment later, so the kill
    (SIGKILL) certainly lands between the first write and the commit. False if the request finished first.
    """
    while request.is_alive():
        if probe.writing():
            os.kill(worker, signal.SIGSTOP)
            time.sleep(0.2)
            if probe.writing():
                os.kill(worker, signal.SIGKILL)
                return True
            os.kill(worker, signal.SIGCONT)
            return False
        time.sleep(0.0005)
    return False


def _post_into(answer: list, browser: Browser, path: str, fields: dict) -> None:
    """POST in a thread: keep the page, or the error of a connection the server dropped."""
    try:
        answer.append(browser.post(path, fields))
    except (RemoteDisconnected, ConnectionError, urllib.error.URLError) as error:
        answer.append(error)


def _submission_facts(application_id: int) -> tuple:
    """Everything a submission makes: status, submissions with their receipts, audit events, receipt mails."""
    db.session.remove()
    application = db.session.get(Application, application_id)
    submissions = [(s.number, s.withdrawn_at is None, s.receipt_pdf.startswith(b"%PDF"))
                   for s in sorted(application.submissions, key=lambda s: s.number)]
    events = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                               .where(AuditEvent.action == "application.submitted"))
    receipts = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.kind == "application_receipt"))
    return application.status, submissions, events, receipts


def _submitted_after(before: tuple) -> tuple:
    _, submissions, events, receipts = before
    return (ApplicationStatus.SUBMITTED, [*submissions, (len(submissions) + 1, True, True)], events + 1, receipts + 2)


def test_a_worker_killed_mid_submission_leaves_the_application_submitted_or_a_draft(
        app, database_url, make_user, tmp_path):
    user = make_user(Role.KOMMUNE, kommune="Herning")
    application_id = draft_application("Herning", actor=user).id
    submit_path, withdraw_path = f"/ansoegning/{application_id}/indsend", f"/ansoegning/{application_id}/tilbagetraek"
    with contextlib.closing(WriteProbe(database_url)) as probe, gunicorn(database_url, tmp_path) as (server, url):
        browser = Browser(url)
        browser.post("/log-ind", {"email": user.email, "password": PASSWORD,
                                  "csrf_token": browser.csrf_token("/log-ind")})
        token = browser.csrf_token(f"/ansoegning/{application_id}/tjek")
        killed = False
        for _ in range(5):  # a try that misses the window ends submitted; it is withdrawn and tried again
            before = _submission_facts(application_id)
            worker = _worker_of(server.pid)
            answer: list = []
            request = threading.Thread(target=_post_into, args=(answer, browser, submit_path, {"csrf_token": token}))
            request.start()
            killed = _kill_while_writing(worker, probe, request)
            request.join()
            after = _submission_facts(application_id)
            if killed:
                assert isinstance(answer[0], (RemoteDisconnected, ConnectionResetError))  # no answer at all
                assert after == before  # still the draft it was: nothing of the submission is kept
                break
            assert "Ansøgningen er indsendt." in answer[0]
            assert after == _submitted_after(before)
            browser.post(withdraw_path, {"csrf_token": token})
        assert killed, "the worker was never caught inside the submission's transaction"

        _wait_until_serving(url, server)  # gunicorn has started a new worker
        receipt = browser.post(submit_path, {"csrf_token": token})

    assert "Ansøgningen er indsendt." in receipt
    assert _submission_facts(application_id) == _submitted_after(before)

"""Use cases of accounts: log in, invite, set and reset passwords, (de)activate."""
from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.orm import contains_eager
from werkzeug.security import check_password_hash, generate_password_hash

from portal import clock, permissions
from portal.audit.services import record_event
from portal.auth import tokens
from portal.auth.enums import Role
from portal.auth.models import User, new_security_stamp
from portal.auth.passwords import password_problem
from portal.errors import DomainError, NotPermitted
from portal.extensions import db
from portal.kommuner.models import Kommune
from portal.links import external_url
from portal.outbox.services import queue_message

# Compared against when the e-mail is unknown, so a wrong address costs as long as a wrong password.
_UNUSABLE_HASH = generate_password_hash("not-a-password-of-anyone")
LOGIN_FAILED = "E-mailadressen eller adgangskoden er forkert."


def normalise_email(email: str) -> str:
    return email.strip().lower()


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def list_users():
    """Every account, staff first, then kommune users by kommune; e-mail as tie-breaker."""
    return db.session.scalars(
        sa.select(User)
        .outerjoin(Kommune, User.kommune_id == Kommune.id)
        .options(contains_eager(User.kommune))
        .order_by(User.kommune_id.is_not(None), Kommune.name, User.email, User.id)
    ).all()


def authenticate(*, email: str, password: str) -> User:
    """The active user with this e-mail and password; DomainError otherwise (one message for all cases).

    Side effects: last_login_at is set and a 'user.logged_in' audit event is written.
    """
    user = get_user_by_email(email)
    password_hash = user.password_hash if user is not None and user.password_hash else _UNUSABLE_HASH
    password_ok = check_password_hash(password_hash, password)
    if user is None or not user.has_password or not password_ok:
        raise DomainError(LOGIN_FAILED, field="password")
    if not user.active:
        raise DomainError("Din bruger er deaktiveret. Kontakt styrelsen, hvis du skal have adgang igen.",
                          field="email")
    user.last_login_at = clock.now()
    record_event(actor=user, action="user.logged_in", obj=user, object_label=user.email)
    db.session.flush()
    return user


def log_out(user: User) -> None:
    """End every session of the user: the session id carries the security stamp, which is rotated.

    A copy of a session cookie taken before logout (a shared computer, a stolen cookie) then loads no
    user, because signed-cookie sessions cannot be revoked any other way. The user's other browsers are
    logged out too, and any invitation or reset link sent earlier stops working.
    Side effects: a new security stamp and a 'user.logged_out' audit event.
    """
    user.security_stamp = new_security_stamp()
    record_event(actor=user, action="user.logged_out", obj=user, object_label=user.email)
    db.session.flush()


def _set_password(user: User, password: str) -> None:
    problem = password_problem(password, email=user.email)
    if problem:
        raise DomainError(problem, field="password")
    user.password_hash = generate_password_hash(password)
    user.password_set_at = clock.now()
    user.security_stamp = new_security_stamp()


def create_user(*, email: str, name: str, role: Role, kommune=None, password: str | None = None, actor=None) -> User:
    """Create an account (without mail); with a password it can log in at once. Used by the CLI and demo.

    Raises DomainError if the e-mail is taken or the role and kommune do not fit together.
    """
    email = normalise_email(email)
    if get_user_by_email(email) is not None:
        raise DomainError("Der findes allerede en bruger med denne e-mailadresse.", field="email")
    if (role is Role.KOMMUNE) != (kommune is not None):
        raise DomainError("En kommunebruger skal høre til én kommune; styrelsens brugere til ingen.",
                          field="kommune")
    user = User(email=email, name=name.strip(), role=role, kommune=kommune, created_at=clock.now(),
                active=True, security_stamp=new_security_stamp())
    if password is not None:
        _set_password(user, password)
    db.session.add(user)
    db.session.flush()
    record_event(actor=actor, action="user.created", obj=user, object_label=email,
                 after={"email": email, "role": role, "kommune": kommune.name if kommune else None})
    return user


def invite_user(*, email: str, name: str, role: Role, kommune=None, actor: User) -> User:
    """Create an account without a password and mail its owner a link to choose one.

    Side effects: the user, a 'user.invited' audit event, and an invitation mail in the outbox.
    """
    if not permissions.can_invite_role(actor, role):
        raise NotPermitted("Du kan ikke invitere en bruger med den rolle.")
    user = create_user(email=email, name=name, role=role, kommune=kommune, actor=actor)
    user.invited_at = clock.now()
    record_event(actor=actor, action="user.invited", obj=user, object_label=user.email)
    _queue_invitation(user, inviter=actor)
    db.session.flush()
    return user


def resend_invitation(user: User, *, actor: User) -> None:
    """Send a new invitation link to a user who has not yet chosen a password."""
    if not permissions.can_invite_role(actor, user.role):
        raise NotPermitted("Du kan ikke invitere denne bruger.")
    if user.has_password:
        raise DomainError("Brugeren har allerede valgt en adgangskode.")
    if not user.active:
        raise DomainError("Brugeren er deaktiveret. Aktivér brugeren først.")
    user.invited_at = clock.now()
    record_event(actor=actor, action="user.invitation_resent", obj=user, object_label=user.email)
    _queue_invitation(user, inviter=actor)
    db.session.flush()


def _queue_invitation(user: User, *, inviter: User) -> None:
    link = external_url("auth.accept_invitation", token=tokens.make_token(user, tokens.INVITATION))
    context = dict(user=user, inviter=inviter, link=link, days=tokens.LIFETIMES[tokens.INVITATION].days)
    queue_message(
        kind="invitation",
        recipient=user.email,
        subject="Invitation til Puljeportalen – Sammen om fastholdelse",
        text_body=render_template("mail/invitation.txt", **context),
        html_body=render_template("mail/invitation.html", **context),
    )


def accept_invitation(*, token: str, password: str) -> User:
    """Set the first password from an invitation link; the link then stops working."""
    user = tokens.user_for_token(token, tokens.INVITATION)
    _set_password(user, password)
    record_event(actor=user, action="user.invitation_accepted", obj=user, object_label=user.email)
    db.session.flush()
    return user


def request_password_reset(*, email: str) -> None:
    """Mail a reset link if an active account with a password has this e-mail; silent otherwise,
    so the page never tells a stranger which addresses have accounts."""
    user = get_user_by_email(email)
    if user is None or not user.active or not user.has_password:
        return
    link = external_url("auth.reset_password", token=tokens.make_token(user, tokens.PASSWORD_RESET))
    hours = int(tokens.LIFETIMES[tokens.PASSWORD_RESET].total_seconds() // 3600)
    context = dict(user=user, link=link, hours=hours)
    queue_message(
        kind="password_reset",
        recipient=user.email,
        subject="Nulstil din adgangskode til Puljeportalen",
        text_body=render_template("mail/password_reset.txt", **context),
        html_body=render_template("mail/password_reset.html", **context),
    )
    record_event(actor=None, action="user.password_reset_requested", obj=user, object_label=user.email)
    db.session.flush()


def reset_password(*, token: str, password: str) -> User:
    """Set a new password from a reset link; the link (and any other link sent earlier) stops working."""
    user = tokens.user_for_token(token, tokens.PASSWORD_RESET)
    _set_password(user, password)
    record_event(actor=user, action="user.password_reset", obj=user, object_label=user.email)
    db.session.flush()
    return user


def set_active(user: User, *, active: bool, actor: User) -> None:
    """Deactivate (the user is logged out at the next request and cannot log in) or reactivate."""
    if not permissions.can_change_active(actor, user):
        raise NotPermitted("Du kan ikke ændre denne brugers adgang.")
    if user.active == active:
        return
    user.active = active
    user.deactivated_at = None if active else clock.now()
    if not active:
        user.security_stamp = new_security_stamp()  # outstanding links die with the access
    record_event(actor=actor, action="user.reactivated" if active else "user.deactivated", obj=user,
                 object_label=user.email, before={"active": not active}, after={"active": active})
    db.session.flush()

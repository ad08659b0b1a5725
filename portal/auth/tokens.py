"""Signed, expiring, single-use links for invitations and password resets.

A token carries the user's id and security stamp; setting a password rotates the stamp, so a link
works once. Signing uses the app's SECRET_KEY, with a salt per purpose. A link's age is measured on the
portal's clock, like every other deadline, so it also expires on a demonstration's or a test's clock.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from portal import clock
from portal.auth.models import User
from portal.errors import DomainError
from portal.extensions import db

INVITATION = "invitation"
# A link purpose (the salt's name), not a password: bandit's B105 mistakes it for one.
PASSWORD_RESET = "password-reset"  # nosec B105
LIFETIMES = {INVITATION: timedelta(days=7), PASSWORD_RESET: timedelta(hours=2)}


class _PortalClockSigner(TimestampSigner):
    """Stamps and ages links by the portal's clock instead of the machine's."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"portal-{purpose}",
                                  signer=_PortalClockSigner)


def make_token(user, purpose: str) -> str:
    return _serializer(purpose).dumps([user.id, user.security_stamp])


def user_for_token(token: str, purpose: str):
    """The active user a link belongs to; DomainError with a Danish message when it cannot be used."""
    try:
        user_id, stamp = _serializer(purpose).loads(token, max_age=int(LIFETIMES[purpose].total_seconds()))
    except SignatureExpired:
        raise DomainError("Linket er udløbet. Bed om et nyt.") from None
    except (BadSignature, ValueError, TypeError):
        raise DomainError("Linket er ugyldigt. Kontrollér, at du har kopieret hele linket.") from None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.security_stamp != stamp:
        raise DomainError("Linket er allerede brugt eller ikke længere gyldigt. Bed om et nyt.")
    return user

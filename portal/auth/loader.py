"""How Flask-Login finds the user of a session, and what it says to the anonymous."""
from __future__ import annotations

from portal.extensions import db


def load_user(session_id: str):
    """The active user whose id and security stamp match the session; None ends the session."""
    from portal.auth.models import User

    user_id, _, stamp = session_id.partition(".")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.security_stamp != stamp:
        return None
    return user


def register_user_loader(login_manager) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log ind for at se siden."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

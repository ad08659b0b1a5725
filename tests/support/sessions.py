"""Signing a test client in without the login page: no password to hash, so tests stay fast."""
from portal.auth.services import create_user
from portal.transaction import commit


def signed_in(client, user):
    """The client with the session /log-ind would give `user` (the login page has tests of its own)."""
    with client.session_transaction() as session:
        session.update({"_user_id": user.get_id(), "_fresh": True})
    return client


def staff_user(role, email: str, name: str):
    """An agency account without a password, committed."""
    user = create_user(email=email, name=name, role=role)
    commit()
    return user

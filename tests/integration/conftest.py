"""Fixtures the integration tests share: Sara, a caseworker without a password, and her signed-in client."""
import pytest

from portal.auth.enums import Role
from tests.support.sessions import signed_in, staff_user


@pytest.fixture
def sara(app):
    return staff_user(Role.SAGSBEHANDLER, "sara@star.test", "Sara Sagsbehandler")


@pytest.fixture
def sara_client(client, sara):
    return signed_in(client, sara)

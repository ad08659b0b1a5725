"""Accounts, roles, login, invitations and password resets."""

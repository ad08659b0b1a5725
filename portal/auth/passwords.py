"""The password rule: pure, with Danish messages."""
from __future__ import annotations

MIN_LENGTH = 12
MAX_LENGTH = 128


def password_problem(password: str, *, email: str = "") -> str | None:
    """The first reason `password` cannot be used, in Danish, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Adgangskoden skal være på mindst {MIN_LENGTH} tegn."
    if len(password) > MAX_LENGTH:
        return f"Adgangskoden må højst være på {MAX_LENGTH} tegn."
    if not password.strip():
        return "Adgangskoden kan ikke bestå af mellemrum alene."
    if email and password.strip().casefold() == email.strip().casefold():
        return "Adgangskoden må ikke være din e-mailadresse."
    return None

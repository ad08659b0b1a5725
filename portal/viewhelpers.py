"""Small helpers every blueprint uses: permission checks and showing domain errors at their field."""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import Response, abort, flash
from flask_login import current_user

from portal.errors import DomainError, RuleViolations
from portal.extensions import login_manager


def permission_required(predicate):
    """Let the view run only if `predicate(current_user)` holds: anonymous users log in, others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not predicate(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def _field(form, name: str):
    """The form's field by name, also inside a list of subforms: 'participants-0-email'."""
    field = getattr(form, name, None)
    if field is not None or "-" not in name:
        return field
    head, index, rest = name.split("-", 2)
    entries = getattr(getattr(form, head, None), "entries", None)
    if entries is None or not index.isdigit() or int(index) >= len(entries):
        return None
    return _field(entries[int(index)].form, rest)


def show_domain_error(form, error: DomainError) -> None:
    """Put a rule's message at its form field, or flash it when it belongs to no field."""
    problems = error.problems if isinstance(error, RuleViolations) else {error.field: error.message}
    for field_name, message in problems.items():
        field = _field(form, field_name) if field_name else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
        else:
            flash(message, "error")


def safe_next(target: str | None) -> str | None:
    """A local path to go on to after login, or None: never another host.

    Browsers read a backslash as a slash and drop tabs and line breaks, so '/\\evil.example' would lead away;
    a control character cannot be in a redirect's header at all. Both are refused."""
    if not target:
        return None
    if "\\" in target or any(ord(character) < 32 or ord(character) == 127 for character in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def download(data: bytes, filename: str, mimetype: str) -> Response:
    """A file the browser saves under `filename` (PDF receipts, exports)."""
    return Response(data, content_type=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})

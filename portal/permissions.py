"""Every permission of the portal, as small predicates on the user (and the object).

Views ask these and nothing else; services ask them again before they change state.
Anonymous users (Flask-Login's AnonymousUserMixin) have no role and may do nothing here.
"""
from __future__ import annotations

from portal.auth.enums import Role


def _role(user) -> Role | None:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    return user.role


def is_staff(user) -> bool:
    """A caseworker (sagsbehandler) or administrator of the agency."""
    role = _role(user)
    return role is not None and role.is_staff


def is_admin(user) -> bool:
    return _role(user) is Role.ADMIN


def is_kommune_user(user) -> bool:
    return _role(user) is Role.KOMMUNE


def can_view_dashboard(user) -> bool:
    return _role(user) is not None


def can_view_kommuner(user) -> bool:
    return is_staff(user)


def can_view_kommune(user, kommune) -> bool:
    """Staff see every kommune; a kommune user sees only its own."""
    if is_staff(user):
        return True
    return is_kommune_user(user) and user.kommune_id == kommune.id


def can_manage_users(user) -> bool:
    return is_staff(user)


def can_invite_role(user, role: Role) -> bool:
    """Caseworkers invite kommune users and other caseworkers; only an administrator invites administrators."""
    if is_admin(user):
        return True
    return is_staff(user) and role is not Role.ADMIN


def can_change_active(user, target) -> bool:
    """Staff may (de)activate others, never themselves; only an administrator touches an administrator."""
    if not is_staff(user) or target.id == user.id:
        return False
    return is_admin(user) or target.role is not Role.ADMIN


def can_edit_pool(user) -> bool:
    return is_admin(user)


def can_view_outbox(user) -> bool:
    return is_staff(user)


def can_send_outbox(user) -> bool:
    return is_staff(user)


def can_view_audit(user) -> bool:
    return is_staff(user)


def can_start_application(user) -> bool:
    """A kommune's own users apply on its behalf; the agency never applies."""
    return is_kommune_user(user)


def can_view_application(user, application) -> bool:
    """Staff read every application; a kommune user reads only its own kommune's."""
    if is_staff(user):
        return True
    return is_kommune_user(user) and user.kommune_id == application.kommune_id


def can_edit_application(user, application) -> bool:
    """Only the kommune's own users change its answers, submit or withdraw it."""
    return is_kommune_user(user) and user.kommune_id == application.kommune_id


def can_view_applications(user) -> bool:
    """The list of every application, its exports and the reminders are the agency's."""
    return is_staff(user)


def can_reopen_application(user) -> bool:
    return is_staff(user)


def can_send_reminders(user) -> bool:
    return is_staff(user)


def can_review_applications(user) -> bool:
    """Score applications, declare conflicts of interest, see every score."""
    return is_staff(user)


def can_edit_review_settings(user) -> bool:
    """The section weights and the selection's minimums live on the pool: an administrator's call."""
    return is_admin(user)


def can_select_applications(user) -> bool:
    """Mark applications selected or rejected, apply the suggestion, confirm the selection."""
    return is_staff(user)


def can_allocate(user) -> bool:
    """Compute what-ifs, override a grant with a reason, confirm the allocation."""
    return is_staff(user)


def can_manage_grants(user) -> bool:
    """Make, edit and issue grant letters; see every grant."""
    return is_staff(user)


def can_answer_grant(user, grant) -> bool:
    """Accept or decline a grant: a user of the kommune it is given to."""
    return is_kommune_user(user) and user.kommune_id == grant.kommune_id


def can_request_change(user, grant) -> bool:
    """Ask to move a grant's money between budget years or categories: a user of the kommune it is given to."""
    return is_kommune_user(user) and user.kommune_id == grant.kommune_id


def can_manage_workshops(user) -> bool:
    """Create and edit events, generate the standard series, see every booking."""
    return is_staff(user)


def can_book_workshops(user) -> bool:
    """Book, change and cancel the kommune's own bookings."""
    return is_kommune_user(user)


def can_manage_reports(user) -> bool:
    """Adjust reporting plans, send reports back or approve them, remind, see every report and the measures."""
    return is_staff(user)


def can_write_report(user, grant) -> bool:
    """Write and submit a grant's reports: a user of the kommune it is given to."""
    return is_kommune_user(user) and user.kommune_id == grant.kommune_id

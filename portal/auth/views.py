"""The auth blueprint: log in and out, invitations, password resets, and the staff's user list."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from portal import permissions
from portal.auth import services
from portal.auth.enums import Role
from portal.auth.forms import ChoosePasswordForm, InviteUserForm, LoginForm, PasswordResetRequestForm
from portal.auth.models import User
from portal.auth.tokens import INVITATION, PASSWORD_RESET, user_for_token
from portal.errors import DomainError, NotPermitted
from portal.extensions import db, limiter
from portal.fields import choices
from portal.forms import ButtonForm
from portal.kommuner.models import Kommune
from portal.kommuner.services import list_all_kommuner
from portal.transaction import commit, rollback, told
from portal.viewhelpers import permission_required, safe_next, show_domain_error

blueprint = Blueprint("auth", __name__)

LOGIN_LIMITED = "For mange mislykkede loginforsøg. Vent 15 minutter, og prøv igen, eller nulstil din adgangskode."


def _start_session(user: User) -> None:
    """Log the user in on a session with nothing from before login, not even its CSRF token.

    The signed cookie changes anyway when the identity enters it; clearing it too means a token or
    value planted in (or read from) the anonymous session is worth nothing afterwards.
    """
    session.clear()
    login_user(user)


def _login_failed(response) -> bool:
    return response.status_code != 302


def _account_key() -> str:
    return "login-account:" + request.form.get("email", "").strip().lower()


@blueprint.route("/log-ind", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"], deduct_when=_login_failed)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"], key_func=_account_key,
               deduct_when=_login_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("pulje.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(email=form.email.data, password=form.password.data)
            commit()
        except DomainError as error:
            rollback()
            show_domain_error(form, error)
        else:
            _start_session(user)
            flash(f"Du er logget ind som {user.name}.", "success")
            return redirect(safe_next(request.args.get("next")) or url_for("pulje.dashboard"))
    return render_template("auth/login.html", form=form)


def render_login_limited():
    """The login page again, with the rate limit's message at the top (status 429)."""
    form = LoginForm()
    return render_template("auth/login.html", form=form, limited_message=LOGIN_LIMITED), 429


@blueprint.route("/log-ud", methods=["POST"])
def logout():
    if ButtonForm().validate_on_submit():
        if current_user.is_authenticated:
            services.log_out(current_user._get_current_object())
            commit()
        logout_user()
        flash("Du er logget ud.", "success")
    return redirect(url_for("pulje.front_page"))


@blueprint.route("/glemt-adgangskode", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password():
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(email=form.email.data)
        commit()
        flash("Hvis adressen hører til en bruger i portalen, har vi sendt en mail med et link til at vælge "
              "en ny adgangskode. Linket virker i 2 timer.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


def _choose_password(token: str, purpose: str, accept, template: str, done_message: str):
    """Shared flow of invitation and reset links: check the link, take a password, log the user in."""
    try:
        user = user_for_token(token, purpose)
    except DomainError as error:
        return render_template("auth/link_invalid.html", message=error.message), 400
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        try:
            user = accept(token=token, password=form.password.data)
            commit()
        except DomainError as error:
            rollback()
            show_domain_error(form, error)
        else:
            _start_session(user)
            flash(done_message, "success")
            return redirect(url_for("pulje.dashboard"))
    return render_template(template, form=form, user=user)


@blueprint.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    return _choose_password(token, INVITATION, services.accept_invitation, "auth/accept_invitation.html",
                            "Din adgangskode er gemt, og du er logget ind. Velkommen til Puljeportalen.")


@blueprint.route("/nulstil-adgangskode/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    return _choose_password(token, PASSWORD_RESET, services.reset_password, "auth/reset_password.html",
                            "Din nye adgangskode er gemt, og du er logget ind.")


@blueprint.route("/brugere")
@permission_required(permissions.can_manage_users)
def users():
    return render_template("auth/users.html", users=services.list_users(), button=ButtonForm())


def _invite_form() -> InviteUserForm:
    form = InviteUserForm()
    form.role.choices = choices((role.value, role.label) for role in Role
                                if permissions.can_invite_role(current_user, role))
    form.kommune_id.choices = choices([("", "Vælg kommune")] + [(k.id, k.name) for k in list_all_kommuner()])
    return form


@blueprint.route("/brugere/inviter", methods=["GET", "POST"])
@permission_required(permissions.can_manage_users)
def invite():
    form = _invite_form()
    if form.validate_on_submit():
        role = Role(form.role.data)
        kommune = db.session.get(Kommune, form.kommune_id.data) if role is Role.KOMMUNE else None
        try:
            user = services.invite_user(email=form.email.data, name=form.name.data, role=role, kommune=kommune,
                                        actor=current_user)
            mailed = commit()
        except DomainError as error:
            rollback()
            show_domain_error(form, error)
        else:
            flash(told(f"{user.name} er inviteret.", f"Invitationen er sendt til {user.email}.", mailed=mailed),
                  "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/invite.html", form=form)


def _user_action(user_id: int, action, message: str, mail: str = ""):
    user = db.session.get(User, user_id) or abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        action(user)
        mailed = commit()
    except NotPermitted:
        rollback()
        abort(403)
    except DomainError as error:
        rollback()
        flash(error.message, "error")
    else:
        flash(told(message, mail, mailed=mailed).format(name=user.name), "success")
    return redirect(url_for("auth.users"))


@blueprint.route("/brugere/<int:user_id>/deaktiver", methods=["POST"])
@permission_required(permissions.can_manage_users)
def deactivate(user_id: int):
    return _user_action(user_id, lambda user: services.set_active(user, active=False, actor=current_user),
                        "{name} er deaktiveret og kan ikke længere logge ind.")


@blueprint.route("/brugere/<int:user_id>/aktiver", methods=["POST"])
@permission_required(permissions.can_manage_users)
def reactivate(user_id: int):
    return _user_action(user_id, lambda user: services.set_active(user, active=True, actor=current_user),
                        "{name} er aktiveret igen.")


@blueprint.route("/brugere/<int:user_id>/send-invitation", methods=["POST"])
@permission_required(permissions.can_manage_users)
def resend_invitation(user_id: int):
    return _user_action(user_id, lambda user: services.resend_invitation(user, actor=current_user),
                        "En ny invitation til {name} er lavet.", "Den er sendt på mail.")

"""The pulje blueprint: the public front page, each user's dashboard, and the pool's parameters."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from portal import clock, permissions
from portal.applications.casework import complete_sections, count_applications, list_unsubmitted
from portal.applications.services import deadline_of, get_application
from portal.errors import DomainError, StaleObject
from portal.forms import ButtonForm
from portal.grants.payments import money_overview
from portal.grants.services import get_grant_of, list_grants
from portal.pulje.forms import PoolForm
from portal.pulje.overview import pool_overview
from portal.pulje.rules import PoolParameters
from portal.pulje.services import get_pool, staff_counts, update_pool
from portal.reports.services import count_reports, list_reports_of
from portal.review.selection import final_decision_of
from portal.transaction import commit, rollback
from portal.viewhelpers import permission_required, show_domain_error

blueprint = Blueprint("pulje", __name__)


@blueprint.route("/")
def front_page():
    pool = get_pool()
    return render_template("pulje/front_page.html", pool=pool, overview=pool_overview(pool, clock.now()))


@blueprint.route("/tilgaengelighed")
def accessibility():
    """The accessibility statement (tilgængelighedserklæring) the law asks of a public website; for everyone."""
    return render_template("pulje/accessibility.html", pool=get_pool())


@blueprint.route("/was")
def accessibility_short():
    """The address where Danish public websites keep their statement (after Digitaliseringsstyrelsen's WAS-Tool)."""
    return redirect(url_for(".accessibility"), 301)


@blueprint.route("/overblik")
@permission_required(permissions.can_view_dashboard)
def dashboard():
    pool = get_pool()
    overview = pool_overview(pool, clock.now())
    if permissions.is_staff(current_user):
        return render_template("pulje/dashboard_staff.html", pool=pool, overview=overview, counts=staff_counts(),
                               applications=count_applications(pool), unsubmitted=list_unsubmitted(pool),
                               money=money_overview(list_grants(pool), pool_kr=pool.total_kr),
                               report_counts=count_reports(pool, today=clock.local_now().date()),
                               remind_form=ButtonForm())
    kommune = current_user.kommune
    application, grant = get_application(pool, kommune), get_grant_of(pool, kommune)
    return render_template("pulje/dashboard_kommune.html", pool=pool, overview=overview, kommune=kommune,
                           size_class=kommune.size_class(pool.size_thresholds), application=application,
                           complete=complete_sections(application) if application else 0,
                           deadline=deadline_of(application) if application else pool.application_deadline_at,
                           decision=final_decision_of(application) if application else None,
                           grant=grant, reports=list_reports_of(grant) if grant else [],
                           today=clock.local_now().date(), start_form=ButtonForm())


@blueprint.route("/puljen/rediger", methods=["GET", "POST"])
@permission_required(permissions.can_edit_pool)
def edit_pool():
    pool = get_pool()
    form = PoolForm(obj=pool)
    if form.validate_on_submit():
        parameters = PoolParameters(**{name: getattr(form, name).data for name in PoolParameters.field_names()})
        try:
            changed = update_pool(pool, actor=current_user, parameters=parameters,
                                  seen_version=int(form.version.data or 0))
            commit()
        except StaleObject as error:
            rollback()
            flash(error.message, "error")
            pool = get_pool()
            form.version.data = str(pool.version)  # saving again now deliberately replaces the newer values
            return render_template("pulje/edit.html", form=form, pool=pool, stale=True)
        except DomainError as error:
            rollback()
            show_domain_error(form, error)
        else:
            flash("Puljens parametre er gemt." if changed else "Der var ingen ændringer at gemme.", "success")
            return redirect(url_for("pulje.edit_pool"))
    return render_template("pulje/edit.html", form=form, pool=pool, stale=False)

"""The kommuner blueprint: the caseworkers' list of the 98 kommuner."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from portal import permissions
from portal.kommuner.forms import KommuneFilterForm
from portal.kommuner.services import list_kommuner
from portal.pulje.services import get_pool
from portal.viewhelpers import permission_required

blueprint = Blueprint("kommuner", __name__)


@blueprint.route("/kommuner")
@permission_required(permissions.can_view_kommuner)
def index():
    pool = get_pool()
    form = KommuneFilterForm(request.args)
    filters = form.data if form.validate() else {}
    rows = list_kommuner(thresholds=pool.size_thresholds, region=filters.get("region"), amk=filters.get("amk"),
                         size=filters.get("size"))
    return render_template("kommuner/index.html", form=form, rows=rows, pool=pool,
                           population=sum(row.kommune.population for row in rows))

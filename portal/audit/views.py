"""The audit blueprint: staff list and filter the log of every state change."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from portal import permissions
from portal.audit.services import list_events, list_filter_choices
from portal.viewhelpers import permission_required

blueprint = Blueprint("audit", __name__)


@blueprint.route("/haendelseslog")
@permission_required(permissions.can_view_audit)
def index():
    filters = {
        "action": request.args.get("handling", "").strip() or None,
        "object_type": request.args.get("objekt", "").strip() or None,
        "actor": request.args.get("bruger", "").strip() or None,
    }
    actions, object_types = list_filter_choices()
    page = list_events(**filters, page=request.args.get("side", 1, type=int))
    return render_template("audit/index.html", page=page, filters=filters, actions=actions,
                           object_types=object_types)

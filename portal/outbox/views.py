"""The outbox blueprint: staff read every mail the portal has queued or sent, and retry delivery."""
from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for

from portal import permissions
from portal.extensions import db
from portal.forms import ButtonForm
from portal.outbox.delivery import deliver_queued
from portal.outbox.models import MessageStatus, OutboxAttachment, OutboxMessage
from portal.outbox.services import count_by_status, list_messages
from portal.viewhelpers import permission_required

blueprint = Blueprint("outbox", __name__, url_prefix="/udbakke")


@blueprint.route("/")
@permission_required(permissions.can_view_outbox)
def index():
    status_value = request.args.get("status", "")
    status = MessageStatus(status_value) if status_value in {s.value for s in MessageStatus} else None
    page = list_messages(status=status, page=request.args.get("side", 1, type=int))
    return render_template("outbox/index.html", page=page, status=status, counts=count_by_status(),
                           button=ButtonForm(), statuses=list(MessageStatus))


@blueprint.route("/<int:message_id>")
@permission_required(permissions.can_view_outbox)
def show(message_id: int):
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    return render_template("outbox/show.html", message=message)


@blueprint.route("/<int:message_id>/bilag/<int:attachment_id>")
@permission_required(permissions.can_view_outbox)
def attachment(message_id: int, attachment_id: int):
    item = db.session.get(OutboxAttachment, attachment_id)
    if item is None or item.message_id != message_id:
        abort(404)
    return send_file(BytesIO(item.data), mimetype=item.content_type, as_attachment=True,
                     download_name=item.filename)


@blueprint.route("/send", methods=["POST"])
@permission_required(permissions.can_send_outbox)
def send():
    if not ButtonForm().validate_on_submit():
        abort(400)
    result = deliver_queued()
    if result.skipped:
        flash("Der er ingen mailserver sat op (MAIL_SERVER), så mailene bliver i udbakken.", "info")
    elif result.failed:
        flash(f"{result.sent} mail sendt; {result.failed} kunne ikke sendes og ligger stadig i kø.", "error")
    else:
        flash(f"{result.sent} mail sendt.", "success")
    return redirect(url_for("outbox.index"))

from flask import render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.audit import bp
from app.audit.models import AuditEntry
from app.extensions import db
from app.params import int_arg
from app.permissions import requires

PAGE_SIZE = 100


@bp.get("/")
@login_required
@requires("audit.view")
def index():
    page = max(int_arg("side", 1) or 1, 1)
    action = request.args.get("handling", "").strip()
    query = select(AuditEntry).options(joinedload(AuditEntry.actor)).where(AuditEntry.home_id == current_user.home_id)
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    entries = db.session.scalars(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ).all()
    return render_template("audit/index.html", entries=entries, page=page, action=action,
                           has_next=len(entries) == PAGE_SIZE)

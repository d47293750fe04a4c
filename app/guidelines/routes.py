from flask import abort, render_template
from flask_login import current_user, login_required

from app.guidelines import bp
from app.guidelines.services import guideline_by_slug, guidelines_for_home


@bp.get("/")
@login_required
def index():
    return render_template("guidelines/index.html", guidelines=guidelines_for_home(current_user.home))


@bp.get("/<slug>")
@login_required
def show(slug: str):
    guideline = guideline_by_slug(current_user.home, slug)
    if guideline is None or guideline.published is None:
        abort(404)
    return render_template("guidelines/show.html", guideline=guideline)

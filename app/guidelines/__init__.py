from flask import Blueprint

from app.hooks import nav_item

bp = Blueprint("guidelines", __name__, template_folder="templates", url_prefix="/guidelines")

nav_item("Retningslinjer", "guidelines.index", None, order=20)

from app.guidelines import models  # noqa: E402,F401

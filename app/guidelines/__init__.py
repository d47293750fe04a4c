from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.hooks import nav_item

bp = Blueprint("guidelines", __name__, template_folder="templates", url_prefix="/guidelines")

nav_item(_l("Retningslinjer"), "guidelines.index", None, order=20, group="guidelines")

from app.guidelines import models  # noqa: E402,F401

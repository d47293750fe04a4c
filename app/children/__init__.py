from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.hooks import nav_item

bp = Blueprint("children", __name__, template_folder="templates", url_prefix="/children")

nav_item(_l("Børn"), "children.index", "children.list", order=40, group="children")

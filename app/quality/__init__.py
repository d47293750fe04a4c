from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.hooks import nav_item

bp = Blueprint("quality", __name__, template_folder="templates", url_prefix="/quality")

nav_item(_l("Kvalitetsovervågning"), "quality.index", "quality.view", order=70, group="quality")

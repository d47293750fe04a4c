from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.hooks import nav_item

bp = Blueprint("onboarding", __name__, template_folder="templates", url_prefix="/onboarding")

nav_item(_l("Introduktion"), "onboarding.index", "onboarding.use", order=30, group="onboarding")

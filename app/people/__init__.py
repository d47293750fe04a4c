from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.hooks import nav_item

bp = Blueprint("people", __name__, template_folder="templates", url_prefix="/people")

nav_item(_l("Forside"), "dashboard.index", None, order=0)
nav_item(_l("Medarbejdere"), "people.index", "people.list", order=80)
nav_item(_l("Ressourcepersoner"), "people.resources", None, order=75)
nav_item(_l("Organisation"), "people.organisation", "org.manage", order=85)
nav_item(_l("Revisionslog"), "audit.index", "audit.view", order=95)


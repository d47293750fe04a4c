from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.hooks import nav_item

bp = Blueprint("people", __name__, template_folder="templates", url_prefix="/people")

nav_item(_l("Forside"), "dashboard.index", None, order=0, group="home")
nav_item(_l("Medarbejdere"), "people.index", "people.list", order=80, group="organisation")
nav_item(_l("Ressourcepersoner"), "people.resources", None, order=82, group="organisation")
nav_item(_l("Afdelinger"), "people.organisation", "org.manage", order=85, group="organisation")
nav_item(_l("Indstillinger"), "people.settings", "org.manage", order=86, group="organisation")
nav_item(_l("Revisionslog"), "audit.index", "audit.view", order=95, group="organisation")


from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.hooks import nav_item

bp = Blueprint("competence", __name__, template_folder="templates", url_prefix="/competence")

nav_item(_l("Kursusønsker"), "competence.my_wishes", "competence.wish_own", order=30, group="competence")
nav_item(_l("Ønskeoversigt"), "competence.overviews", "competence.overview", order=32, group="competence")
nav_item(_l("Kompetencemidler"), "competence.distribution_page", "competence.distribution_view", order=34,
         group="competence")
nav_item(_l("Kurser"), "competence.courses", "competence.courses", order=36, group="competence")
nav_item(_l("Kompetenceplan"), "competence.plan", "competence.plan", order=38, group="competence")
nav_item(_l("Forslag til tilbudsplan"), "competence.suggestions", "competence.suggestions", order=40,
         group="competence")
nav_item(_l("Tilbudsplan"), "competence.tilbudsplan", "competence.tilbudsplan", order=39, group="competence")

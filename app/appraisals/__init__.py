"""Appraisals: MU and LU talks, each employee's competence profile, neuropedagogy and the MUS concept."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.hooks import nav_item

bp = Blueprint("appraisals", __name__, template_folder="templates", url_prefix="/appraisals")

nav_item(_l("Samtaler"), "appraisals.index", "appraisals.overview", order=60, group="appraisals")
nav_item(_l("Min profil"), "appraisals.my_profile", None, order=31, group="competence")

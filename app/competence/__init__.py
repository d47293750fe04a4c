from flask import Blueprint

bp = Blueprint("competence", __name__, template_folder="templates", url_prefix="/competence")

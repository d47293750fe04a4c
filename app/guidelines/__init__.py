from flask import Blueprint

bp = Blueprint("guidelines", __name__, template_folder="templates", url_prefix="/guidelines")

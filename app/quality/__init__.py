from flask import Blueprint

bp = Blueprint("quality", __name__, template_folder="templates", url_prefix="/quality")

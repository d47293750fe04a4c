from flask import Blueprint

bp = Blueprint("cycle", __name__, template_folder="templates", url_prefix="/cycle")

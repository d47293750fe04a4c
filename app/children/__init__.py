from flask import Blueprint

bp = Blueprint("children", __name__, template_folder="templates", url_prefix="/children")

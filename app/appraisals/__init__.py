from flask import Blueprint

bp = Blueprint("appraisals", __name__, template_folder="templates", url_prefix="/appraisals")

from flask import Blueprint

bp = Blueprint("auth", __name__, template_folder="templates", url_prefix="/auth")


from app.auth import oidc  # noqa: E402, F401 - single sign-on registers its routes and settings on this blueprint

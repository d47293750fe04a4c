from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.hooks import nav_item

# The CLI group is "reminders": `flask reminders send` is the daily cron job.
bp = Blueprint("cycle", __name__, template_folder="templates", url_prefix="/cycle", cli_group="reminders")

nav_item(_l("Årshjul"), "cycle.year", "cycle.view", order=25, group="cycle")
nav_item(_l("Mini-MED-møder"), "cycle.meetings", "cycle.meetings.view", order=70, group="cycle")

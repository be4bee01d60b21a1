from flask import Blueprint, abort, request

# Volunteer-facing pages: home, categories, project pages, contribute. Routes live in sibling modules.
bp = Blueprint("web", __name__)


@bp.before_request
def json_bodies_are_objects():
    # Forms read JSON bodies as field maps (Flask-WTF); anything but an object would be a 500 there.
    if request.method in ("POST", "PUT", "PATCH") and request.is_json:
        if not isinstance(request.get_json(silent=True), dict):
            abort(400, "Send a JSON object with the form's fields.")

from flask import Blueprint

# Volunteer-facing pages: home, categories, project pages, contribute. Routes live in sibling modules.
bp = Blueprint("web", __name__)


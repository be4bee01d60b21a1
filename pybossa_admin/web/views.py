from flask import Blueprint

from ..repositories import projects as project_repo
from ..responses import respond

bp = Blueprint("web", __name__)


@bp.route("/")
def home():
    return respond("web/home.html", featured=project_repo.featured(), categories=project_repo.categories(),
                   title="Home")

"""Volunteer-facing pages: home, categories, project pages, contribute (task presenter)."""
from . import contribute, projects, views  # noqa: F401  (register their routes on bp)
from .blueprint import bp


def init_app(app):
    app.register_blueprint(bp)

    @app.context_processor
    def layout_context():
        from flask_wtf.csrf import generate_csrf
        return {"csrf_token_value": generate_csrf, "platform_version": app.extensions["pybossa_admin"]["version"]}

"""Volunteer-facing pages."""
from .views import bp


def init_app(app):
    app.register_blueprint(bp)

    @app.context_processor
    def layout_context():
        from flask_wtf.csrf import generate_csrf
        return {"csrf_token_value": generate_csrf, "platform_version": app.extensions["pybossa_admin"]["version"]}

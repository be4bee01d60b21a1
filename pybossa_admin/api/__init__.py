"""The PYBOSSA-compatible REST API under /api/ (see issue: REST API, contribution flow, audit trail).

Layout: schema.py (Field/Resource), resources/ (one definition per resource: fields, rules, handlers
calling services), views.py (generic views generated from the definitions), query.py (list query
strings), guard.py (API-key errors, rate limit), errors.py (PYBOSSA's error JSON), openapi.py."""


def init_app(app):
    """Registers the API blueprint(s), exempt from CSRF (they authenticate with API keys)."""
    from ..extensions import csrf
    from . import errors, guard, volunteer
    from .views import bp

    # Bodies must be JSON (415 otherwise), which a cross-site form cannot send, so session callers
    # stay safe without a CSRF token.
    csrf.exempt(bp)
    app.register_blueprint(bp)
    app.extensions["pybossa_admin"]["api_error_handler"] = errors.handle
    app.before_request(guard.before_api_request)
    app.after_request(guard.after_api_request)
    app.after_request(volunteer.set_cookie)

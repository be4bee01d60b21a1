"""The PYBOSSA-compatible REST API under /api/ (see issue: REST API, contribution flow, audit trail)."""


def init_app(app):
    """Registers the API blueprint(s), exempt from CSRF (they authenticate with API keys)."""

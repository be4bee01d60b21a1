"""The admin shell: one Flask-Admin instance per app at /admin/, deny by default.

Besides each view's own check, an app-level guard refuses every /admin request from anyone who
is not an admin, so a plugin that forgets its guard is still closed.
"""
from __future__ import annotations

from flask import current_app, request, url_for
from flask_admin import Admin, AdminIndexView, BaseView, expose
from flask_admin.menu import MenuLink
from flask_admin.theme import Bootstrap4Theme

from .auth.guards import admin_denial, is_admin
from .responses import respond

ADMIN_PREFIX = "/admin"


class _Guarded:
    def is_accessible(self):
        return is_admin()

    def inaccessible_callback(self, name, **kwargs):
        return admin_denial()

    def is_visible(self):
        # A plugin disabled in the database keeps its routes registered (they 404) until restart;
        # its menu entries go away with them.
        return is_admin() and not owner_disabled(getattr(self, "endpoint", None))


class AdminView(_Guarded, BaseView):
    """Base for plugin admin pages: guarded, rendered in the admin layout, JSON on request."""

    def respond(self, template: str, status: int = 200, **context):
        return respond(template, status=status, render=self.render, **context)


class GuardedIndexView(_Guarded, AdminIndexView):
    @expose("/")
    def index(self):
        cards = []
        for plugin_name, card in current_app.extensions["pybossa_admin"].get("cards", []):
            if plugin_name in _disabled():
                continue
            cards.append({"plugin": plugin_name, "title": card.title, "endpoint": card.endpoint,
                          "description": card.description,
                          "count": card.count() if card.count else None,
                          "links": [{"label": label, "url": url_for(endpoint, **params)}
                                    for label, endpoint, params in card.links]})
        return respond("admin_shell/index.html", render=self.render, cards=cards,
                       title="Administration")


class GuardedMenuLink(MenuLink):
    def is_accessible(self):
        return is_admin()

    def is_visible(self):
        return is_admin() and not owner_disabled(self.endpoint)


def _disabled():
    from .plugin.loader import disabled_in_database
    return disabled_in_database(current_app)


def owner_disabled(endpoint: str | None) -> bool:
    """True when the plugin that owns this endpoint (or view endpoint) is disabled in the database."""
    if not endpoint:
        return False
    owner = current_app.extensions["pybossa_admin"].get("plugin_blueprints", {}).get(endpoint.split(".")[0])
    return bool(owner) and owner in _disabled()


def init_app(app) -> Admin:
    admin = Admin(app, name="PYBOSSA Admin", url=ADMIN_PREFIX,
                  index_view=GuardedIndexView(url=ADMIN_PREFIX, endpoint="admin"),
                  theme=Bootstrap4Theme(swatch="flatly", fluid=True))
    app.extensions["pybossa_admin"]["admin"] = admin

    def guard_admin_paths():
        path = request.path
        if path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/"):
            if request.endpoint == "static" or (request.endpoint or "").endswith(".static"):
                return None
            return admin_denial()
        return None

    # First in line, so that a non-admin gets 403 before CSRF or a plugin's own hooks answer.
    app.before_request_funcs.setdefault(None, []).insert(0, guard_admin_paths)
    return admin

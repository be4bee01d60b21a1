"""The Plugins page. Enabled/disabled is stored in the database and applies on the next start:
Flask cannot unregister routes, so until then a disabled plugin's pages answer 404."""
from __future__ import annotations

from flask import current_app, flash, url_for

from pybossa_admin.plugin import AdminView, current_user, error_response, expose, redirect_to
from pybossa_admin.plugin import disabled_in_database, plugin_records
from pybossa_admin.services import masking
from pybossa_admin.services import plugins as plugin_service

SELF = "plugins"  # disabling this page would leave no way back from the web


def failed_count() -> int:
    return sum(1 for r in plugin_records(current_app) if r.status == "failed")


def _source(record) -> tuple[str, str]:
    kind, _, where = record.source.partition(":")
    return kind, where


def _restart_url() -> str | None:
    return url_for("actions.index") if "actions.index" in current_app.view_functions else None


def rows() -> list[dict]:
    app = current_app
    stored_disabled = plugin_service.disabled_names()       # what the next start will use
    running_disabled = disabled_in_database(app)            # what this process read at its start
    by_settings = set(app.config.get("PLUGINS_DISABLED") or [])
    known = masking.known_secrets(app.config)
    out = []
    for record in plugin_records(app):
        kind, where = _source(record)
        enabled = record.name not in stored_disabled
        active = record.loaded and record.name not in running_disabled
        will_be_active = record.loaded and enabled and record.name not in by_settings
        out.append({
            "name": record.name, "version": record.version, "description": record.description,
            "source": kind, "location": where, "status": record.status, "loaded": record.loaded,
            "enabled": enabled, "active": active, "disabled_by_settings": record.name in by_settings,
            "pending_restart": record.loaded and active != will_be_active,
            "error": masking.mask_text(record.error, known) if record.error else None,
        })
    return out


class PluginsView(AdminView):

    @expose("/")
    def index(self):
        return self._page()

    def _page(self, status=200):
        plugins = rows()
        return self.respond("plugins/list.html", status=status, plugins=plugins,
                            import_errors=[p for p in plugins if p["status"] == "failed"],
                            pending_restart=any(p["pending_restart"] for p in plugins),
                            restart_url=_restart_url(), self_name=SELF,
                            safe_mode=bool(current_app.config.get("SAFE_MODE")), title="Plugins")

    # (Flask-Admin reserves the argument name `name` for its own view name.)
    @expose("/<path:plugin_name>/<any(enable, disable):action>", methods=["POST"])
    def toggle(self, plugin_name, action):
        name = plugin_name
        known = current_app.extensions["pybossa_admin"]["plugins"]
        if name not in known:
            return error_response(404, f"No plugin named {name!r}.")
        enable = action == "enable"
        if not enable and name == SELF:
            flash("The plugins plugin cannot be disabled from the web: it is the page that turns plugins back "
                  "on. Use `pybossa-admin plugins disable plugins` or PLUGINS_DISABLED if you really mean it.",
                  "error")
            return self._page(status=400)
        try:
            plugin_service.set_enabled(name, enable, by=current_user._get_current_object())
        except plugin_service.PluginError as exc:
            flash(str(exc), "error")
            return self._page(status=400)
        note = ""
        if enable and name in (current_app.config.get("PLUGINS_DISABLED") or []):
            note = " It is also listed in PLUGINS_DISABLED in the settings, which wins: remove it there too."
        flash(f"Plugin {name} {'enabled' if enable else 'disabled'}. This takes effect when the platform restarts"
              + (" (see Actions)." if _restart_url() else ".") + note, "success")
        return redirect_to(url_for(".index"))

"""Plugins: every discovered plugin, its state and load errors; enable or disable (applied on restart)."""
from pybossa_admin.plugin import AdminCard, Plugin


def _views():
    from .views import PluginsView
    return [PluginsView(name="Plugins", url="/admin/plugins", endpoint="plugins", category="Platform")]


def _failed_count():
    from .views import failed_count
    return failed_count()


plugin = Plugin(
    name="plugins",
    version="1.0.0",
    description="Lists discovered plugins with version, source, state and import errors; enables and "
                "disables them (applied on restart).",
    admin_views=_views,
    cards=(AdminCard("Plugins", "plugins.index", "Plugins that failed to load", count=_failed_count),),
)

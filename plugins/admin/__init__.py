"""Built-in plugin `admin`: Administrators (/admin/users), their search, and the user export."""
from pybossa_admin.plugin import AdminCard, Plugin

from . import queries


def _views():
    from .views import AdministratorsView
    return [AdministratorsView(name="Administrators", url="/admin/users", endpoint="admin_users", category="People")]


plugin = Plugin(
    name="admin",
    version="1.0.0",
    description="Administrators: list, search, grant and revoke the admin role; export all users as CSV or JSON.",
    admin_views=_views,
    cards=(
        AdminCard("Administrators", "admin_users.index", "Users with the admin role. Search users to add more.",
                  count=queries.admin_count),
        AdminCard("Users export", "admin_users.index",
                  "Every user (restricted ones left out) as a streamed CSV or JSON file.",
                  count=queries.exportable_user_count,
                  links=(("CSV", "admin_users.export", {"format": "csv"}),
                         ("JSON", "admin_users.export", {"format": "json"}))),
    ),
)

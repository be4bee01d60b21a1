"""Organizations: create, rename, delete when empty; their members and projects."""
from pybossa_admin.plugin import AdminCard, Plugin


def _views():
    from .views import OrganizationsView
    return [OrganizationsView(name="Organizations", url="/admin/organizations", endpoint="organizations",
                              category="People")]


def _count():
    from .queries import organization_count
    return organization_count()


plugin = Plugin(
    name="organizations",
    version="1.0.0",
    description="Organizations: create, rename, delete when empty; assign users and projects.",
    admin_views=_views,
    cards=(AdminCard("Organizations", "organizations.index", "Groups of users and projects", count=_count),),
    config={"ORGANIZATIONS_PER_PAGE": 100},
)

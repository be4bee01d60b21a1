"""Built-in plugin `projects`: every project for admins, drafts included; edit and delete any of them."""
from pybossa_admin.plugin import AdminCard, Plugin

from . import queries


def _views():
    from .views import ProjectsView
    return [ProjectsView(name="Projects", url="/admin/projects", endpoint="admin_projects", category="Projects")]


plugin = Plugin(
    name="projects",
    version="1.0.0",
    description="Projects: list every project (owner, category, draft or published, tasks, task runs); "
                "search, filter, sort; edit or delete any project, audited as the admin who did it.",
    admin_views=_views,
    cards=(AdminCard("Projects", "admin_projects.index", "Every project, drafts included.",
                     count=queries.project_count),),
)

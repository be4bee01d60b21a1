"""Built-in plugin `featured`: choose the published projects the home page features."""
from pybossa_admin.plugin import AdminCard, Plugin

from . import queries


def _views():
    from .views import FeaturedView
    return [FeaturedView(name="Featured", url="/admin/featured", endpoint="admin_featured", category="Projects")]


plugin = Plugin(
    name="featured",
    version="1.0.0",
    description="Featured projects: add published projects to the home page, or remove them.",
    admin_views=_views,
    cards=(AdminCard("Featured projects", "admin_featured.index",
                     "Published projects shown on the home page.", count=queries.featured_count),),
)

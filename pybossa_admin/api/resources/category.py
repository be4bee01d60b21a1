"""/api/category: read by anyone, written by admins."""
from __future__ import annotations

from ...models import Category
from ...services import categories as category_service
from .. import links
from ..policies import require_admin
from ..schema import Field, Resource
from ._common import iso, service_errors

FIELDS = (
    Field("id", "integer"),
    Field("created", "datetime"),
    Field("name", "string", create=True, update=True, required=True, max_length=255),
    Field("short_name", "string", create=True, update=True, max_length=255,
          description="defaults to the name, lowercased, without spaces"),
    Field("description", "string", create=True, update=True, filter=None),
    Field("info", "object", create=True, update=True, filter=None),
)


def serialize(category: Category, user) -> dict:
    return links.add({"id": category.id, "name": category.name, "short_name": category.short_name,
                      "description": category.description, "created": iso(category.created),
                      "info": category.info}, "category")


def create(user, values: dict) -> Category:
    require_admin(user, "create categories")
    with service_errors():
        return category_service.create(values, by=user)


def authorize_update(category: Category, user) -> None:
    require_admin(user, "change categories")


def update(category: Category, user, values: dict) -> Category:
    with service_errors():
        return category_service.update(category, values, by=user)


def delete(category: Category, user) -> None:
    require_admin(user, "delete categories")
    with service_errors():
        category_service.delete(category, by=user)


RESOURCE = Resource(
    name="category", model=Category, summary="Categories group projects",
    fields=FIELDS, methods=frozenset({"list", "get", "create", "update", "delete"}),
    serialize=serialize, can_read=lambda category, user: True,
    create=create, authorize_update=authorize_update, update=update, delete=delete,
    context_rule=False,
)

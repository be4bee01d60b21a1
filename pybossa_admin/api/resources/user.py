"""/api/user: read-only for others, display fields for oneself. Better than PYBOSSA on purpose: no role,
flag, key or password can be written here, and no password hash or API key is ever served, except a
user's own key to that user."""
from __future__ import annotations

from ...models import User
from ...services import profiles
from .. import links
from ..policies import deny, is_admin
from ..schema import Field, Resource
from ._common import iso, service_errors

FIELDS = (
    Field("id", "integer"),
    Field("name", "string", max_length=254),
    Field("fullname", "string", update=True, max_length=500, filter="admin",
          description="shown to the user and to admins"),
    Field("locale", "string", update=True, max_length=16),
    Field("info", "object", update=True, filter=None, description="shown to the user and to admins"),
    Field("email_addr", "string", filter="admin", description="shown to the user and to admins"),
    Field("created", "datetime", filter="admin"),
    Field("last_login", "datetime", filter="admin", nullable=True),
    Field("admin", "boolean", filter="admin"),
    Field("pro", "boolean", filter="admin"),
    Field("enabled", "boolean", filter="admin"),
    Field("restrict", "boolean", filter="admin"),
    Field("api_key", "string", filter=None, description="present only when users read themselves"),
)

NOT_HERE = "is not changed through the API"
PROTECTED = {
    "admin": f"The admin role {NOT_HERE}: admins grant it from the admin pages",
    "pro": f"The pro flag {NOT_HERE}: admins grant it from the admin pages",
    "enabled": f"Activation {NOT_HERE}: admins change it from the admin pages",
    "restrict": f"The restrict flag {NOT_HERE}",
    "api_key": f"The API key {NOT_HERE}: renew it from your account page",
    "passwd_hash": f"The password {NOT_HERE}",
    "password": f"The password {NOT_HERE}: change it from your account page",
    "name": f"The user name {NOT_HERE}: change it from your account page",
    "email_addr": f"The e-mail address {NOT_HERE}: change it from your account page",
}


def _is_self(user_obj: User, caller) -> bool:
    return caller is not None and caller.id == user_obj.id


def serialize(user_obj: User, caller) -> dict:
    data = {"id": user_obj.id, "name": user_obj.name, "locale": user_obj.locale}
    if _is_self(user_obj, caller) or is_admin(caller):
        data.update(fullname=user_obj.fullname, email_addr=user_obj.email_addr, info=user_obj.info,
                    created=iso(user_obj.created), last_login=iso(user_obj.last_login), admin=user_obj.admin,
                    pro=user_obj.pro, enabled=user_obj.enabled, restrict=user_obj.restrict)
    if _is_self(user_obj, caller):
        data["api_key"] = user_obj.api_key
    return links.add(data, "user")


def can_read(user_obj: User, caller) -> bool:
    return not user_obj.restrict or _is_self(user_obj, caller) or is_admin(caller)


def authorize_update(user_obj: User, caller) -> None:
    if not (_is_self(user_obj, caller) or is_admin(caller)):
        deny(caller, "Only the user or an admin can change this account")


def update(user_obj: User, caller, values: dict) -> User:
    with service_errors():
        return profiles.update(user_obj, values, by=caller)


RESOURCE = Resource(
    name="user", model=User, summary="Users: others see id, name and locale; you and admins see more",
    fields=FIELDS, methods=frozenset({"list", "get", "update"}),
    serialize=serialize, can_read=can_read, authorize_update=authorize_update, update=update,
    protected=PROTECTED, info_filter="admin", context_rule=False,
)

"""Resource definitions: the single description of each API resource that routing, payload checks,
query parsing and the OpenAPI document are all generated from."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from .errors import ApiError

# Field types: how a JSON value is checked, and its OpenAPI schema.
TYPES = {
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "string": {"type": "string"},
    "boolean": {"type": "boolean"},
    "object": {"type": "object"},
    "array": {"type": "array", "items": {}},
    "datetime": {"type": "string", "format": "date-time"},
    "json": {},  # any JSON value
}
METHODS = ("list", "get", "create", "update", "delete")
INT_RANGE = (-2**31, 2**31 - 1)  # the Integer columns
HATEOAS_KEYS = ("link", "links")  # PYBOSSA adds them to every object; clients send them back on PUT


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    create: bool = False            # accepted in POST bodies
    update: bool = False            # accepted in PUT bodies
    required: bool = False          # needed in POST bodies
    nullable: bool = False
    max_length: int | None = None
    filter: str | None = "public"   # who may filter/order on it: "public", "admin", or nobody (None)
    description: str = ""

    def __post_init__(self):
        assert self.type in TYPES, self.type
        assert self.filter in ("public", "admin", None), self.filter


@dataclass(frozen=True)
class Resource:
    """One REST resource. Handlers take the caller (a User or None for anonymous callers)."""
    name: str
    model: type
    summary: str
    fields: tuple[Field, ...]
    methods: frozenset[str]
    serialize: Callable[[Any, Any], dict]
    can_read: Callable[[Any, Any], bool]
    create: Callable[[Any, dict], Any] | None = None
    authorize_update: Callable[[Any, Any], None] | None = None
    update: Callable[[Any, Any, dict], Any] | None = None
    delete: Callable[[Any, Any], None] | None = None
    protected: Mapping[str, str] = field(default_factory=dict)  # attribute -> why it is refused (403)
    reserved: frozenset[str] = frozenset()  # PYBOSSA's reserved keys that are not fields here (400)
    info_filter: str | None = "public"       # who may use info=key::value: "public", "admin", None
    public_info_keys: frozenset[str] | None = None  # when set, non-managers may filter on these keys only
    context_rule: bool = True                # lists of authenticated callers show their own projects' objects
    body_note: str = ""

    def __post_init__(self):
        assert set(self.methods) <= set(METHODS), self.methods

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def filterable(self, name: str, admin: bool) -> bool:
        spec = self.field(name)
        return spec is not None and (spec.filter == "public" or (spec.filter == "admin" and admin))


def _type_ok(spec: Field, value) -> bool:
    if value is None:
        return spec.nullable or spec.type == "json"
    kind = spec.type
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool) and INT_RANGE[0] <= value <= INT_RANGE[1]
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind in ("string", "datetime"):
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    return True


def check_payload(resource: Resource, payload: dict, action: str, current: dict | None = None) -> dict:
    """The attributes of a POST (action 'create') or PUT ('update') body that are real changes, checked.

    On PUT, attributes sent back unchanged (as pbclient's update_* calls do with whole objects, ids and
    links included) are not changes and are dropped first; only real changes meet the rules below."""
    values = {k: v for k, v in payload.items() if k not in HATEOAS_KEYS}
    if current is not None:
        values = {k: v for k, v in values.items() if not (k in current and current[k] == v)}
    for name in values:
        if name in resource.protected:
            raise ApiError(403, resource.protected[name], "Forbidden")
    unknown = sorted(k for k in values if resource.field(k) is None and k not in resource.reserved)
    if unknown:
        raise ApiError(415, f"Unknown attribute(s) for {resource.name}: {', '.join(unknown)}", "AttributeError")
    reserved = sorted(k for k in values if k in resource.reserved or not getattr(resource.field(k), action))
    if reserved:
        raise ApiError(400, f"Reserved keys in payload: {', '.join(reserved)}", "BadRequest")
    for name, value in values.items():
        spec = resource.field(name)
        if not _type_ok(spec, value):
            expected = TYPES[spec.type].get("type", "JSON") + (" or null" if spec.nullable else "")
            raise ApiError(415, f"{name}: expected {expected}, got {_json_type(value)}", "TypeError")
        if spec.max_length and isinstance(value, str) and len(value) > spec.max_length:
            raise ApiError(415, f"{name}: at most {spec.max_length} characters", "ValueError")
    if action == "create":
        missing = [f.name for f in resource.fields if f.required and values.get(f.name) in (None, "")]
        if missing:
            raise ApiError(400, f"Missing required attribute(s): {', '.join(missing)}", "BadRequest")
    return values


def _json_type(value) -> str:
    if value is None:
        return "null"
    return {bool: "boolean", int: "integer", float: "number", str: "string", dict: "object",
            list: "array"}.get(type(value), type(value).__name__)

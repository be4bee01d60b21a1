"""Query-string parsing for list calls: equality filters on columns, limit/offset/last_id, orderby/desc,
info=key::value|key2::value2, all=1 and the context rule. Produces a repositories.api_queries.ListQuery."""
from __future__ import annotations

import json
import math
import re
from datetime import datetime, timedelta, timezone

from ..repositories.api_queries import ListQuery
from .errors import ApiError
from .schema import INT_RANGE, Resource

DEFAULT_LIMIT, MAX_LIMIT = 20, 100
CONTROL = {"limit", "offset", "last_id", "orderby", "desc", "all", "info"}
# Accepted and ignored: credentials, the JSON switch, and PYBOSSA options that add nothing here.
IGNORED = {"api_key", "response_format", "related", "stats", "fulltextsearch", "_"}
DATE_PREFIX = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
MAX_SKIP = 2**62  # offset and last_id beyond this select nothing anyway


def flag(text: str | None) -> bool:
    return (text or "").strip().lower() in TRUE


def _int(name: str, text: str, minimum: int = 0) -> int:
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise ApiError(400, f"{name} must be a whole number, got {text!r}", "ValueError") from None
    if value < minimum:
        raise ApiError(400, f"{name} must be at least {minimum}", "ValueError")
    return min(value, MAX_SKIP)


def _date_range(name: str, text: str) -> tuple[datetime, datetime]:
    match = DATE_PREFIX.match(text.strip())
    if not match:
        raise ApiError(415, f"{name}: give a year, a month or a day (YYYY, YYYY-MM or YYYY-MM-DD)", "ValueError")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if day:
            start = datetime(year, month, day, tzinfo=timezone.utc)
            end = start + timedelta(days=1)
        elif month:
            start = datetime(year, month, 1, tzinfo=timezone.utc)
            end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=timezone.utc)
        else:
            start = datetime(year, 1, 1, tzinfo=timezone.utc)
            end = datetime(year + 1, 1, 1, tzinfo=timezone.utc)
    except ValueError:
        raise ApiError(415, f"{name}: {text!r} is not a date", "ValueError") from None
    return start, end


def _scalar(name: str, kind: str, text: str):
    try:
        if kind == "integer":
            value = int(text)
            if not INT_RANGE[0] <= value <= INT_RANGE[1]:
                raise ValueError
            return value
        if kind == "number":
            value = float(text)
            if not math.isfinite(value):
                raise ValueError
            return value
    except ValueError:
        raise ApiError(415, f"{name}: expected a {kind}, got {text!r}", "ValueError") from None
    if kind == "boolean":
        lowered = text.strip().lower()
        if lowered in TRUE or lowered in FALSE:
            return lowered in TRUE
        raise ApiError(415, f"{name}: expected true or false, got {text!r}", "ValueError")
    return text


def parse_list_query(resource: Resource, args, viewer) -> ListQuery:
    """args: request.args. viewer: the calling User or None."""
    admin = bool(viewer is not None and viewer.admin)
    if any("\x00" in key or "\x00" in value for key, value in args.items(multi=True)):
        raise ApiError(400, "Query parameters must not contain NUL characters", "ValueError")
    query = ListQuery()
    for name in args:
        if name in CONTROL or name in IGNORED:
            continue
        if not resource.filterable(name, admin):
            raise ApiError(415, f"Cannot filter {resource.name} on {name!r}", "AttributeError")
        spec, text = resource.field(name), args.get(name)
        if spec.type == "datetime":
            query.ranges[name] = _date_range(name, text)
        elif spec.type == "integer" and text.strip().startswith("["):  # project_id=[1,2,3]
            try:
                values = json.loads(text)
            except ValueError:
                values = None
            if not isinstance(values, list) or not all(isinstance(v, int) and not isinstance(v, bool)
                                                       and INT_RANGE[0] <= v <= INT_RANGE[1] for v in values):
                raise ApiError(415, f"{name}: expected a list of whole numbers like [1,2,3]", "ValueError")
            query.within[name] = values[:MAX_LIMIT * 10]
        elif text.strip().lower() == "null" and spec.nullable:
            query.equals[name] = None
        else:
            query.equals[name] = _scalar(name, spec.type, text)

    if "limit" in args:
        query.limit = min(_int("limit", args["limit"]), MAX_LIMIT)
    else:
        query.limit = DEFAULT_LIMIT
    if "offset" in args:
        query.offset = _int("offset", args["offset"])
    if args.get("last_id"):
        query.last_id = _int("last_id", args["last_id"])
    if "orderby" in args:
        orderby = args["orderby"]
        if not resource.filterable(orderby, admin):
            raise ApiError(415, f"Cannot order {resource.name} by {orderby!r}", "AttributeError")
        query.orderby = orderby
    query.desc = flag(args.get("desc"))
    if viewer is not None and resource.context_rule and not flag(args.get("all")):
        query.owner_id = viewer.id
    if args.get("info"):
        query.info = _info_filters(resource, args["info"], admin, own_rows_only=query.owner_id is not None)
    return query


def _info_filters(resource: Resource, text: str, admin: bool, own_rows_only: bool) -> dict[str, str]:
    if resource.info_filter is None or (resource.info_filter == "admin" and not admin):
        raise ApiError(415, f"Cannot filter {resource.name} on info", "AttributeError")
    filters = {}
    for part in text.split("|"):
        key, sep, value = part.partition("::")
        if not sep or not key:
            raise ApiError(400, "info filters look like info=key::value|key2::value2", "ValueError")
        public = resource.public_info_keys
        if public is not None and not admin and not own_rows_only and key not in public:
            raise ApiError(415, f"info key {key!r} is not public: you can filter on it only in lists of "
                                f"your own {resource.name}s (without all=1)", "AttributeError")
        filters[key] = value
    return filters

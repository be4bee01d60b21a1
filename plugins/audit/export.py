"""Streamed audit exports (CSV and JSON): constant memory, UTF-8, safe to open in a spreadsheet."""
from __future__ import annotations

import csv
import io
import json

from flask import Response, stream_with_context

from pybossa_admin.plugin import error_response

from . import queries

FIELDS = ("id", "created", "project_id", "project_short_name", "action", "caller", "attribute", "user_id",
          "user_name", "old_value", "new_value")
FORMATS = ("csv", "json")
# A cell starting with one of these is run as a formula by spreadsheet programs (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _record(row) -> dict:
    data = row.as_dict()
    return {name: data[name] for name in FIELDS}


def _csv_lines(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(FIELDS)
    yield "\ufeff" + buffer.getvalue()  # the BOM makes spreadsheet programs read UTF-8
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        record = _record(row)
        writer.writerow(["" if record[name] is None else spreadsheet_safe(record[name]) for name in FIELDS])
        yield buffer.getvalue()


def _json_chunks(rows):
    yield "["
    first = True
    for row in rows:
        yield ("" if first else ",") + "\n" + json.dumps(_record(row), ensure_ascii=False)
        first = False
    yield "\n]\n"


def export_response(format_: str | None, project_id: int | None, filters: queries.Filters, basename: str):
    if not format_:
        return error_response(400, "Choose an export format: ?format=csv or ?format=json.")
    if format_ not in FORMATS:
        return error_response(415, f"Unsupported export format {format_!r}: use csv or json.")
    rows = queries.iter_rows(project_id, filters)
    if format_ == "csv":
        body, mimetype = _csv_lines(rows), "text/csv; charset=utf-8"
    else:
        body, mimetype = _json_chunks(rows), "application/json; charset=utf-8"
    response = Response(stream_with_context(body), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{basename}.{format_}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response

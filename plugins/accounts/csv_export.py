"""CSV helpers: formula-injection-safe cells and a streamed body."""
from __future__ import annotations

import csv
import io
from datetime import datetime

# A spreadsheet treats a cell starting with one of these as a formula (CWE-1236).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def stream(columns, batches):
    """Yield the CSV text: a header line, then one chunk per batch of row dicts."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    yield buffer.getvalue()
    for rows in batches:
        buffer.seek(0)
        buffer.truncate()
        for row in rows:
            writer.writerow([safe_cell(row.get(column)) for column in columns])
        yield buffer.getvalue()

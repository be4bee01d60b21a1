"""CSV helpers: formula-injection-safe cells and a streamed body."""
from __future__ import annotations

import csv
import io

# A spreadsheet treats a cell starting with one of these as a formula (CWE-1236).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_text(value) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _time(value) -> str:
    return value.isoformat() if value is not None else ""


def _bool(value) -> str:
    return "" if value is None else ("true" if value else "false")


def _int(value) -> str:
    return "" if value is None else str(value)


FORMATTERS = {"text": safe_text, "time": _time, "bool": _bool, "int": _int}


def stream(columns, batches):
    """Yield the CSV text: a header line, then one chunk per batch of row tuples.

    columns: (name, kind) pairs, kind in FORMATTERS; every text cell is formula-escaped."""
    formatters = [FORMATTERS[kind] for _, kind in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([name for name, _ in columns])
    yield buffer.getvalue()
    for rows in batches:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([[fmt(value) for fmt, value in zip(formatters, row)] for row in rows])
        yield buffer.getvalue()

"""Streaming user export (CSV or JSON) in constant memory.

Rows come from a server-side cursor (stream_results on PostgreSQL) in chunks of CHUNK rows; each
chunk is formatted and handed to the WSGI server before the next one is fetched, so a million
users never sit in memory at once (PYBOSSA built the whole file in memory: about +530 MB at 100k).

CSV choices:
- UTF-8 with a byte-order mark by default: Excel and LibreOffice only detect UTF-8 in a downloaded
  CSV by its BOM, and without it non-English names come out garbled (PYBOSSA #736, #379, #1654).
  Scripts that do not want it ask for ?bom=0 (Python reads either with encoding="utf-8-sig").
- Text cells that start with = + - @ TAB or CR are prefixed with an apostrophe, so a spreadsheet
  shows them as text instead of running them as formulas (OWASP "CSV injection").
- Booleans are written True/False, as PYBOSSA's pandas export did.
"""
from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select

from pybossa_admin.plugin import db, models

User = models.User
FIELDS = ("id", "name", "fullname", "email_addr", "created", "locale", "admin", "consent", "restrict")
FORMATS = {"csv": ("text/csv; charset=utf-8", "all_users.csv"),
           "json": ("application/json; charset=utf-8", "all_users.json")}
CHUNK = 5000
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text):
    """A text cell a spreadsheet will not evaluate."""
    if text and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _query():
    columns = [getattr(User, name) for name in FIELDS]
    return (select(*columns).where(User.restrict.is_(False)).order_by(User.id)
            .execution_options(yield_per=CHUNK, stream_results=True))


def _chunks():
    result = db.session.execute(_query())
    try:
        yield from result.partitions(CHUNK)
    finally:
        result.close()


def _iso(value):
    return value.isoformat() if value is not None else None


def csv_stream(bom: bool = True):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write(BOM)
    writer.writerow(FIELDS)
    for rows in _chunks():
        writer.writerows(
            (uid, neutralise(name), neutralise(fullname), neutralise(email), _iso(created), neutralise(locale),
             admin, consent, restrict)
            for uid, name, fullname, email, created, locale, admin, consent, restrict in rows)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    tail = buffer.getvalue()
    if tail:  # only the header, when there is no user to export
        yield tail.encode("utf-8")


def json_stream():
    """A JSON array, one chunk of objects at a time (each chunk is one C-speed json.dumps call)."""
    first = True
    yield b"["
    for rows in _chunks():
        objects = [{"id": uid, "name": name, "fullname": fullname, "email_addr": email, "created": _iso(created),
                    "locale": locale, "admin": admin, "consent": consent, "restrict": restrict}
                   for uid, name, fullname, email, created, locale, admin, consent, restrict in rows]
        if not objects:
            continue
        body = json.dumps(objects, ensure_ascii=False, separators=(",", ":"))[1:-1]
        yield (body if first else "," + body).encode("utf-8")
        first = False
    yield b"]"

"""Streaming user export (CSV or JSON) in constant memory.

On PostgreSQL the rows are formatted by the database and relayed as they come: `COPY (SELECT ...) TO
STDOUT` runs in a producer thread on a connection of its own and hands ~256 KB pieces through a
bounded queue to the response generator, so the export costs about what PostgreSQL's own COPY costs
and never holds more than a few MB. Elsewhere (SQLite) rows come from a streamed SELECT
(yield_per/stream_results) in chunks of CHUNK rows, formatted in Python. Both paths write the same
columns, the same neutralised cells and the same True/False booleans; timestamps are ISO 8601 UTC.
(PYBOSSA built the whole file in memory: about +530 MB at 100k users.)

CSV choices:
- UTF-8 with a byte-order mark by default: Excel and LibreOffice only detect UTF-8 in a downloaded
  CSV by its BOM, and without it non-English names come out garbled (PYBOSSA #736, #379, #1654).
  Scripts that do not want it ask for ?bom=0 (Python reads either with encoding="utf-8-sig").
- Text cells that start with = + - @ TAB or CR are prefixed with an apostrophe, so a spreadsheet
  shows them as text instead of running them as formulas (OWASP "CSV injection").
- Booleans are written True/False, as PYBOSSA's pandas export did; lines end with \\n.
"""
from __future__ import annotations

import csv
import io
import json
import queue
import threading

from flask import current_app
from sqlalchemy import select

from pybossa_admin.plugin import db, models

User = models.User
FIELDS = ("id", "name", "fullname", "email_addr", "created", "locale", "admin", "consent", "restrict")
TEXT_FIELDS = ("name", "fullname", "email_addr", "locale")
FORMATS = {"csv": ("text/csv; charset=utf-8", "all_users.csv"),
           "json": ("application/json; charset=utf-8", "all_users.json")}
CHUNK = 5000
PIECE = 256 * 1024          # bytes handed from the COPY thread to the response at a time
QUEUE_PIECES = 16           # at most this many pieces wait in memory (~4 MB)
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text):
    """A text cell a spreadsheet will not evaluate."""
    if text and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_stream(bom: bool = True):
    prefix = BOM.encode("utf-8") if bom else b""
    if _can_copy():
        return _prefixed(prefix, _copy_relay(_PG_CSV))
    return _prefixed(prefix, _python_csv())


def json_stream():
    if _can_copy():
        return _json_array(_copy_relay(_PG_JSON))
    return _python_json()


def _prefixed(prefix: bytes, pieces):
    if prefix:
        yield prefix
    yield from pieces


# --- PostgreSQL: the database formats, we relay -------------------------------------------------

def _can_copy() -> bool:
    dialect = db.engine.dialect
    return dialect.name == "postgresql" and dialect.driver == "psycopg2"


def _pg_neutralise(column: str) -> str:
    # ascii() of the first character: = 61, + 43, - 45, @ 64, TAB 9, CR 13 (cheaper than left()/regex).
    return f"CASE WHEN ascii({column}) IN (61, 43, 45, 64, 9, 13) THEN '''' || {column} ELSE {column} END"


def _pg_bool(column: str) -> str:
    return f"CASE WHEN {column} THEN 'True' ELSE 'False' END"


_ROWS = "FROM users WHERE NOT restrict ORDER BY id"
_PG_CSV = ("COPY (SELECT id, "
           + ", ".join(f"{_pg_neutralise(c)} AS {c}" for c in ("name", "fullname", "email_addr"))
           + """, to_char(created AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"') AS created, """
           + f"{_pg_neutralise('locale')} AS locale, "
           + ", ".join(f"{_pg_bool(c)} AS {c}" for c in ("admin", "consent", "restrict"))
           + f" {_ROWS}) TO STDOUT WITH (FORMAT csv, HEADER)")
# One JSON object per line. row_to_json escapes every control character (\\n, \\u0001, ...), so with
# CSV quote and delimiter set to \\x01 and \\x02 COPY never quotes or escapes anything: each line is
# exactly the object, and the only raw newlines are the line ends.
_PG_JSON = (f"COPY (SELECT row_to_json(u) FROM (SELECT {', '.join(FIELDS)} {_ROWS}) u) "
            "TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')")

_DONE = object()


class _Cancelled(Exception):
    pass


class _PieceWriter:
    """The file COPY writes into: gathers rows into PIECE-sized bytes for the queue."""

    def __init__(self, pieces: queue.Queue, stop: threading.Event):
        self.pieces, self.stop, self.parts, self.size = pieces, stop, [], 0

    def write(self, data):
        if self.stop.is_set():
            raise _Cancelled()
        self.parts.append(data)
        self.size += len(data)
        if self.size >= PIECE:
            self.flush()

    def flush(self):
        if self.parts:
            self.pieces.put(b"".join(bytes(p) if not isinstance(p, bytes) else p for p in self.parts))
            self.parts, self.size = [], 0


def _copy_relay(copy_sql: str):
    """Yield the bytes of a COPY ... TO STDOUT as they arrive, holding at most QUEUE_PIECES pieces."""
    raw = db.engine.raw_connection()     # a pooled connection of its own, used by the producer only
    pieces: queue.Queue = queue.Queue(maxsize=QUEUE_PIECES)
    stop = threading.Event()
    logger = current_app.logger

    def produce():
        try:
            with raw.cursor() as cursor:
                cursor.execute("SET LOCAL TIME ZONE 'UTC'")   # timestamps in row_to_json: +00:00
                writer = _PieceWriter(pieces, stop)
                cursor.copy_expert(copy_sql, writer)
                writer.flush()
            pieces.put(_DONE)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            pieces.put(exc)

    producer = threading.Thread(target=produce, name="users-export-copy", daemon=True)
    producer.start()
    finished = False
    try:
        while True:
            item = pieces.get()
            if item is _DONE:
                finished = True
                return
            if isinstance(item, BaseException):
                if not isinstance(item, _Cancelled):
                    logger.error("users export failed: %s", item)
                raise item
            yield item
    finally:
        if not finished:             # the client went away (or COPY failed): stop the query
            stop.set()
            try:
                raw.driver_connection.cancel()
            except Exception:  # noqa: BLE001  (already finished or broken: nothing to cancel)
                pass
        while producer.is_alive():   # drain so a producer blocked on a full queue can finish
            try:
                pieces.get(timeout=0.05)
            except queue.Empty:
                pass
        producer.join()
        if finished:
            raw.rollback()
            raw.close()              # back to the pool
        else:
            raw.invalidate()         # mid-COPY state: never reuse this connection


def _json_array(lines):
    """Newline-separated JSON objects -> one JSON array, whatever the piece boundaries are."""
    yield b"["
    carry = b""
    for piece in lines:
        piece = carry + piece.replace(b"\n", b",")
        carry = piece[-1:]           # hold the last byte back: the final one is a trailing comma
        if len(piece) > 1:
            yield piece[:-1]
    yield b"]"


# --- Any database: a streamed SELECT, formatted in Python ---------------------------------------

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


def _python_csv():
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
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


def _python_json():
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

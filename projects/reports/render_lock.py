"""Who is rendering a report's PDF right now: a lock that dies with its holder.

A worker killed mid-render (OOM, a deploy, SIGKILL) cannot clean up after itself. A lock the
operating system or the database drops with the process lets the next request or worker see
at once that nobody is rendering any more, instead of waiting out a timeout:

- PostgreSQL: a session advisory lock, `pg_try_advisory_lock(namespace, report id)`. The
  server releases it when the holder's connection ends, and a killed process's connection
  ends with it. It works across app servers. (A transaction-pooling proxy such as PgBouncer
  in transaction mode would break session locks; connect the workers directly.)
- SQLite (one machine by nature): `flock` on a file per report next to the database file,
  released by the kernel when the holder's file descriptor closes, that is when it dies.

Both hold no transaction open, so a render of two minutes never blocks other writes.
"""

import fcntl
import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

# The first key of PostgreSQL's two-key advisory lock: "MOBR" (Mobilise report), so other
# users of advisory locks on the same database never collide with ours.
NAMESPACE = int.from_bytes(b"MOBR", "big") & 0x7FFFFFFF


def _postgres():
    return connection.vendor == "postgresql"


def _lock_path(report_id: int) -> Path:
    name = str(connection.settings_dict["NAME"])
    if name and name != ":memory:" and not name.startswith("file:"):
        folder = Path(f"{name}.render-locks")
    else:
        digest = hashlib.sha256(name.encode()).hexdigest()[:16]
        folder = Path(tempfile.gettempdir()) / f"mobilise-render-locks-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"report-{int(report_id)}.lock"


@contextmanager
def claim(report_id: int):
    """Yields True while this process holds the rendering lock of `report_id`, False (and
    holds nothing) when someone else does."""
    if _postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [NAMESPACE, int(report_id)])
            held = cursor.fetchone()[0]
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [NAMESPACE, int(report_id)])
        return
    fd = os.open(_lock_path(report_id), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True  # closing the descriptor below releases the lock
    finally:
        os.close(fd)


def is_held(report_id: int) -> bool:
    """Whether a live process is rendering `report_id` now."""
    with claim(report_id) as held:
        return not held

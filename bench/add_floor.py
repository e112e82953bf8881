"""The floor of ``eisenhower add`` in Python: only what the storage contract requires.

    python bench/add_floor.py FILE

Adds one task record to a task file the way SPEC section 3 says it must be done, and nothing
else: take the exclusive lock, re-read the file, parse it (a file that is not valid JSON is never
replaced), give the record the next document id, encode, write a temp file in the same folder,
fsync it, rename it over the file, fsync the folder. What ``eisenhower add`` does on top and this
leaves out: argument parsing, the config and the message catalogue, the quick-add and deadline
grammars, the Task model and its text cleaning, the record check and mend, stale temp files,
the daily backup, the summary line. bench/run.py times it beside ``add`` in the same run; the
difference is the price of those steps, the rest is the interpreter and the file.
"""

from __future__ import annotations

import fcntl
import os
import sys
import uuid
from datetime import UTC, datetime

import orjson


def main(path: str) -> int:
    folder = os.path.dirname(os.path.abspath(path))
    lock = os.open(path + ".lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        with open(path, "rb") as handle:
            data = orjson.loads(handle.read())
        tasks = data["tasks"]
        now = datetime.now(UTC).isoformat(timespec="seconds")
        tasks[str(max(map(int, tasks), default=0) + 1)] = {
            "id": str(uuid.uuid4()), "title": "Benchmark task", "notes": "", "urgent": True,
            "important": True, "due": None, "tags": ["bench"], "delegate": None, "done": None,
            "created": now, "updated": now, "escalated": None, "escalated_for": None,
            "order": 0.0,
        }  # fmt: skip
        tmp = f"{path}.{os.getpid()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(orjson.dumps(data, option=orjson.OPT_APPEND_NEWLINE))
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    finally:
        os.close(lock)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))

"""Generate a realistic task file in the TinyDB format the store writes (stdlib only).

    python bench/gen.py OUT.json 10000 [--seed 1]

``make_db(path, n, seed)`` is the reusable part: ``n`` open tasks spread over the four quadrants,
varied titles, about a third with a deadline (all-day or timed), tags, a few delegates and notes.
The same seed gives the same file.
"""

from __future__ import annotations

import argparse
import json
import random
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1

VERBS = [
    "Call", "Email", "Write", "Review", "Book", "Renew", "Pay", "Fix", "Plan", "Order", "Prepare",
    "Update", "Clean", "Cancel", "Send", "Read", "Check", "Organise", "Schedule", "Draft", "Buy",
    "Return", "Back up", "Sort out", "Ask about", "Follow up on", "Sign", "Print", "Submit",
]  # fmt: skip
OBJECTS = [
    "the quarterly report", "passport", "dentist appointment", "car insurance", "electricity bill",
    "leaking tap", "team offsite", "printer paper", "slides for Monday", "tax return",
    "garage", "gym membership", "invoice #4411", "Bob about the budget", "flights to Lisbon",
    "library books", "photos", "lease renewal", "expense claim", "birthday present for Ann",
    "server certificates", "onboarding checklist", "kitchen cupboards", "newsletter",
    "conference talk", "pull request 1287", "school forms", "bike tyres", "meeting notes",
    "rendez-vous à la mairie", "facture EDF", "devis plombier", "会议纪要", "Geburtstagskarte",
]  # fmt: skip
QUALIFIERS = [
    "", "", "", "", "before Friday", "for the client", "(again)", "with Marie", "asap",
    "— second attempt", "and file it", "for next week", "🎉", "if time allows", "online",
]  # fmt: skip
TAGS = [
    "work", "home", "admin", "errands", "health", "finance", "family", "garden", "car",
    "travel", "reading", "side-project", "urgent-ish", "q4-goals", "école",
]  # fmt: skip
PEOPLE = ["ann", "bob", "marie", "li", "jorge", "team", "assistant"]
NOTES = [
    "",
    "",
    "",
    "Reference number in the email from last week.",
    "Call between 9 and 12.\nAsk for the manager.",
    "Needs the signed form first.",
    "See shared folder /finance/2026.",
]


def make_task(rng: random.Random, today: date, index: int) -> dict[str, Any]:
    urgent = rng.random() < 0.4
    important = rng.random() < 0.55
    created = datetime.combine(today, datetime.min.time(), tzinfo=UTC) - timedelta(
        minutes=rng.randrange(0, 60 * 24 * 120)
    )
    updated = created + timedelta(minutes=rng.randrange(0, 60 * 24 * 10))
    title = " ".join(
        part for part in (rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(QUALIFIERS)) if part
    )
    due = None
    if rng.random() < 1 / 3:
        day = today + timedelta(days=rng.randrange(-10, 60))
        if rng.random() < 0.7:
            due = day.isoformat()
        else:
            due = datetime(
                day.year, day.month, day.day, rng.choice([9, 12, 17]), rng.choice([0, 30]),
                tzinfo=UTC,
            ).isoformat()  # fmt: skip
    delegate = rng.choice(PEOPLE) if urgent and not important and rng.random() < 0.6 else None
    stamp = created.isoformat(timespec="seconds")
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "title": title,
        "notes": rng.choice(NOTES),
        "urgent": urgent,
        "important": important,
        "due": due,
        "tags": rng.sample(TAGS, k=rng.choice([0, 1, 1, 1, 2, 2, 3])),
        "delegate": delegate,
        "done": None,
        "created": stamp,
        "updated": updated.isoformat(timespec="seconds"),
        "escalated": None,
        "escalated_for": None,
        "order": created.timestamp() + index / 1000,
    }


def make_db(path: Path | str, n: int, seed: int = 1, *, today: date | None = None) -> Path:
    """Write ``n`` open tasks to ``path`` (replacing it) and return the path."""
    rng = random.Random(seed)
    today = today or date.today()
    tasks = {str(i): make_task(rng, today, i) for i in range(1, n + 1)}
    data = {"tasks": tasks, "meta": {"1": {"schema_version": SCHEMA_VERSION}}}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Compact, byte for byte as the store writes it, so the bench reads what a user's file holds.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="file to write")
    parser.add_argument("n", type=int, help="number of tasks")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    path = make_db(args.out, args.n, args.seed)
    print(f"wrote {args.n} tasks to {path} ({path.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

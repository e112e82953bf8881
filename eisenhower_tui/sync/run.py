"""One sync, in order: list and fetch from the server, merge and write locally in one
transaction, push, and only then move each task's base copy on."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor, as_completed
from datetime import datetime
from typing import Any

from ..i18n import _
from ..model import utc_now
from . import SyncConfigError, SyncError, SyncReport, SyncServerError, resolve_password
from .client import CalDAVLink, Changed, LinkError, public_url
from .engine import Fetched, plan_sync
from .mapping import parse_todo, synced_fields, todo_ics
from .state import Item, SyncState, state_path

PUSH_WORKERS = 6


def run_sync(
    store: Any,
    config: Any,
    *,
    password: str | None,
    now: datetime | None,
    progress: Callable[[str], None] | None,
) -> SyncReport:
    settings = config.caldav
    if settings is None or not settings.url or not settings.calendar:
        raise SyncConfigError(
            _(
                "sync needs a [caldav] section with url, username and calendar in {path} "
                "(see the README, 'Sync with your phone and calendar')"
            ).format(path=config.path)
        )
    if not settings.url.startswith(("http://", "https://")):
        raise SyncConfigError(
            _("caldav.url must start with https:// (or http://), not '{url}'").format(
                url=public_url(settings.url)
            )
        )
    step = progress or (lambda _name: None)
    secret = password if password is not None else resolve_password(settings.password_command)
    moment = (now or utc_now()).astimezone()
    zone = moment.tzinfo
    server = f"{public_url(settings.url)} {settings.calendar}"
    report = SyncReport(server=public_url(settings.url))
    state = SyncState.load(state_path(store.path), server)
    link = CalDAVLink(settings.url, settings.username, secret, settings.calendar, settings.timeout)
    del secret
    try:
        try:
            link.open()
            known = {item.href: item.etag for item in state.items.values()}
            listing = link.changes(state.token, known)
            # Objects whose ETag we lost (a push refused midway) are read again every time.
            stale = [i.href for i in state.items.values() if i.etag is None]
            wanted = sorted({*listing.changed, *stale} - listing.removed)
            raw = link.fetch(wanted) if wanted else {}
        except LinkError as exc:
            raise SyncServerError(str(exc), report) from None
        step("fetched")
        fetched: dict[str, Fetched] = {}
        for href, (etag, ics) in raw.items():
            if etag is not None and known.get(href) == etag and href not in stale:
                continue
            todo = parse_todo(ics, zone or moment.tzinfo)  # type: ignore[arg-type]
            if todo is not None:
                fetched[href] = Fetched(href, etag, ics, todo)
        # A listed object that multiget did not return is gone since the listing.
        gone = {href for href in wanted if href not in raw and href in known}
        removed = listing.removed | gone

        with store.transaction() as txn:
            local = {t.id: t for t in txn.all(include_deleted=True)}
            plan = plan_sync(
                local=local,
                items=state.items,
                fetched=fetched,
                removed=removed,
                href_for=link.href_for,
                now=moment,
                horizon=config.horizon,
            )
            if plan.local_puts:
                txn.put_many(plan.local_puts)
            for task_id in plan.local_deletes:
                txn.delete(task_id)
        report.wrote_tasks = bool(plan.local_puts or plan.local_deletes)
        report.pulled_new = plan.pulled_new
        report.pulled_changed = plan.pulled_changed
        report.pulled_deleted = plan.pulled_deleted
        report.conflicts = plan.conflicts
        for task_id in plan.forget:
            state.items.pop(task_id, None)
        state.items.update(plan.items)
        if listing.token:
            state.token = listing.token
        state.save()
        step("written")

        try:
            _push(link, state, plan, report, config, moment)
            _catch_up(link, state)
        except LinkError as exc:
            state.save()
            pending = len(plan.pushes) + len(plan.remote_deletes) - report.pushed_new
            pending -= report.pushed_changed + report.pushed_deleted + report.deferred
            raise SyncServerError(
                _(
                    "{error}; the changes received were saved here, {count} not sent yet: "
                    "run `eisenhower sync` again"
                ).format(error=exc, count=pending),
                report,
            ) from None
        state.save()
    finally:
        report.requests = link.requests
        link.close()
    return report


def _push(
    link: CalDAVLink,
    state: SyncState,
    plan: Any,
    report: SyncReport,
    config: Any,
    now: datetime,
) -> None:
    """Send every change, PUSH_WORKERS at a time (a phone link has 50-200 ms of latency per
    request; one at a time, 1,000 tasks would take minutes). Each task's state moves on only
    once the server took it; the first server failure stops the rest and is raised."""
    bodies = {
        push.task.id: todo_ics(
            push.task,
            previous=push.previous,
            lead=config.notify_lead,
            all_day_at=config.notify_all_day_at,
            now=now,
        )
        for push in plan.pushes
    }

    def put(push: Any) -> str | None:
        return link.put(push.href, bodies[push.task.id], push.etag)

    def delete(entry: tuple[str, str, str | None]) -> None:
        link.delete(entry[1], entry[2])

    failure: LinkError | None = None
    with ThreadPoolExecutor(max_workers=PUSH_WORKERS) as pool:
        puts: dict[Future[Any], Any] = {pool.submit(put, p): p for p in plan.pushes}
        deletes: dict[Future[Any], tuple[str, str, str | None]] = {
            pool.submit(delete, entry): entry for entry in plan.remote_deletes
        }
        everything: list[Future[Any]] = [*puts, *deletes]
        for future in as_completed(everything):
            try:
                etag = future.result()
            except Changed:
                # Written there since we read it: read it again next time and merge then.
                report.deferred += 1
                task_id = puts[future].task.id if future in puts else deletes[future][0]
                item = state.items.get(task_id)
                if item is not None:
                    item.etag = None
                elif future in puts:
                    state.items[task_id] = Item(puts[future].href, None, None)
                continue
            except LinkError as exc:
                if failure is None:
                    failure = exc
                    for other in everything:
                        other.cancel()
                continue
            except CancelledError:
                continue
            if future in puts:
                push = puts[future]
                if push.etag is None:
                    report.pushed_new += 1
                else:
                    report.pushed_changed += 1
                state.items[push.task.id] = Item(
                    push.href, etag, synced_fields(push.task), bodies[push.task.id].decode()
                )
            else:
                report.pushed_deleted += 1
                state.items.pop(deletes[future][0], None)
    if failure is not None:
        raise failure


def _catch_up(link: CalDAVLink, state: SyncState) -> None:
    """Move the sync-token past our own writes, so the next sync with nothing new sends one
    request and writes nothing. Only when every change it reports is one we made."""
    if not state.token:
        return
    listing = link.changes(state.token, {})
    if listing.full or not listing.token:
        return
    etags = {item.href: item.etag for item in state.items.values()}
    ours = all(etags.get(href) == etag and etag for href, etag in listing.changed.items())
    if ours and not any(href in etags for href in listing.removed):
        state.token = listing.token


__all__ = ["SyncError", "run_sync"]

"""The network half of sync: every call to the CalDAV server, through the ``caldav`` library.

Only :mod:`eisenhower_tui.sync` imports this module, and only when a sync runs, so no other
command pays for ``caldav`` (and its HTTP stack) or touches the network.

Every request has the configured timeout. Errors come out as :class:`ServerDown`,
:class:`AuthFailed`, :class:`CalendarMissing` or :class:`Changed` (a precondition failed: the
object changed on the server since we read it); their messages name the server without
credentials, never the password.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from ..i18n import _

# One multiget REPORT per this many objects: small enough for any server's request limits,
# large enough that 1,000 tasks come down in a handful of requests.
FETCH_BATCH = 200


class LinkError(Exception):
    """A server problem; the message is for the user."""


class ServerDown(LinkError):
    pass


class AuthFailed(LinkError):
    pass


class CalendarMissing(LinkError):
    pass


class Changed(LinkError):
    """If-Match / If-None-Match failed: someone else wrote the object since we read it."""


@dataclass(slots=True)
class Listing:
    """What changed on the server: href -> ETag of new or changed objects, and removed hrefs."""

    changed: dict[str, str | None] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)
    token: str | None = None
    full: bool = False  # a full listing: every object is in ``changed`` or had a known ETag


def public_url(url: str) -> str:
    """The URL without user name or password, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def href_of(url: Any) -> str:
    """The path part of an object's URL, unquoted: one spelling whatever the server sent."""
    return unquote(urlsplit(str(url)).path)


class CalDAVLink:
    """One calendar (task list) on one server, for the length of one sync."""

    def __init__(
        self, url: str, username: str, password: str, calendar: str, timeout: float
    ) -> None:
        self.url = url
        self.where = public_url(url)
        self.calendar_name = calendar
        self.timeout = timeout
        self._username = username
        self._password = password
        self._client: Any = None
        self.calendar: Any = None
        self.requests = 0  # how many requests this sync sent: the idempotency tests read it

    # connecting

    def open(self) -> None:
        from caldav.davclient import DAVClient

        self._client = DAVClient(
            url=self.url,
            username=self._username or None,
            password=self._password or None,
            timeout=max(1, round(self.timeout)),
        )
        self._password = ""  # the client holds it now; nothing of ours keeps a copy
        self.calendar = self._call(self._find_calendar)

    def close(self) -> None:
        if self._client is not None:
            try:
                self._client.close()
            except Exception:  # closing a dead connection must not hide the real outcome
                pass

    def _find_calendar(self) -> Any:
        name = self.calendar_name
        if name.startswith(("http://", "https://", "/")):
            return self._client.calendar(url=name)
        self.requests += 1
        calendars = self._client.principal().calendars()
        self.requests += 1
        wanted = name.casefold().strip("/")
        for calendar in calendars:
            last = href_of(calendar.url).rstrip("/").rsplit("/", 1)[-1]
            if last.casefold() == wanted:
                return calendar
        for calendar in calendars:
            self.requests += 1
            shown = calendar.get_display_name() or ""
            if shown.casefold() == wanted:
                return calendar
        raise CalendarMissing(
            _(
                "{url} has no task list named '{name}'; create it in your calendar app or "
                "set [caldav] calendar to one of: {names}"
            ).format(
                url=self.where,
                name=name,
                names=", ".join(href_of(c.url).rstrip("/").rsplit("/", 1)[-1] for c in calendars)
                or _("(none)"),
            )
        )

    # reading

    def changes(self, token: str | None, known: dict[str, str | None]) -> Listing:
        """Changes since ``token`` (RFC 6578 sync-collection) where the server keeps one, else a
        full ETag listing compared with ``known`` (href -> the ETag we last saw)."""
        if token:
            try:
                return self._call(self._incremental, token)
            except Changed:
                pass  # the token expired or the server forgot it: list everything
        return self._call(self._full_listing, known)

    def _incremental(self, token: str) -> Listing:
        from caldav.lib import error

        self.requests += 1
        try:
            result = self.calendar.get_objects_by_sync_token(
                token, load_objects=False, disable_fallback=True
            )
        except error.AuthorizationError as exc:
            if self._client is not None and getattr(exc, "preconditions", None):
                raise Changed(str(exc)) from None
            raise
        except (error.ReportError, error.DAVError) as exc:
            raise Changed(str(exc)) from None
        listing = Listing(token=_token(result.sync_token))
        deleted = {href_of(url) for url in result.deleted_urls}
        for obj in result.objects:
            href = href_of(obj.url)
            if href in deleted:
                listing.removed.add(href)
            else:
                listing.changed[href] = _etag(obj.props)
        return listing

    def _full_listing(self, known: dict[str, str | None]) -> Listing:
        from caldav.elements import dav
        from caldav.lib import error

        token = None
        self.requests += 1
        try:
            # The first sync-collection lists every member with its ETag and hands us a token.
            result = self.calendar.get_objects_by_sync_token(
                None, load_objects=False, disable_fallback=True
            )
            members = {href_of(o.url): _etag(o.props) for o in result.objects}
            token = _token(result.sync_token)
        except (error.ReportError, error.DAVError) as exc:
            if isinstance(exc, error.AuthorizationError) and not getattr(
                exc, "preconditions", None
            ):
                raise
            self.requests += 1
            response = self.calendar._query_properties([dav.GetEtag()], depth=1)
            props = response.expand_simple_props([dav.GetEtag()])
            members = {}
            own = href_of(self.calendar.url).rstrip("/")
            for href, values in props.items():
                path = href_of(self.calendar.url.join(href))
                if path.rstrip("/") != own:
                    members[path] = values.get(dav.GetEtag.tag)
        listing = Listing(token=token, full=True)
        for href, etag in members.items():
            if etag is None or known.get(href) != etag:
                listing.changed[href] = etag
        listing.removed = {href for href in known if href not in members}
        return listing

    def fetch(self, hrefs: list[str]) -> dict[str, tuple[str | None, str]]:
        """href -> (ETag, calendar data) for the objects still there."""
        return self._call(self._fetch, hrefs)

    def _fetch(self, hrefs: list[str]) -> dict[str, tuple[str | None, str]]:
        found: dict[str, tuple[str | None, str]] = {}
        for start in range(0, len(hrefs), FETCH_BATCH):
            urls = [self._url(href) for href in hrefs[start : start + FETCH_BATCH]]
            self.requests += 1
            for obj in self.calendar.multiget(urls):
                data = obj.data
                if data:
                    found[href_of(obj.url)] = (_etag(obj.props), str(data))
        return found

    # writing

    def href_for(self, uid: str) -> str:
        base = href_of(self.calendar.url)
        return base.rstrip("/") + "/" + uid + ".ics"

    def put(self, href: str, body: bytes, etag: str | None) -> str | None:
        """Create (``etag`` None) or replace the object; the new ETag when the server says it."""
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        if etag is None:
            headers["If-None-Match"] = "*"
        else:
            headers["If-Match"] = etag
        response = self._call(self._send, "PUT", href, body.decode(), headers)
        if response.status == 412:
            raise Changed(href)
        if response.status not in (200, 201, 204):
            raise ServerDown(self._refused(response.status, href))
        value = response.headers.get("etag") if response.headers else None
        return str(value) if value else None

    def delete(self, href: str, etag: str | None) -> None:
        headers = {"If-Match": etag} if etag else {}
        response = self._call(self._send, "DELETE", href, "", headers)
        if response.status == 412:
            raise Changed(href)
        if response.status not in (200, 204, 404, 410):
            raise ServerDown(self._refused(response.status, href))

    def _send(self, method: str, href: str, body: str, headers: dict[str, str]) -> Any:
        self.requests += 1
        return self._client.request(str(self._url(href)), method, body, headers)

    def _url(self, href: str) -> Any:
        return self.calendar.url.join(quote(href, safe="/:@"))

    def _refused(self, status: int, href: str) -> str:
        return _("{url} refused to store {href} (HTTP {status})").format(
            url=self.where, href=href, status=status
        )

    # errors

    def _call(self, function: Any, *args: Any) -> Any:
        """Run one step against the server, turning its failures into our three errors."""
        from caldav.lib import error

        try:
            return function(*args)
        except LinkError:
            raise
        except error.AuthorizationError:
            raise AuthFailed(
                _(
                    "{url} refused the user name or password (check [caldav] username and "
                    "your password_command or EISENHOWER_CALDAV_PASSWORD)"
                ).format(url=self.where)
            ) from None
        except error.NotFoundError:
            raise CalendarMissing(
                _("{url} has no task list at '{name}'").format(
                    url=self.where, name=self.calendar_name
                )
            ) from None
        except (OSError, error.DAVError) as exc:
            # niquests' connection errors and timeouts are OSErrors; their text may hold the
            # URL, never the password, but it is long: the class name says enough.
            raise ServerDown(
                _("cannot reach {url} ({reason})").format(url=self.where, reason=_reason(exc))
            ) from None


def _reason(exc: Exception) -> str:
    text = str(exc)
    for marker in ("Connection refused", "timed out", "Name or service not known", "reset"):
        if marker.lower() in text.lower():
            return marker.lower()
    return type(exc).__name__


def _etag(props: Any) -> str | None:
    from caldav.elements import dav

    if not props:
        return None
    value = props.get(dav.GetEtag.tag)
    return str(value) if value else None


def _token(value: Any) -> str | None:
    return str(value) if value else None

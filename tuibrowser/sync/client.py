"""A polite, careful HTTP client for one site: the only module of ``sync`` that talks HTTP.

- a User-Agent naming tuibrowser and its version;
- at most 4 requests at once and at most ``rate`` requests a second started;
- timeouts on connect and read; retries with exponential backoff on 5xx, 429 and timeouts, a
  ``Retry-After`` (seconds or a date) honoured up to a cap;
- only http and https, on every redirect too; with ``host`` set, only that host (a site
  cannot send the client to an address inside the server's network);
- bodies read in chunks and refused past a size limit, whatever ``Content-Length`` claimed;
- conditional requests (``If-None-Match``, ``If-Modified-Since``) when the caller has validators;
- every failure a :class:`FetchError` whose message is one line naming the URL.

Built on requests (one Session per thread, as a Session is not promised to be thread-safe);
not httpx, which imports Rich and Pygments at start-up for its own command line, when the
core of tuibrowser promises never to load Rich.
"""

from __future__ import annotations

import email.utils
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter

MAX_CONCURRENCY = 4
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def user_agent() -> str:
    try:
        version = metadata.version("tuibrowser")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return f"tuibrowser/{version} (ModernGov mirror; +https://pypi.org/project/tuibrowser/)"


class FetchError(Exception):
    """A request failed; the message is one line naming the URL."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass(slots=True)
class Response:
    url: str
    status: int  # 200, or 304 for a conditional request the server says is unchanged
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def check_url(url: str) -> None:
    """Refuse anything but an absolute http(s) URL with a host."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(url, "only http:// and https:// addresses are fetched")


def _retry_after(value: str | None, cap: float) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, min(when.timestamp() - time.time(), cap))


def _ssl_error(exc: BaseException) -> bool:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        text = f"{type(cur).__name__} {cur}".lower()
        if "ssl" in text or "certificate" in text or "tls" in text:
            return True
        cur = cur.__cause__ or cur.__context__
    return False


class Client:
    """One site's client. Thread-safe: several threads may call :meth:`get` at once."""

    def __init__(
        self,
        *,
        rate: float = 2.0,
        concurrency: int = MAX_CONCURRENCY,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 1.0,
        max_wait: float = 120.0,
        max_bytes: int = 20 * 2**20,
        host: str | None = None,
    ):
        self.host = host.lower() if host else None
        self.concurrency = max(1, min(MAX_CONCURRENCY, concurrency))
        self._slots = threading.BoundedSemaphore(self.concurrency)
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._next_start = 0.0
        self._clock = threading.Lock()
        self.retries = max(0, retries)
        self.backoff = backoff
        self.max_wait = max_wait
        self.max_bytes = max_bytes
        self.requests = 0
        self.timeout = (min(timeout, 15.0), timeout)
        self._local = threading.local()
        self._sessions: list[requests.Session] = []

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.trust_env = False  # no .netrc credentials or proxy settings sent along
            session.headers.update({"User-Agent": user_agent(), "Accept-Encoding": "gzip, deflate"})
            adapter = HTTPAdapter(pool_connections=1, pool_maxsize=1, max_retries=0)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self._local.session = session
            with self._clock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        for session in self._sessions:
            session.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check(self, url: str, asked: str | None = None) -> None:
        check_url(url)
        host = (urlsplit(url).hostname or "").lower()
        if self.host is not None and host != self.host:
            where = f"redirected to {host}" if asked else f"on another host ({host})"
            raise FetchError(asked or url, f"{where}, not the site's {self.host}: not fetched")

    def _wait_turn(self) -> None:
        """Start no more than ``rate`` requests a second, across all threads."""
        with self._clock:
            now = time.monotonic()
            start = max(now, self._next_start)
            self._next_start = start + self._interval
        if start > now:
            time.sleep(start - now)

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
    ) -> Response:
        """GET ``url`` (conditionally when validators are given); follows up to 5 redirects,
        each checked to be http(s). Raises :class:`FetchError`."""
        self._check(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        limit = max_bytes or self.max_bytes
        current = url
        for _ in range(6):
            resp = self._get_once(current, headers, limit)
            if isinstance(resp, Response):
                resp.url = url
                return resp
            current = resp  # a redirect's target
            self._check(current, url)
        raise FetchError(url, "too many redirects")

    def _get_once(self, url: str, headers: dict[str, str], limit: int) -> Response | str:
        attempt = 0
        while True:
            wait: float | None = None
            try:
                return self._request(url, headers, limit)
            except _Retry as r:
                if attempt >= self.retries:
                    raise FetchError(url, r.reason) from None
                wait = r.wait
            attempt += 1
            delay = wait if wait is not None else min(self.backoff * 2 ** (attempt - 1), 60.0)
            time.sleep(delay)

    def _request(self, url: str, headers: dict[str, str], limit: int) -> Response | str:
        self._wait_turn()
        with self._slots:
            with self._clock:
                self.requests += 1
            try:
                r = self._session().get(
                    url, headers=headers, stream=True, timeout=self.timeout, allow_redirects=False
                )
                try:
                    return self._read(url, r, limit)
                finally:
                    r.close()
            except requests.exceptions.SSLError as exc:
                raise FetchError(url, f"TLS error: {_short(exc)}") from None
            except requests.exceptions.Timeout:
                raise _Retry("timed out") from None
            except requests.exceptions.ConnectionError as exc:
                if _ssl_error(exc):
                    raise FetchError(url, f"TLS error: {_short(exc)}") from None
                if "timed out" in str(exc).lower():
                    raise _Retry("timed out") from None
                raise _Retry(f"cannot connect: {_short(exc)}") from None
            except requests.exceptions.ChunkedEncodingError as exc:
                raise _Retry(f"connection broken: {_short(exc)}") from None
            except (requests.exceptions.InvalidSchema, requests.exceptions.MissingSchema):
                raise FetchError(url, "only http:// and https:// addresses are fetched") from None
            except requests.exceptions.RequestException as exc:
                raise FetchError(url, f"{type(exc).__name__}: {_short(exc)}") from None

    def _read(self, url: str, r: requests.Response, limit: int) -> Response | str:
        status = r.status_code
        if status in (301, 302, 303, 307, 308) and r.headers.get("location"):
            return urljoin(url, r.headers["location"])
        if status == 304:
            return Response(
                url,
                304,
                etag=r.headers.get("etag"),
                last_modified=r.headers.get("last-modified"),
            )
        if status in RETRY_STATUSES:
            raise _Retry(
                f"HTTP {status} {r.reason or ''}".strip(),
                _retry_after(r.headers.get("retry-after"), self.max_wait),
            )
        if status == 404:
            raise FetchError(url, "not found (HTTP 404)")
        if status >= 400:
            raise FetchError(url, f"HTTP {status} {r.reason or ''}".strip())
        if status != 200:
            raise FetchError(url, f"unexpected HTTP {status}")
        declared = r.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(url, f"answer of {int(declared)} bytes is over the limit of {limit}")
        chunks: list[bytes] = []
        size = 0
        for chunk in r.iter_content(chunk_size=65536):
            size += len(chunk)
            if size > limit:
                raise FetchError(url, f"answer is over the limit of {limit} bytes")
            chunks.append(chunk)
        return Response(
            url,
            200,
            b"".join(chunks),
            etag=r.headers.get("etag"),
            last_modified=r.headers.get("last-modified"),
            content_type=r.headers.get("content-type"),
        )


class _Retry(Exception):
    def __init__(self, reason: str, wait: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__

"""A small HTTP client for the benchmark and the load test: a browser-like session with cookies and forms
(over one or several servers, round robin), and a bounded load generator of threads.

Standard library only (http.client): a new connection per request, as gunicorn's sync workers close
each connection after the response anyway.
"""
from __future__ import annotations

import http.client
import itertools
import math
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

TIMEOUT = 60.0


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    elapsed_ms: float
    server: tuple[str, int]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return urlsplit(self.headers.get("Location", "")).path


def fetch(address: tuple[str, int], method: str, path: str, *, body: bytes | None = None,
          headers: dict[str, str] | None = None) -> Response:
    """One request on a fresh connection; the time runs from connecting to the last byte of the body."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(*address, timeout=TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    return Response(response.status, response.msg, data, (time.perf_counter() - started) * 1000, address)


class _HiddenInputs(HTMLParser):
    """The hidden inputs of the page's forms, by name (the first of each name)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "hidden" and attributes.get("name"):
            self.values.setdefault(attributes["name"], attributes.get("value") or "")


def hidden_inputs(html: str) -> dict[str, str]:
    parser = _HiddenInputs()
    parser.feed(html)
    return parser.values


class Session:
    """A browser's cookie jar over one or more servers; with several, each request goes to the next one."""

    def __init__(self, addresses: list[tuple[str, int]], *, first: int = 0) -> None:
        self.addresses = addresses
        self._turn = itertools.count(first)
        self.cookies: dict[str, str] = {}

    def _next_address(self) -> tuple[str, int]:
        return self.addresses[next(self._turn) % len(self.addresses)]

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def _remember(self, response: Response) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                expired = morsel["max-age"] == "0" or "1970" in morsel["expires"]
                if expired or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def request(self, method: str, path: str, form: dict | list | None = None) -> Response:
        headers = {"Cookie": self.cookie_header} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        response = fetch(self._next_address(), method, path, body=body, headers=headers)
        self._remember(response)
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: dict | list) -> Response:
        return self.request("POST", path, form)

    def log_in(self, email: str, password: str) -> Response:
        """Through /log-ind as a person would: read the form's CSRF token, post, expect the redirect."""
        page = self.get("/log-ind")
        token = hidden_inputs(page.text).get("csrf_token", "")
        response = self.post("/log-ind", {"csrf_token": token, "email": email, "password": password})
        if response.status != 302:
            raise RuntimeError(f"logging in as {email} answered {response.status}, not a redirect")
        return response


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1))]


@dataclass
class LoadResult:
    """What one run of the load generator saw."""

    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    query_counts: list[int] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    wall_s: float = 0.0

    @property
    def count(self) -> int:
        return len(self.latencies_ms)

    def summary(self) -> dict:
        return {
            "requests": self.count,
            "p50_ms": round(percentile(self.latencies_ms, 0.50), 2),
            "p95_ms": round(percentile(self.latencies_ms, 0.95), 2),
            "mean_ms": round(statistics.fmean(self.latencies_ms), 2) if self.latencies_ms else 0.0,
            "rps": round(self.count / self.wall_s, 2) if self.wall_s else 0.0,
            "statuses": {str(status): count for status, count in sorted(self.statuses.items())},
            "failures": self.failures[:5],
        }


def hammer(address: tuple[str, int], path: str, *, concurrency: int, requests: int, time_limit_s: float,
           cookie_header: str = "", expect: int = 200) -> LoadResult:
    """GET `path` `requests` times from `concurrency` threads (or until `time_limit_s` has passed)."""
    result = LoadResult()
    lock = threading.Lock()
    issued = itertools.count()
    headers = {"Cookie": cookie_header} if cookie_header else {}
    stop_at = time.monotonic() + time_limit_s

    def worker() -> None:
        while next(issued) < requests and time.monotonic() < stop_at:
            try:
                response = fetch(address, "GET", path, headers=headers)
            except OSError as error:
                with lock:
                    result.failures.append(f"{type(error).__name__}: {error}")
                continue
            with lock:
                result.latencies_ms.append(response.elapsed_ms)
                result.statuses[response.status] += 1
                result.sizes.append(len(response.body))
                if response.headers.get("X-Query-Count") is not None:
                    result.query_counts.append(int(response.headers["X-Query-Count"]))
                if response.status != expect:
                    result.failures.append(f"{response.status} for {path}")

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.wall_s = time.perf_counter() - started
    return result

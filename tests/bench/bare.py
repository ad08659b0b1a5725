"""The limit a page is measured against: a bare Flask route that returns a page of the asked size from memory."""
from __future__ import annotations

from flask import Flask, abort

app = Flask(__name__)

FILLER = b"<p>Sammen om fastholdelse: a page of the same size as the portal's, served from memory.</p>\n"
LARGEST = 8 * 1024 * 1024
_pages: dict[int, bytes] = {}


@app.route("/<int:size>")
def page(size: int):
    """`size` bytes of HTML, made once per size and kept."""
    if size > LARGEST:
        abort(404)
    body = _pages.get(size)
    if body is None:
        body = _pages[size] = (FILLER * (size // len(FILLER) + 1))[:size]
    return body, 200, {"Content-Type": "text/html; charset=utf-8"}

"""Helpers of the built-site tests: a local web server, the browser, and a link crawl.

The browser is Debian's Chromium (``/usr/bin/chromium``), driven by Playwright; Playwright
cannot download a browser of its own here. ``make test`` installs Chromium when it is
missing (see the Makefile).
"""

from __future__ import annotations

import contextlib
import functools
import html.parser
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# The browser tests import these from here.
from coursekit.browser import CHROMIUM_FLAGS, chromium_path  # noqa: F401


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the signature of the base class)
        pass


@contextlib.contextmanager
def serve(folder: Path, handler_class: type[SimpleHTTPRequestHandler] = _QuietHandler):
    """Serve ``folder`` on a free port of 127.0.0.1; yield the base URL."""
    handler = functools.partial(handler_class, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def local_only(base: str, outside: list[str]):
    """A Playwright route handler: requests to the served site go on, the rest are refused
    and listed in ``outside``."""

    def route_request(route) -> None:
        if route.request.url.startswith((base, "data:", "blob:", "about:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    return route_request


def site_pages(html_dir: Path) -> list[str]:
    """Every page of the built site, as paths relative to its root (``book/setup.html``)."""
    skip = {"_static", "_sources", "_images", "reports", "_downloads"}
    return sorted(
        p.relative_to(html_dir).as_posix()
        for p in html_dir.rglob("*.html")
        if not skip & set(p.relative_to(html_dir).parts)
    )


@dataclass
class _Links(html.parser.HTMLParser):
    targets: list[tuple[str, str]] = field(default_factory=list)  # (attribute, value)
    ids: set[str] = field(default_factory=set)

    def __post_init__(self):
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key) and (key == "id" or tag == "a"):
                self.ids.add(attrs[key])
        for key in ("href", "src"):
            value = attrs.get(key)
            if value and not (tag == "link" and attrs.get("rel") == "preconnect"):
                self.targets.append((key, value))


def parse_page(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def crawl_links(html_dir: Path) -> tuple[list[str], dict[str, list[str]]]:
    """Broken internal links and the external links of the built site.

    Returns ``(broken, external)``: ``broken`` lists ``page: link (why)``; ``external``
    maps every outside URL to the pages that link to it.
    """
    pages = site_pages(html_dir)
    parsed = {page: parse_page(html_dir / page) for page in pages}
    broken: list[str] = []
    external: dict[str, list[str]] = {}
    for page, links in parsed.items():
        for _, value in links.targets:
            parts = urlsplit(value)
            if parts.scheme in ("http", "https"):
                external.setdefault(value, []).append(page)
                continue
            if parts.scheme in ("mailto", "data", "javascript") or value.startswith("//"):
                continue
            target = urlsplit(urljoin("http://site/" + page, value))
            rel = unquote(target.path).lstrip("/") or "index.html"
            file = html_dir / rel
            if file.is_dir():
                file = file / "index.html"
            if not file.exists():
                broken.append(f"{page}: {value} (no file {rel})")
                continue
            fragment = unquote(target.fragment)
            if fragment and file.suffix == ".html":
                ids = parsed[rel].ids if rel in parsed else parse_page(file).ids
                if fragment not in ids:
                    broken.append(f"{page}: {value} (no anchor #{fragment} in {rel})")
    return broken, external

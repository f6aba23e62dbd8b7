"""The built website in a real browser: every page of ``_build/html`` in headless Chromium.

For each page the test fails on a console error or uncaught exception, on an image that does
not load, on a request that leaves the machine or fails, on math that MathJax left
unrendered, and on an internal link whose file or anchor does not exist. It saves a
screenshot of each page under ``test-artifacts/screenshots/``.

Chromium comes from Debian's packages (``make chromium``, run by ``make test``) and is driven
by Playwright; the test is skipped, saying why, only where Chromium is not installed. The
site is served by a local HTTP server on 127.0.0.1 started by the test itself.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO

HTML = REPO / "_build" / "html"
SHOTS = REPO / "test-artifacts" / "screenshots"
HOST = "127.0.0.1"


def _chromium() -> str | None:
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _pages() -> list[Path]:
    if not HTML.exists():
        return []
    return sorted(
        p
        for p in HTML.rglob("*.html")
        if not ({"_static", "_downloads", "_sources", "_images"} & set(p.relative_to(HTML).parts))
    )


PAGES = _pages()

pytestmark = [
    pytest.mark.skipif(
        not (HTML / "index.html").exists(),
        reason="the book is not built; run `make test` (it builds the book first) or `make book`",
    ),
    pytest.mark.skipif(
        _chromium() is None,
        reason="Chromium is not installed: run `make chromium` (apt-get install chromium)",
    ),
]


# ----------------------------------------------------------------------------- links


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        d = dict(attrs)
        for key in ("id", "name"):
            if d.get(key):
                self.ids.add(d[key])
        if tag == "a" and d.get("href"):
            self.links.append(d["href"])


@functools.cache
def _parse(path: Path) -> _Anchors:
    parser = _Anchors()
    parser.feed(path.read_text(errors="replace"))
    return parser


def _broken_links(page: Path) -> list[str]:
    """Internal links of ``page`` whose target file or anchor does not exist."""
    broken = []
    for href in _parse(page).links:
        parts = urllib.parse.urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
            continue
        path = urllib.parse.unquote(parts.path)
        target = (page.parent / path).resolve() if path else page
        if target.is_dir():
            target = target / "index.html"
        if not target.exists():
            broken.append(f"{href} (no file {target})")
            continue
        if parts.fragment and target.suffix == ".html":
            frag = urllib.parse.unquote(parts.fragment)
            if frag not in _parse(target).ids:
                broken.append(f"{href} (no anchor #{frag} in {target.relative_to(HTML)})")
    return broken


# ----------------------------------------------------------------------------- browser


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def server():
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer((HOST, 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://{HOST}:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as pw:
        try:
            b = pw.chromium.launch(
                executable_path=_chromium(), headless=True, args=["--no-sandbox"]
            )
        except Exception as exc:
            pytest.fail(f"Chromium ({_chromium()}) did not start: {exc}")
        yield b
        b.close()


_CHECKS = """
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  for (const img of document.images) {
    img.loading = "eager";
  }
  await Promise.all(Array.from(document.images).map(img => img.complete ? null :
      new Promise(resolve => { img.onload = img.onerror = resolve; })));
  const badImages = Array.from(document.images)
      .filter(img => !(img.complete && img.naturalWidth > 0))
      .map(img => img.getAttribute("src"));
  const math = Array.from(document.querySelectorAll(".math"));
  const unrendered = math.filter(el => !el.querySelector("mjx-container")
      && el.tagName !== "MJX-CONTAINER" && !el.closest("mjx-container"))
      .map(el => el.textContent.slice(0, 80));
  const rendered = document.querySelectorAll("mjx-container").length;
  const text = document.body.cloneNode(true);
  text.querySelectorAll("pre, code, script, style, mjx-container").forEach(e => e.remove());
  const rawTex = /\\\\\\(|\\\\\\[|\\$\\$/.test(text.textContent);
  return {badImages, unrendered, math: math.length, rendered, rawTex,
          hasMathJax: !!window.MathJax};
}
"""


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(HTML)) for p in PAGES])
def test_page_in_browser(page, server, browser):
    rel = page.relative_to(HTML).as_posix()
    errors: list[str] = []
    external: list[str] = []
    failed: list[str] = []

    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def route(r):
        host = urllib.parse.urlsplit(r.request.url).hostname
        if r.request.url.startswith("data:") or host == HOST:
            r.continue_()
        else:
            external.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    p = context.new_page()
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    p.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    p.on(
        "response",
        lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    p.on("requestfailed", lambda r: failed.append(f"{r.failure} {r.url}"))
    try:
        url = f"{server}/{rel}"
        p.goto(url, wait_until="load", timeout=60_000)
        if 'http-equiv="refresh"' in page.read_text(errors="replace").lower():
            # A redirect page (index.html): check the page it leads to.
            p.wait_for_url(lambda u: u != url, timeout=30_000)
            p.wait_for_load_state("load")
        result = p.evaluate(_CHECKS)
        SHOTS.mkdir(parents=True, exist_ok=True)
        p.screenshot(path=str(SHOTS / (rel.replace("/", "__") + ".png")), full_page=True)
    finally:
        context.close()

    external_failed = [f for f in failed if not any(u in f for u in external)]
    assert not external, f"{rel} requested outside the machine: {external}"
    assert not errors, f"{rel}: console errors: {errors}"
    assert not external_failed, f"{rel}: failed requests: {external_failed}"
    assert not result["badImages"], f"{rel}: images that did not load: {result['badImages']}"
    assert not result["unrendered"], f"{rel}: math not rendered: {result['unrendered'][:5]}"
    if result["math"]:
        assert result["hasMathJax"] and result["rendered"], f"{rel}: MathJax did not run"
    assert not result["rawTex"], f"{rel}: raw TeX delimiters left in the text"
    broken = _broken_links(page)
    assert not broken, f"{rel}: broken internal links:\n" + "\n".join(broken)


def test_every_page_is_checked():
    """The pages listed in the table of contents are among those the browser opens."""
    names = {p.relative_to(HTML).as_posix() for p in PAGES}
    for needed in ("intro.html", "claims.html", "figures.html", "notation.html",
                   "how-to-cite.html", "bibliography.html"):  # fmt: skip
        assert needed in names, needed

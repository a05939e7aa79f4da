"""Real-browser helpers for tests: Debian's chromium driven by Playwright, axe-core from node_modules.

Nothing is downloaded: Playwright's Python package ships its own node driver and is pointed at
``/usr/bin/chromium`` (``apt-get install chromium``) with ``executable_path``, so no
``playwright install`` is needed; axe-core comes from ``npm ci`` (package.json at the repo root).
Pages are opened from ``file://`` URLs; every request to the network is aborted and recorded, so
a test can check that a page is self-contained (:func:`external_requests`).

Two ways to get a page::

    with browser() as b:                 # one browser for many pages
        page = open_page(b, path)
    with page_for(path) as page:         # one page, its own browser
        ...
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
_NETWORK = re.compile(r"^(https?|wss?|ftp)://", re.I)
_EXTERNAL: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()   # page -> URLs it tried to load


def _missing() -> list[str]:
    missing = [what for what, ok in (("chromium (apt-get install chromium)", Path(CHROMIUM).exists()),
                                     ("axe-core (npm ci)", AXE.is_file())) if not ok]
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright (pip install -e '.[test]')")
    return missing


def chromium_available() -> bool:
    """True when chromium, Playwright and axe-core are all installed."""
    return not _missing()


def require_browser() -> None:
    """Skip when chromium, Playwright or axe-core is missing, except in CI, where that is a failure."""
    missing = _missing()
    if missing:
        if os.environ.get("CI") or os.environ.get("OSALLISUUS_REQUIRE_BROWSER"):
            pytest.fail(f"browser tests need {', '.join(missing)}; 'make test' installs them")
        pytest.skip(f"needs {', '.join(missing)} ('make test' installs them)")


@contextlib.contextmanager
def browser():
    """A headless Debian chromium, closed on exit."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def open_page(b, path: Path, *, width: int = 1100, height: int = 900):
    """A new page of browser ``b`` showing the local file ``path``, loaded; network requests aborted."""
    page = b.new_page(viewport={"width": width, "height": height})
    tried: list[str] = []
    _EXTERNAL[page] = tried
    page.on("request", lambda req: tried.append(req.url) if _NETWORK.match(req.url) else None)
    page.route(_NETWORK, lambda route: route.abort())
    page.goto(Path(path).resolve().as_uri(), wait_until="load")
    return page


@contextlib.contextmanager
def page_for(path: Path, **kw) -> Iterator:
    """One loaded page for the local file ``path`` in its own browser (see :func:`open_page`)."""
    with browser() as b:
        page = open_page(b, path, **kw)
        try:
            yield page
        finally:
            page.close()


def external_requests(page) -> list[str]:
    """URLs outside this machine that the page tried to load (all were aborted)."""
    return list(_EXTERNAL.get(page, []))


def run_axe(page) -> list[dict]:
    """axe-core violations of WCAG 2.0/2.1 A and AA and best practices: id, impact, help, first nodes."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async (tags) => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                        nodes: v.nodes.slice(0, 3).map(n => n.html)}));
    }""", AXE_TAGS)


def serious(violations: list[dict]) -> list[dict]:
    """The violations whose impact is serious or critical."""
    return [v for v in violations if v["impact"] in ("serious", "critical")]


serious_violations = serious


def broken_toc_links(page) -> list[str]:
    """In-page links (href="#x") with no element of id x, or that do not move there when clicked."""
    hrefs = page.eval_on_selector_all("a[href^='#']", "els => els.map(e => e.getAttribute('href'))")
    broken = []
    for href in hrefs:
        target = href[1:]
        if not page.evaluate("id => !!document.getElementById(id)", target):
            broken.append(href)
            continue
        page.locator("a[href^='#']").nth(hrefs.index(href)).click(timeout=5000)
        if page.evaluate("() => decodeURIComponent(location.hash.slice(1))") != target:
            broken.append(href)
    return broken


toc_links_ok = broken_toc_links   # the name in the first plan; returns the broken links


def broken_images(page) -> list[str]:
    """Images that did not load (``naturalWidth == 0`` after the page's load event)."""
    return page.eval_on_selector_all(
        "img", "els => els.filter(e => !e.complete || e.naturalWidth === 0).map(e => e.src.slice(0, 60))")


def images_without_alt(page) -> list[str]:
    """Images whose alt text is missing or blank."""
    return page.eval_on_selector_all("img", "els => els.filter(e => !(e.getAttribute('alt') || '').trim())"
                                            ".map(e => e.src.slice(0, 60))")


def screenshot(page, png_path: Path) -> Path:
    """A full-page PNG screenshot; returns its path."""
    png_path = Path(png_path)
    png_path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(png_path), full_page=True)
    return png_path

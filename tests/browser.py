"""Real-browser helpers for tests: Debian's chromium driven by Playwright (no browser download),
axe-core from node_modules (npm ci)."""
from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]


def require_browser() -> None:
    """Skip when chromium, Playwright or axe-core is missing, except in CI, where that is a failure."""
    missing = [what for what, ok in (("chromium", Path(CHROMIUM).exists()), ("axe-core (npm ci)", AXE.is_file()))
               if not ok]
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright (pip install -e '.[test]')")
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests need {', '.join(missing)}; 'make test' installs them")
        pytest.skip(f"needs {', '.join(missing)} ('make test' installs them)")


@contextlib.contextmanager
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def open_page(b, path: Path):
    page = b.new_page(viewport={"width": 1100, "height": 900})
    page.goto(path.resolve().as_uri(), wait_until="load")
    return page


def run_axe(page) -> list[dict]:
    """axe-core violations of WCAG 2.0/2.1 A and AA and best practices."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                        nodes: v.nodes.slice(0, 3).map(n => n.html)}));
    }""")


def serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def broken_toc_links(page) -> list[str]:
    """In-page links (href="#x") whose target does not exist, after clicking each one."""
    hrefs = page.eval_on_selector_all("a[href^='#']", "els => els.map(e => e.getAttribute('href'))")
    broken = []
    for href in hrefs:
        if not page.evaluate("id => !!document.getElementById(id)", href[1:]):
            broken.append(href)
            continue
        page.click(f"a[href='{href}']")
        if page.evaluate("() => location.hash") != href:
            broken.append(href)
    return broken


def broken_images(page) -> list[str]:
    return page.eval_on_selector_all(
        "img", "els => els.filter(e => !e.complete || e.naturalWidth === 0).map(e => e.src.slice(0, 60))")


def images_without_alt(page) -> list[str]:
    return page.eval_on_selector_all("img", "els => els.filter(e => !(e.getAttribute('alt') || '').trim())"
                                            ".map(e => e.src.slice(0, 60))")

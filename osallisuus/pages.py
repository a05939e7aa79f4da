"""Standalone HTML pages (index, participants' page): one template and one stylesheet.

The stylesheet is shared with the notebook export, so every page the project makes
looks the same and meets the same contrast and size rules (WCAG 2.1 AA).
"""
from __future__ import annotations

import html

BASE_CSS = """
:root { --ink: #1a1a1a; --muted: #4a4a4a; --accent: #004d7a; --line: #8a8a8a; --bg: #ffffff; --warn-bg: #fff4d6; }
html { font-size: 100%; }
body { font-family: "Source Sans Pro", "Segoe UI", Arial, sans-serif; color: var(--ink); background: var(--bg);
       line-height: 1.55; font-size: 1.05rem; max-width: 52em; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 0.5rem 0 0.75rem; }
h2 { font-size: 1.45rem; margin: 2.2rem 0 0.6rem; border-bottom: 2px solid var(--accent); padding-bottom: 0.2rem; }
h3 { font-size: 1.2rem; margin: 1.6rem 0 0.5rem; }
a { color: var(--accent); text-decoration: underline; }
a:focus, a:hover { outline: 3px solid #ffbf47; outline-offset: 1px; }
p.subtitle, .table-note, figcaption { color: var(--muted); }
.warning { background: var(--warn-bg); border-left: 6px solid #8a5a00; padding: 0.6rem 0.9rem; }
.note { font-size: 0.95rem; color: var(--muted); border-left: 4px solid var(--line); padding-left: 0.7rem; }
table.osallisuus { border-collapse: collapse; margin: 1rem 0 0.3rem; font-size: 0.95rem; width: 100%; }
table.osallisuus caption { text-align: left; font-weight: 700; padding: 0.3rem 0; caption-side: top; color: var(--ink); }
table.osallisuus th, table.osallisuus td { border: 1px solid var(--line); padding: 0.3rem 0.5rem; vertical-align: top; }
table.osallisuus thead th { background: #e8eef3; text-align: left; }
table.osallisuus td { text-align: right; font-variant-numeric: tabular-nums; }
table.osallisuus td.text { text-align: left; }
table.osallisuus th[scope="row"] { text-align: left; font-weight: 400; }
table.osallisuus tr.total th, table.osallisuus tr.total td { font-weight: 700; border-top: 2px solid var(--ink); }
.table-note { font-size: 0.9rem; margin: 0 0 1.2rem; }
figure { margin: 1.2rem 0; }
figure img { max-width: 100%; height: auto; border: 0; }
figure.quote { margin: 0.8rem 0; }
blockquote { margin: 0; padding: 0.4rem 1rem; border-left: 5px solid var(--accent); background: #f3f6f8; }
nav.toc { background: #f3f6f8; padding: 0.6rem 1rem; margin: 1rem 0 1.5rem; }
nav.toc ol { margin: 0.3rem 0; }
@media print { body { max-width: none; font-size: 10.5pt; } nav.toc { break-after: page; } h2 { break-after: avoid; }
               table, figure { break-inside: avoid; } a { color: var(--ink); } }
"""

# Plain-language page: bigger type, shorter lines, more space (selkokieli guidance).
PLAIN_CSS = """
body { font-size: 1.3rem; line-height: 1.7; max-width: 36em; }
h1 { font-size: 2.1rem; } h2 { font-size: 1.6rem; border-bottom-width: 3px; }
p, li { margin: 0 0 1rem; }
"""


def html_page(body: str, *, lang: str, title: str, extra_css: str = "") -> str:
    """A complete, self-contained HTML document (no external requests)."""
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{BASE_CSS}{extra_css}</style>\n</head>\n"
            f'<body>\n<main id="main">\n{body}\n</main>\n</body>\n</html>\n')

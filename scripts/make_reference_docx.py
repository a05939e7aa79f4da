"""Make osallisuus/templates/reference.docx: pandoc's default reference document, adjusted.

Run from the repository root (needs pypandoc-binary and python-docx)::

    python scripts/make_reference_docx.py

Changes to pandoc's default (``pandoc -o custom-reference.docx --print-default-data-file
reference.docx``): A4 pages with 2.5 cm margins; a sans-serif body font (Arial, which
Windows and macOS have and LibreOffice maps to Liberation Sans) at 11 pt; smaller type in
tables; captions bold and kept with the table or figure that follows; styles "Table Note"
and "Quote Source" used by ``osallisuus/export/pandoc_ast.py``. An organisation swaps the file
for its own template (see ``osallisuus.export.docx``); styles it lacks fall back to Word's.
"""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import docx
import pypandoc
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

OUT = Path(__file__).resolve().parents[1] / "osallisuus" / "templates" / "reference.docx"
FONT = "Arial"


def _font(style, name=FONT, size=None, bold=None, italic=None, color=None):
    style.font.name = name
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        rfonts.attrib.pop(qn(attr), None)
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic
    if color is not None:
        style.font.color.rgb = RGBColor.from_string(color)


def build(path: Path = OUT) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        default = Path(tmp) / "default.docx"
        subprocess.run([pypandoc.get_pandoc_path(), "-o", str(default), "--print-default-data-file",
                        "reference.docx"], check=True)
        doc = docx.Document(str(default))
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    styles = doc.styles
    _font(styles["Normal"], size=11)
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "TOC Heading"):
        _font(styles[name])
    _font(styles["Compact"], size=10)
    _font(styles["Table Caption"], bold=True, italic=False, size=10)
    _font(styles["Image Caption"], bold=False, italic=False, size=10)
    for name in ("Table Caption", "Captioned Figure", "Figure"):
        styles[name].paragraph_format.keep_with_next = True
    note = styles.add_style("Table Note", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = styles["Body Text"]
    _font(note, size=9, color="4A4A4A")
    note.paragraph_format.space_before, note.paragraph_format.space_after = Pt(2), Pt(2)
    source = styles.add_style("Quote Source", WD_STYLE_TYPE.PARAGRAPH)
    source.base_style = styles["Body Text"]
    _font(source, size=10, color="4A4A4A")
    source.paragraph_format.left_indent = Cm(1)
    doc.core_properties.title = ""
    doc.core_properties.author = "osallisuus"
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(build())

"""A matplotlib figure as SVG, cut to what it draws, in one layout pass.

Used by :func:`osallisuus.figures.figure_image`. Two things make a report's figures cheaper
than ``savefig(format="svg", bbox_inches="tight")``:

- the figure is drawn once at full size and its tight bounding box measured with the same
  renderer (``savefig`` lays it out twice: a dry run to measure, then the drawing);
- each axis's ticks are worked out once per drawing (see :func:`_ticks_once`);
- text measurements are remembered across figures. matplotlib caches a text's width, height
  and descent per renderer, and every figure has a new renderer, so the same item wording,
  tick label or legend entry was measured again in every figure of every region. The
  measurement depends only on the text, its font properties and the hinting settings, which
  are the key here. The same holds for a font's ascent, descent and line gap, which matplotlib
  otherwise looks up (font search, font file tables) for every text it lays out.
"""
from __future__ import annotations

import contextlib
import io
import re
from functools import lru_cache

import matplotlib

__all__ = ["svg_bytes", "PAD_INCHES"]

#: white space around what a figure draws, inches
PAD_INCHES = 0.1
# SVG text as <text> elements (sharp, searchable, selectable; smaller than glyph outlines), ids
# and metadata without random salt or date, so the same report gives the same bytes
_SVG_RC = {"svg.fonttype": "none", "svg.hashsalt": "osallisuus"}
_SVG_SIZE = re.compile(r'width="[\d.]+pt" height="[\d.]+pt" viewBox="0 0 [\d.]+ [\d.]+"')
_METRICS: dict = {}
_METRICS_MAX = 20000


@lru_cache(maxsize=1)
def _renderer_class():
    """:class:`RendererSVG` with text measurements shared by every figure (made once: the
    SVG backend is imported when the first figure is drawn)."""
    from matplotlib.backends.backend_svg import RendererSVG

    class _Renderer(RendererSVG):
        def get_text_width_height_descent(self, s, prop, ismath):
            if ismath:          # mathtext and TeX: as matplotlib does it
                return super().get_text_width_height_descent(s, prop, ismath)
            rc = matplotlib.rcParams
            key = (s, _font_key(prop), self.points_to_pixels(72), rc["text.hinting"], rc["text.hinting_factor"],
                   rc["text.kerning_factor"], _font_lists())
            if key not in _METRICS:
                if len(_METRICS) >= _METRICS_MAX:
                    _METRICS.clear()
                _METRICS[key] = super().get_text_width_height_descent(s, prop, ismath)
            return _METRICS[key]

        def _get_font_height_metrics(self, prop):
            # matplotlib (3.10+) asks the renderer for a font's ascent, descent and line gap
            # before it reads them from the font file itself for every text it lays out;
            # this gives what that reading would give, remembered per font and size
            key = ("height", _font_key(prop), self.points_to_pixels(72), _font_lists())
            if key not in _METRICS:
                _METRICS[key] = _font_height_metrics(prop, self.points_to_pixels(72))
            return _METRICS[key]

    return _Renderer


def _font_height_metrics(prop, dpi: float) -> tuple:
    """(ascent, descent, line gap) in pixels at ``dpi`` from the font's OS/2 or hhea table, as
    matplotlib's ``Text._get_layout`` reads them; (None, None, None) if the font has neither."""
    from matplotlib.font_manager import fontManager, get_font
    font = get_font(fontManager._find_fonts_by_props(prop))
    for table_name, gap, ascent, descent in (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                                             ("hhea", "lineGap", "ascent", "descent")):
        table = font.get_sfnt_table(table_name)
        if table is not None:
            scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points() * dpi / 72  # as matplotlib
            return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
    return None, None, None


def _font_lists() -> tuple:
    """The settings that turn a family name such as 'sans-serif' into a font (a notebook may
    change them between figures): part of every key, so a measurement is never of another font."""
    rc = matplotlib.rcParams
    return tuple(tuple(rc[k]) for k in ("font.family", "font.sans-serif", "font.serif", "font.monospace",
                                        "font.cursive", "font.fantasy"))


def _font_key(prop) -> tuple:
    """What selects and sizes the font of a :class:`~matplotlib.font_manager.FontProperties`."""
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(), prop.get_stretch(),
            prop.get_size_in_points(), prop.get_file(), prop.get_math_fontfamily())


def svg_bytes(fig, dpi: int) -> bytes:
    """The figure as SVG cut to its tight bounding box plus :data:`PAD_INCHES`, drawn once,
    on a white background; raster parts (if any) at ``dpi``."""
    from matplotlib.backends.backend_mixed import MixedModeRenderer
    buf = io.StringIO()
    old_dpi = fig.dpi
    fig.dpi = 72                                  # SVG user units are points, as in print_svg
    try:
        with matplotlib.rc_context(_SVG_RC):
            width, height = fig.get_size_inches()
            svg = _renderer_class()(width * 72, height * 72, buf, image_dpi=dpi, metadata={"Date": None})
            renderer = MixedModeRenderer(fig, width, height, dpi, svg)
            with _ticks_once(fig):
                fig.draw(renderer)
                box = fig.get_tightbbox(renderer)     # inches, origin bottom left
            renderer.finalize()
    finally:
        fig.dpi = old_dpi
    return _cut(buf.getvalue(), box, height)


@contextlib.contextmanager
def _ticks_once(fig):
    """While ``fig`` is drawn and measured, each axis's ticks (locator, formatter, positions,
    labels) and its tick labels' boxes are worked out once.

    matplotlib works them out again for the axis itself, for placing the axis label and the
    offset text, and for the tight bounding box: some seven times per axis and figure, each
    giving the same, since nothing changes the figure between its drawing and its measuring.
    """
    # matplotlib's own (private) methods: a version without them is drawn as matplotlib does it
    axes = [axis for ax in fig.axes for axis in getattr(ax, "_axis_map", {}).values()
            if hasattr(axis, "_update_ticks") and hasattr(axis, "_get_ticklabel_bboxes")]
    for axis in axes:
        axis._update_ticks = _remembered(axis._update_ticks)
        axis._get_ticklabel_bboxes = _remembered(axis._get_ticklabel_bboxes)
    try:
        yield
    finally:
        for axis in axes:
            del axis._update_ticks, axis._get_ticklabel_bboxes


def _remembered(method):
    """``method`` answering each set of arguments (tick and renderer objects, compared by
    identity) once; the lists it returns are copied, so a caller cannot change another's."""
    answers: dict = {}

    def remembered(*args):
        key = tuple(tuple(map(id, a)) if isinstance(a, list) else id(a) for a in args)
        if key not in answers:
            answers[key] = method(*args)
        answer = answers[key]
        return tuple(list(part) for part in answer) if isinstance(answer, tuple) else list(answer)
    return remembered


def _cut(text: str, box, height: float) -> bytes:
    """The SVG ``text`` with its size and ``viewBox`` set to ``box`` (inches) and a white
    rectangle behind everything."""
    x0, y0 = (box.x0 - PAD_INCHES) * 72, (height - box.y1 - PAD_INCHES) * 72
    w, h = (box.width + 2 * PAD_INCHES) * 72, (box.height + 2 * PAD_INCHES) * 72
    cut = f'width="{w:.2f}pt" height="{h:.2f}pt" viewBox="{x0:.2f} {y0:.2f} {w:.2f} {h:.2f}"'
    text, found = _SVG_SIZE.subn(cut, text, count=1)
    if not found:                                 # an unexpected SVG header: keep the whole figure
        return text.encode("utf-8")
    # white behind everything, also where the box reaches past the figure's own background
    head_end = text.index(">", text.index("<svg ")) + 1
    background = f'\n <rect x="{x0:.2f}" y="{y0:.2f}" width="{w:.2f}" height="{h:.2f}" style="fill: #ffffff"/>'
    return (text[:head_end] + background + text[head_end:]).encode("utf-8")

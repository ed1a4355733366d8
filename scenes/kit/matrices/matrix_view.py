"""The matrix C of a convolution (conv(x) = C·vec(x)) and the vector vec(x).

Small matrices are drawn entry by entry: the kernel's values, or the symbols
w_{i,j} of the taps, zeros dim, each tap in its own colour so the shifted copies
of the kernel stand out. Large ones are a heat map: one vector mobject per kernel tap.
Everything shown comes from ``convmath.tap_matrix`` / ``conv_matrix_dense``.
"""

from __future__ import annotations

import numpy as np
from manim import Mobject, Rectangle, VGroup, VMobject, config

import convmath
from .. import palette
from ..text.tex import lighten, math_tex, value_latex

_TEX_CACHE: dict[tuple, Mobject] = {}


def _tex_entry(latex: str, font_size: float, color, lang) -> Mobject:
    key = (latex, round(font_size, 3), str(color), lang)
    if key not in _TEX_CACHE:
        _TEX_CACHE[key] = lighten(math_tex(latex, lang=lang, font_size=font_size, color=color))
    return _TEX_CACHE[key].copy()


def tap_symbol(tap: tuple[int, ...], letter: str = "w") -> str:
    """LaTeX name of the entry at (0-based) index ``tap``, numbered from 1 as on screen and in
    speech: tap (0, 2) is w_{1,3} (2D), tap (1,) is w_{2} (1D)."""
    return f"{letter}_{{{','.join(str(int(t) + 1) for t in tap)}}}"


def brackets(height: float, width: float, color=palette.TEXT, stroke: float = 2.5,
             hook: float = 0.12) -> VGroup:
    """Square brackets enclosing a box of ``width`` × ``height`` centred on the origin."""
    h, w = height / 2, width / 2
    left = VMobject(stroke_color=color, stroke_width=stroke).set_points_as_corners(
        [[-w + hook, h, 0], [-w, h, 0], [-w, -h, 0], [-w + hook, -h, 0]])
    right = VMobject(stroke_color=color, stroke_width=stroke).set_points_as_corners(
        [[w - hook, h, 0], [w, h, 0], [w, -h, 0], [w - hook, -h, 0]])
    return VGroup(left, right)


class _Table:
    """Entries laid out on a regular grid of given pitch, inside brackets (a mixin)."""

    def _fit_within(self, max_width: float | None, max_height: float | None) -> None:
        """Scale down to fit the given size (default: the frame less its margins)."""
        if max_width is None:
            max_width = config.frame_width - 2 * palette.FRAME_MARGIN
        if max_height is None:
            max_height = config.frame_height - 2 * palette.FRAME_MARGIN
        if self.width > max_width:
            self.scale_to_fit_width(max_width)
        if self.height > max_height:
            self.scale_to_fit_height(max_height)

    def _layout(self, rows: int, cols: int, dx: float, dy: float):
        self.rows, self.cols, self.dx, self.dy = rows, cols, dx, dy

    def slot_center(self, r: int, c: int) -> np.ndarray:
        """Centre of entry (r, c), following the view if it was moved or scaled."""
        a, b = self._anchor.get_start(), self._anchor.get_end()   # top-left, bottom-right slots
        fr = r / (self.rows - 1) if self.rows > 1 else 0.0
        fc = c / (self.cols - 1) if self.cols > 1 else 0.0
        return np.array([a[0] + (b[0] - a[0]) * fc, a[1] + (b[1] - a[1]) * fr, 0.0])

    def slot_size(self) -> tuple[float, float]:
        a, b = self._anchor.get_start(), self._anchor.get_end()
        sx = (b[0] - a[0]) / (self.cols - 1) if self.cols > 1 else self._w0
        sy = (a[1] - b[1]) / (self.rows - 1) if self.rows > 1 else self._h0
        if self.cols == 1:
            sx = self._w0 * self._scale()
        if self.rows == 1:
            sy = self._h0 * self._scale()
        return sx, sy

    def _scale(self) -> float:
        return self.brackets.height / self._bracket_h0 if self._bracket_h0 else 1.0

    def _make_anchor(self, rows, cols, dx, dy):
        # an invisible segment from the top-left to the bottom-right slot centre
        anchor = VMobject(stroke_opacity=0, fill_opacity=0)
        anchor.set_points_as_corners([[-(cols - 1) * dx / 2, (rows - 1) * dy / 2, 0],
                                      [(cols - 1) * dx / 2, -(rows - 1) * dy / 2, 0]])
        self._anchor = anchor
        self._w0, self._h0 = dx, dy
        return anchor

    def row_rect(self, r: int, color=palette.HIGHLIGHT, width: float = 3.5) -> Rectangle:
        """A rectangle around row ``r``."""
        sx, sy = self.slot_size()
        a, b = self.slot_center(r, 0), self.slot_center(r, self.cols - 1)
        rect = Rectangle(width=b[0] - a[0] + sx, height=sy, stroke_color=color,
                         stroke_width=width, fill_opacity=0)
        return rect.move_to((a + b) / 2)

    def col_rect(self, c: int, color=palette.HIGHLIGHT, width: float = 3.5) -> Rectangle:
        """A rectangle around column ``c``."""
        sx, sy = self.slot_size()
        a, b = self.slot_center(0, c), self.slot_center(self.rows - 1, c)
        rect = Rectangle(width=sx, height=a[1] - b[1] + sy, stroke_color=color,
                         stroke_width=width, fill_opacity=0)
        return rect.move_to((a + b) / 2)

    def entry_rect(self, r: int, c: int, color=palette.HIGHLIGHT, width: float = 3.5):
        sx, sy = self.slot_size()
        return Rectangle(width=sx, height=sy, stroke_color=color, stroke_width=width,
                         fill_opacity=0).move_to(self.slot_center(r, c))


def _tap_index(sp) -> list[tuple[int, ...]]:
    return [tuple(int(v) for v in np.unravel_index(t, sp.kernel))
            for t in range(int(np.prod(sp.kernel)))]


def heat_pixels(taps: np.ndarray) -> np.ndarray:
    """RGB uint8 array, one pixel per entry of a tap matrix: the tap's colour, zeros dark."""
    rows, cols = taps.shape
    img = np.empty((rows, cols, 3), dtype=np.uint8)
    img[:] = (np.array(palette.MUTED.to_rgb()) * 255 * 0.5).astype(np.uint8)
    for t in np.unique(taps[taps >= 0]):
        img[taps == t] = (np.array(palette.tap_color(int(t)).to_rgb()) * 255).astype(np.uint8)
    return img


class MatrixView(_Table, VGroup):
    """C of a ConvSpec drawn entry by entry: ``mode`` "symbols" (w_{i,j}) or "numbers"
    (the values of kernel ``w``); default: numbers when ``w`` is given.

    Readback: :attr:`taps` (convmath.tap_matrix), :attr:`values` (conv_matrix_dense,
    None without ``w``), :meth:`shown` (the LaTeX of every entry drawn), :meth:`entry`.
    Highlights: :meth:`row_rect`, :meth:`col_rect`, :meth:`entry_rect`. For large
    matrices use :class:`MatrixHeatMap` (or :func:`matrix_view`, which picks).
    """

    def __init__(self, sp, w=None, *, mode: str | None = None, font_size: float = 26,
                 dx: float | None = None, dy: float | None = None, zero: str = "0", lang=None,
                 max_width: float | None = None, max_height: float | None = None, **kwargs):
        super().__init__(**kwargs)
        self.spec = sp
        self.taps = convmath.tap_matrix(sp)
        self.values = None if w is None else convmath.conv_matrix_dense(sp, w)
        mode = mode or ("symbols" if w is None else "numbers")
        if mode == "numbers" and w is None:
            raise ValueError("mode 'numbers' needs the kernel values w")
        if mode not in ("symbols", "numbers"):
            raise ValueError(f"MatrixView mode is 'symbols' or 'numbers', got {mode!r}")
        self.mode = mode
        self.lang = lang
        self.tap_index = _tap_index(sp)
        rows, cols = self.taps.shape
        self._entries: dict[tuple[int, int], Mobject] = {}
        self._shown = np.full((rows, cols), "", dtype=object)
        samples = {}
        for r in range(rows):
            for c in range(cols):
                samples.setdefault(self.entry_latex(r, c, zero), (r, c))
        sizes = [_tex_entry(s, font_size, palette.TEXT, lang) for s in samples if s]
        wmax = max((m.width for m in sizes), default=0.3)
        hmax = max((m.height for m in sizes), default=0.3)
        dx = dx if dx is not None else max(wmax + 0.22, 0.45)
        dy = dy if dy is not None else max(hmax + 0.2, 0.45)
        self._layout(rows, cols, dx, dy)
        anchor = self._make_anchor(rows, cols, dx, dy)
        self.entries = VGroup()
        for r in range(rows):
            for c in range(cols):
                latex = self.entry_latex(r, c, zero)
                t = int(self.taps[r, c])
                color = palette.TEXT_DIM if t < 0 else palette.tap_color(t)
                m = _tex_entry(latex, font_size, color, lang)
                m.move_to(np.array([(c - (cols - 1) / 2) * dx, ((rows - 1) / 2 - r) * dy, 0]))
                m.matrix_index = (r, c)
                m.tap = t
                m.value = None if self.values is None else self.values[r, c]
                self._entries[(r, c)] = m
                self._shown[r, c] = latex
                self.entries.add(m)
        self._bracket_h0 = rows * dy
        self.brackets = brackets(rows * dy, cols * dx + 0.2, color=palette.TEXT)
        self.add(anchor, self.entries, self.brackets)
        self._fit_within(max_width, max_height)

    def entry_latex(self, r: int, c: int, zero: str = "0") -> str:
        t = int(self.taps[r, c])
        if t < 0:
            return zero
        if self.mode == "symbols":
            return tap_symbol(self.tap_index[t])
        return value_latex(self.values[r, c])

    def entry(self, r: int, c: int) -> Mobject | None:
        return self._entries.get((r, c))

    def shown(self) -> np.ndarray:
        """The LaTeX of every drawn entry."""
        return self._shown.copy()

    def row_entries(self, r: int) -> VGroup:
        return VGroup(*(self._entries[(r, c)] for c in range(self.cols)))

    def col_entries(self, c: int) -> VGroup:
        return VGroup(*(self._entries[(r, c)] for r in range(self.rows)))


def rects_mobject(centers: np.ndarray, w: float, h: float, color, opacity: float = 1.0,
                  gap: float = 0.0) -> VMobject:
    """Many axis-aligned filled rectangles as ONE VMobject (one subpath each), built with numpy."""
    mob = VMobject(fill_color=color, fill_opacity=opacity, stroke_width=0)
    centers = np.asarray(centers, dtype=float).reshape(-1, 3)
    if not len(centers):
        return mob
    hw, hh = (w - gap) / 2, (h - gap) / 2
    corners = np.array([[-hw, hh, 0], [hw, hh, 0], [hw, -hh, 0], [-hw, -hh, 0], [-hw, hh, 0]])
    t = np.array([0, 1 / 3, 2 / 3, 1.0])[:, None]
    seg = np.concatenate([a + (b - a) * t for a, b in zip(corners[:-1], corners[1:])])  # 16×3
    pts = (centers[:, None, :] + seg[None, :, :]).reshape(-1, 3)
    mob.set_points(pts)
    return mob


class MatrixHeatMap(_Table, VGroup):
    """C of a ConvSpec as a heat map: one VMobject per kernel tap holding a small filled
    square for every entry of that tap (its colour), on one dark background rectangle.

    A handful of mobjects however large C is (Manim 0.22's ImageMobject does not
    render with the installed Pillow, so the map is vector, and stays crisp).
    Same readback and highlights as :class:`MatrixView`: :attr:`taps`,
    :attr:`values`, :meth:`row_rect`, :meth:`col_rect`, :meth:`entry_rect`;
    :meth:`pixels` gives the RGB array of the map (one pixel per entry).
    """

    def __init__(self, sp, w=None, *, height: float = 5.5, max_width: float | None = None,
                 gap_ratio: float = 0.12, transpose: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.spec = sp
        self.mode = "image"
        self.taps = convmath.tap_matrix(sp)
        self.values = None if w is None else convmath.conv_matrix_dense(sp, w)
        if transpose:  # Cᵀ: rows are C's columns
            self.taps = self.taps.T.copy()
            self.values = None if self.values is None else self.values.T.copy()
        self.tap_index = _tap_index(sp)
        rows, cols = self.taps.shape
        if max_width is None:
            max_width = config.frame_width - 2 * palette.FRAME_MARGIN - 0.3
        pitch = min(height / rows, max_width / cols)
        width, height = pitch * cols, pitch * rows
        self._layout(rows, cols, pitch, pitch)
        anchor = self._make_anchor(rows, cols, pitch, pitch)
        self.background = Rectangle(width=width, height=height, stroke_width=0,
                                    fill_color=palette.MUTED, fill_opacity=0.35)
        self.tap_layers = VGroup()
        gap = pitch * gap_ratio if pitch > 0.04 else 0.0
        for t in range(len(self.tap_index)):
            rr, cc = np.nonzero(self.taps == t)
            centers = np.stack([(cc - (cols - 1) / 2) * pitch, ((rows - 1) / 2 - rr) * pitch,
                                np.zeros(len(rr))], axis=1)
            layer = rects_mobject(centers, pitch, pitch, palette.tap_color(t), 1.0, gap)
            layer.tap = t
            self.tap_layers.add(layer)
        self._bracket_h0 = height + 0.1
        self.brackets = brackets(height + 0.1, width + 0.2, color=palette.TEXT)
        self.add(anchor, self.background, self.tap_layers, self.brackets)

    def pixels(self) -> np.ndarray:
        return heat_pixels(self.taps)

    def shown(self) -> np.ndarray:
        """Per entry, the flat tap index whose colour is drawn there (−1: zero)."""
        return self.taps.copy()


def matrix_view(sp, w=None, *, mode: str = "auto", max_entries: int = 400, **kwargs):
    """:class:`MatrixView` when C has at most ``max_entries`` entries (or ``mode`` says so),
    else :class:`MatrixHeatMap`. ``mode``: "auto", "symbols", "numbers" or "image"."""
    rows, cols = convmath.matrix_shape(sp)
    if mode == "image" or (mode == "auto" and rows * cols > max_entries):
        return MatrixHeatMap(sp, w, **kwargs)
    return MatrixView(sp, w, mode=None if mode == "auto" else mode, **kwargs)


class VectorView(_Table, VGroup):
    """A column vector: vec(x) of an input array (row-major, like convmath) or symbols x_{i,j}.

    ``values``: the array (any shape; flattened), or pass ``shape`` with ``symbols=True``.
    Readback: :attr:`values` (flat), :meth:`shown`, :meth:`entry`.
    """

    def __init__(self, values=None, *, shape=None, symbols: bool = False, letter: str = "x",
                 role: str = "input", font_size: float = 26, dy: float | None = None,
                 max_height: float | None = None, lang=None, **kwargs):
        super().__init__(**kwargs)
        if values is None and shape is None:
            raise ValueError("VectorView needs values or a shape")
        arr = None if values is None else np.array(values, dtype=object)
        self.source_shape = tuple(arr.shape) if arr is not None else tuple(shape)
        n = int(np.prod(self.source_shape))
        self.values = None if arr is None else arr.reshape(-1)
        self.symbols = symbols or arr is None
        color = palette.ROLE_COLORS.get(role, palette.TEXT)
        latexes = []
        for k in range(n):
            if self.symbols:
                idx = np.unravel_index(k, self.source_shape)
                latexes.append(tap_symbol(tuple(int(v) for v in idx), letter))
            else:
                latexes.append(value_latex(self.values[k]))
        mobs = [_tex_entry(s, font_size, color, lang) for s in latexes]
        wmax = max(m.width for m in mobs)
        hmax = max(m.height for m in mobs)
        dy = dy if dy is not None else max(hmax + 0.14, 0.36)
        self._layout(n, 1, wmax + 0.3, dy)
        anchor = self._make_anchor(n, 1, wmax + 0.3, dy)
        self.entries = VGroup()
        self._entries = {}
        for k, m in enumerate(mobs):
            m.move_to(np.array([0, ((n - 1) / 2 - k) * dy, 0]))
            m.vector_index = k
            m.value = None if self.values is None else self.values[k]
            self._entries[(k, 0)] = m
            self.entries.add(m)
        self._shown = np.array(latexes, dtype=object)
        self._bracket_h0 = n * dy
        self.brackets = brackets(n * dy, wmax + 0.3, color=palette.TEXT)
        self.add(anchor, self.entries, self.brackets)
        if max_height is None:
            max_height = config.frame_height - 2 * palette.FRAME_MARGIN - 0.6
        if self.height > max_height:
            self.scale_to_fit_height(max_height)

    def entry(self, k: int) -> Mobject:
        return self._entries[(k, 0)]

    def shown(self) -> np.ndarray:
        return self._shown.copy()

"""Grids of cells drawn from arrays, and the kernel's footprint over them.

A :class:`CellGrid` is one VGroup: squares (row-major), optional numbers and a
label. Every number it shows is the exact value of the array it was given, and
stays readable back through :attr:`CellGrid.values`, :meth:`CellGrid.number`
and :meth:`CellGrid.shown_values`, so a test can compare the screen with convmath.
"""

from __future__ import annotations

import weakref
from itertools import product as iproduct
from typing import Iterable, Sequence

import numpy as np
from manim import (UP, Animation, AnimationGroup, FadeIn, Rectangle, Square, Text,
                   VGroup, VMobject)

from .. import palette
from ..motion.moves import Slide
from ..text.tex import lighten, parse_value_text, value_text
from ..text.words import shape_label

Index = tuple[int, ...]


def _norm_index(idx, ndim: int) -> Index:
    if isinstance(idx, (int, np.integer)):
        idx = (int(idx),)
    idx = tuple(int(v) for v in idx)
    if len(idx) != ndim:
        raise IndexError(f"index {idx} has {len(idx)} axes, the grid has {ndim}")
    return idx


class _TextCache:
    """One Pango render per (text, size, colour); later requests are copies."""

    def __init__(self):
        self._store: dict[tuple, Text] = {}

    def get(self, text: str, font_size: float, color) -> Text:
        key = (text, round(float(font_size), 3), str(color))
        if key not in self._store:
            # lightened: copies of a glyph's SVG path tree are the slow part of every copy
            self._store[key] = lighten(Text(text, font=palette.FONT, font_size=font_size,
                                            color=color))
        return self._store[key].copy()


TEXT_CACHE = _TextCache()


def dashed_square(side: float, color, width: float = palette.CELL_STROKE,
                  dashes_per_side: int = 3, dash_ratio: float = 0.55) -> VMobject:
    """A dashed square outline as one VMobject (cheaper than DashedVMobject for many cells)."""
    h = side / 2
    corners = np.array([[-h, h, 0], [h, h, 0], [h, -h, 0], [-h, -h, 0], [-h, h, 0]], float)
    mob = VMobject(stroke_color=color, stroke_width=width, fill_opacity=0)
    step = 1.0 / dashes_per_side
    # centre each dash on its slot so corners are open the same way on every side
    for a, b in zip(corners[:-1], corners[1:]):
        for j in range(dashes_per_side):
            t0 = (j + (1 - dash_ratio) / 2) * step
            t1 = t0 + dash_ratio * step
            p0, p1 = a + (b - a) * t0, a + (b - a) * t1
            mob.start_new_path(p0)
            mob.add_line_to(p1)
    return mob


def cell_values(values, shape: Sequence[int] | None, who: str) -> np.ndarray:
    """The values a grid draws, as an object array; empty cells of ``shape`` without values."""
    if values is not None:
        return np.array(values, dtype=object)
    if shape is None:
        raise ValueError(f"{who} needs values or a shape")
    return np.empty(tuple(shape), dtype=object)


class CellGrid(VGroup):
    """A 1D (one row) or 2D grid of square cells drawn from an array.

    ``values``: array of ints, Fractions, floats or None (no number); or give only
    ``shape`` for an empty grid. ``cell_kind``: array of "input", "output", "kernel",
    "padding", "inserted" or "empty" per cell (default: ``role`` everywhere, or
    "empty" for an output given only by its shape: dim until filled);
    padding cells are dashed and dim, inserted zeros violet. ``show_numbers``:
    True, False or a set of kinds whose numbers are shown. ``label``: a string,
    True (automatic "Entrada 5×5" from the role and the shape) or None.
    """

    def __init__(self, values=None, *, shape: Sequence[int] | None = None, cell_kind=None,
                 role: str = "input", cell_size: float = palette.CELL_SIZE,
                 show_numbers: bool | Iterable[str] = True, label: str | bool | None = None,
                 label_side=UP, label_buff: float = 0.2, font_size: float | None = None,
                 lang: str | None = None, **kwargs):
        super().__init__(**kwargs)
        vals = cell_values(values, shape, "CellGrid")
        if values is not None and vals.ndim == 0:
            vals = vals.reshape(1)
        if vals.ndim not in (1, 2):
            raise ValueError(f"CellGrid draws 1D or 2D arrays, got {vals.ndim} axes")
        self.shape: tuple[int, ...] = vals.shape
        self.ndim = vals.ndim
        self.role = role
        self.cell_size = float(cell_size)
        self.lang = lang
        if cell_kind is None:
            # an output drawn from its shape alone is still to be computed: "empty" cells
            blank = values is None and role == "output"
            kinds = np.full(self.shape, "empty" if blank else role, dtype=object)
        else:
            kinds = np.array(cell_kind, dtype=object)
            if kinds.shape != self.shape:
                raise ValueError(f"cell_kind has shape {kinds.shape}, values {self.shape}")
        self.cell_kind = kinds
        self.values = np.empty(self.shape, dtype=object)   # what the numbers show (None: blank)
        if show_numbers is True:
            self._number_kinds = None
        elif show_numbers is False:
            self._number_kinds = frozenset()
        else:
            self._number_kinds = frozenset(show_numbers)
        self.font_size = (palette.FONT_SIZES["cell"] * self.cell_size / palette.CELL_SIZE
                          if font_size is None else font_size)

        self.cells = VGroup()
        self._cells: dict[Index, VMobject] = {}
        for idx in np.ndindex(*self.shape):
            sq = self._make_cell(kinds[idx])
            sq.move_to(self.cell_center(idx))
            self._cells[idx] = sq
            self.cells.add(sq)
        self.numbers = VGroup()
        self._numbers: dict[Index, Text] = {}
        for idx in np.ndindex(*self.shape):
            v = vals[idx]
            if v is not None and self._shows_number(kinds[idx]):
                num = self.make_number(idx, v)
                self._numbers[idx] = num
                self.values[idx] = v
                self.numbers.add(num)
        # overlays (a kernel footprint, shading) sit between the cells and their numbers
        self.overlays = VGroup()
        self.add(self.cells, self.overlays, self.numbers)

        self.label = None
        if label:
            text = self.auto_label() if label is True else str(label)
            self.label = Text(text, font=palette.FONT, font_size=palette.LABEL_SIZE,
                              color=palette.ROLE_COLORS.get(role, palette.TEXT))
            self.label.next_to(self.cells, label_side, buff=label_buff)
            self.add(self.label)

    # --- geometry -----------------------------------------------------------------------------
    def _grid_shape2(self) -> tuple[int, int]:
        return (1, self.shape[0]) if self.ndim == 1 else self.shape  # type: ignore[return-value]

    def _rc(self, idx: Index) -> tuple[int, int]:
        return (0, idx[0]) if self.ndim == 1 else (idx[0], idx[1])

    def cell_center(self, idx) -> np.ndarray:
        """Centre of cell ``idx`` (follows the grid wherever it has been moved)."""
        idx = _norm_index(idx, self.ndim)
        if getattr(self, "_cells", None) and idx in self._cells:
            return self._cells[idx].get_center()
        rows, cols = self._grid_shape2()
        r, c = self._rc(idx)
        return np.array([(c - (cols - 1) / 2) * self.cell_size,
                         ((rows - 1) / 2 - r) * self.cell_size, 0.0])

    @property
    def step(self) -> float:
        """Distance between neighbouring cell centres (after any scaling)."""
        rows, cols = self._grid_shape2()
        if cols > 1:
            a = self.cell_center((0, 0) if self.ndim == 2 else (0,))
            b = self.cell_center((0, 1) if self.ndim == 2 else (1,))
            return float(np.linalg.norm(b - a))
        if rows > 1:
            return float(np.linalg.norm(self.cell_center((1, 0)) - self.cell_center((0, 0))))
        return float(self._cells[next(iter(self._cells))].width)

    def _make_cell(self, kind: str) -> VMobject:
        color = palette.ROLE_COLORS.get(kind, palette.ROLE_COLORS.get(self.role, palette.TEXT))
        if kind == "padding":
            return dashed_square(self.cell_size, palette.PADDING)
        if kind == "empty":
            color = palette.ROLE_COLORS.get(self.role, palette.OUTPUT)
        opacity = palette.FILL_OPACITY.get(kind, 0.35)
        sq = Square(self.cell_size, stroke_color=color, stroke_width=palette.CELL_STROKE,
                    fill_color=color, fill_opacity=opacity)
        if kind == "inserted":
            sq.set_stroke(palette.INSERTED, width=palette.CELL_STROKE * 0.8, opacity=0.8)
        return sq

    def _shows_number(self, kind: str) -> bool:
        return self._number_kinds is None or kind in self._number_kinds

    # --- numbers ------------------------------------------------------------------------------
    def number_color(self, kind: str):
        if kind == "padding":
            return palette.PADDING_TEXT
        if kind == "inserted":
            return palette.INSERTED
        return palette.TEXT_ON_CELL

    def make_number(self, idx, value, color=None) -> Text:
        """A number mobject for ``value`` sized and placed on cell ``idx`` (not added)."""
        idx = _norm_index(idx, self.ndim)
        kind = self.cell_kind[idx]
        text = value_text(value)
        step = self.step if getattr(self, "_cells", None) else self.cell_size
        size = self.font_size * step / self.cell_size
        num = TEXT_CACHE.get(text, size, self.number_color(kind) if color is None else color)
        if num.width > 0.82 * step:
            num.scale_to_fit_width(0.82 * step)
        if num.height > 0.6 * step:
            num.scale_to_fit_height(0.6 * step)
        num.move_to(self.cell_center(idx))
        num.value = value          # the exact value this mobject shows
        num.cell_index = idx
        return num

    def set_number(self, idx, value) -> Text | None:
        """Show ``value`` on cell ``idx`` at once (replacing any number there); returns it."""
        idx = _norm_index(idx, self.ndim)
        old = self._numbers.pop(idx, None)
        if old is not None:
            self.numbers.remove(old)
        self.values[idx] = value
        if value is None:
            return None
        num = self.make_number(idx, value)
        self._numbers[idx] = num
        self.numbers.add(num)
        return num

    def fill_animation(self, idx, value, run_time: float = 0.5, source=None) -> Animation:
        """Animation writing ``value`` into cell ``idx`` and filling the cell with the role colour.

        The grid's :attr:`values` and :meth:`number` record the value at once (the
        state once the animation has played); the number mobject joins
        :attr:`numbers` when the animation is cleaned up. ``source``: a mobject the
        number grows out of (e.g. the sum of a products line); otherwise it fades in.
        Safe inside a ``Succession``: nothing is drawn before its turn.
        """
        from manim import FadeOut, TransformFromCopy

        idx = _norm_index(idx, self.ndim)
        old = self._numbers.pop(idx, None)
        if old is not None and old in self.numbers:
            self.numbers.remove(old)
        self.values[idx] = value
        num = None if value is None else self.make_number(idx, value)
        if num is not None:
            self._numbers[idx] = num
        cell = self._cells[idx]
        color = palette.ROLE_COLORS.get(self.role, palette.OUTPUT)
        anims = [cell.animate.set_fill(color, opacity=palette.FILL_OPACITY.get(self.role, 0.35))]
        if old is not None:
            anims.append(_late(FadeOut(old)))
        if num is not None:
            if source is not None:
                anims.append(_late(TransformFromCopy(source, num)))
            else:
                anims.append(FadeIn(num, scale=1.4))
        return _Fill(self, num, *anims, run_time=run_time, group=self)

    def cell(self, idx) -> VMobject:
        """The square (or dashed outline) of cell ``idx``."""
        return self._cells[_norm_index(idx, self.ndim)]

    def number(self, idx) -> Text | None:
        """The number mobject on cell ``idx`` (None if the cell shows no number)."""
        return self._numbers.get(_norm_index(idx, self.ndim))

    def shown_text(self) -> np.ndarray:
        """Per cell, the exact string its number mobject displays ('' for none)."""
        out = np.full(self.shape, "", dtype=object)
        for idx, num in self._numbers.items():
            out[idx] = num.original_text
        return out

    def shown_values(self) -> np.ndarray:
        """Per cell, the value parsed back from the text on screen (None for none)."""
        return np.vectorize(parse_value_text, otypes=[object])(self.shown_text())

    # --- labels and regions ---------------------------------------------------------------------
    def input_shape(self) -> tuple[int, ...]:
        """Shape of the non-padding part, counting only "input"/role cells along each axis."""
        core = np.vectorize(lambda k: k not in ("padding", "inserted"), otypes=[bool])(
            self.cell_kind)
        if not core.any():
            return self.shape
        coords = np.nonzero(core)
        return tuple(len(np.unique(c)) for c in coords)

    def auto_label(self) -> str:
        return shape_label(self.role, self.input_shape(), self.lang)

    def cells_group(self, indices: Iterable) -> VGroup:
        return VGroup(*(self.cell(i) for i in indices))

    def window_rectangle(self, start, size, color=palette.HIGHLIGHT, width: float = 4.0,
                         buff: float = 0.0) -> Rectangle:
        """A rectangle around the block of cells from ``start`` spanning ``size`` cells."""
        start = _norm_index(start, self.ndim)
        size = _norm_index(size, self.ndim)
        last = tuple(s + n - 1 for s, n in zip(start, size))
        a, b = self.cell_center(start), self.cell_center(last)
        step = self.step
        w = abs(b[0] - a[0]) + step + 2 * buff
        h = abs(b[1] - a[1]) + step + 2 * buff
        rect = Rectangle(width=w, height=h, stroke_color=color, stroke_width=width, fill_opacity=0)
        rect.move_to((a + b) / 2)
        return rect


class FadeParts(Animation):
    """Some parts of a grid on screen (padding cells and their zeros, say) fade in or out.

    The grid itself is the animation's mobject: nothing is added to the scene, nothing
    copied, the other cells stay exactly as they are. Faded out, the parts stay transparent."""

    def __init__(self, grid: VGroup, parts, fade_in: bool = True, **kwargs):
        super().__init__(grid, **kwargs)
        self.parts = list(parts)
        self.fade_in = fade_in

    def begin(self) -> None:
        from ..motion.fade import _ALPHA_ARRAYS

        self.starting_mobject = self.mobject
        self.saved = []
        for part in self.parts:
            for m in part.get_family():
                for name in _ALPHA_ARRAYS:
                    arr = getattr(m, name, None)
                    if isinstance(arr, np.ndarray) and arr.ndim == 2 and arr.shape[1] == 4:
                        self.saved.append((m, name, arr[:, 3].copy()))
        self.interpolate(0)

    def interpolate_mobject(self, alpha: float) -> None:
        a = self.rate_func(alpha)
        factor = a if self.fade_in else 1.0 - a
        for m, name, alphas in self.saved:
            arr = getattr(m, name)
            if arr.shape[0] == alphas.shape[0]:
                arr[:, 3] = alphas * factor


def _late(anim: Animation) -> Animation:
    """Mark an animation of a mobject that is not on screen yet as an introducer.

    Inside a ``Succession`` Manim adds the mobjects of non-introducer animations
    when the whole play starts; an introducer's mobject is added on its turn.
    """
    anim.introducer = True
    return anim


class _Fill(AnimationGroup):
    """A cell being filled; afterwards its number belongs to the grid's ``numbers``."""

    def __init__(self, grid: CellGrid, num, *anims, **kwargs):
        super().__init__(*anims, **kwargs)
        self.grid = grid
        self.num = num

    def clean_up_from_scene(self, scene) -> None:
        super().clean_up_from_scene(scene)
        if self.num is not None:
            scene.remove(self.num)
            if self.num not in self.grid.numbers:
                self.grid.numbers.add(self.num)


class KernelFootprint(VGroup):
    """The kernel's taps, spread by dilation, shaded over cells of a grid.

    ``window`` is the grid cell under the kernel's first tap. Cells between taps
    (dilation gaps) stay unshaded, inside a thin outline of the dilated extent.
    ``weights`` (an array of the kernel's shape, e.g. ``board.kernel_applied``) are kept in
    :attr:`weights`; they are not written inside the cells (digits small enough to fit beside
    a cell's own number cannot be read). ``tap_colors``: shade each tap in its own colour
    (:func:`scenes.kit.palette.tap_color`), so a kernel drawn with the same colours
    (:func:`scenes.kit.cells.legend.tap_kernel`) tells which weight lies on which cell.
    """

    def __init__(self, grid: CellGrid, kernel: Sequence[int], dilation: Sequence[int] | int = 1,
                 window=None, weights=None, outline: bool | None = None,
                 color=palette.FOOTPRINT, tap_colors: bool = False, **kwargs):
        super().__init__(**kwargs)
        # a weak reference: copies of the footprint (every animation makes some) share the
        # grid instead of deep-copying it
        self._grid_ref = weakref.ref(grid)
        self.kernel = tuple(int(k) for k in (kernel if not isinstance(kernel, int) else (kernel,)))
        if isinstance(dilation, (int, np.integer)):
            dilation = (int(dilation),) * len(self.kernel)
        self.dilation = tuple(int(d) for d in dilation)
        if len(self.kernel) != grid.ndim or len(self.dilation) != grid.ndim:
            raise ValueError("kernel and dilation need one entry per grid axis")
        self.taps: list[Index] = list(iproduct(*(range(k) for k in self.kernel)))
        self.extent = tuple(d * (k - 1) + 1 for k, d in zip(self.kernel, self.dilation))
        self.window: Index = (0,) * grid.ndim if window is None else _norm_index(window, grid.ndim)
        self.weights = None if weights is None else np.array(weights, dtype=object)
        if self.weights is not None and self.weights.shape != self.kernel:
            raise ValueError(f"weights have shape {self.weights.shape}, kernel {self.kernel}")
        self.tap_colors = tap_colors
        step = grid.step
        self.shades = VGroup()
        for flat, t in enumerate(self.taps):
            shade = palette.tap_color(flat) if tap_colors else color
            opacity = palette.TAP_SHADE_OPACITY if tap_colors else palette.FOOTPRINT_OPACITY
            sq = Square(step * 0.92, stroke_color=shade, stroke_width=3,
                        fill_color=shade, fill_opacity=opacity)
            sq.move_to(grid.cell_center(self.tap_cell(t)))
            sq.tap = t
            self.shades.add(sq)
        self.add(self.shades)
        self.outline = None
        if outline or (outline is None and any(d > 1 for d in self.dilation)):
            self.outline = grid.window_rectangle(self.window, self.extent, color=color, width=1.5)
            self.outline.set_stroke(opacity=0.7)
            self.add(self.outline)

    @property
    def grid(self) -> CellGrid:
        return self._grid_ref()

    def tap_cell(self, tap: Index, window=None) -> Index:
        """The grid cell under kernel tap ``tap`` when the first tap is on ``window``."""
        w = self.window if window is None else _norm_index(window, self.grid.ndim)
        return tuple(wi + ti * d for wi, ti, d in zip(w, tap, self.dilation))

    def tap_cells(self, window=None) -> list[Index]:
        return [self.tap_cell(t, window) for t in self.taps]

    def move_to_window(self, window) -> "KernelFootprint":
        """Put the first tap on grid cell ``window`` (use ``.animate.move_to_window`` to slide)."""
        window = _norm_index(window, self.grid.ndim)
        target = self.grid.cell_center(self.tap_cell(self.taps[0], window))
        self.shift(target - self.shades[0].get_center())
        self.window = window
        return self

    def slide_to(self, window, **kwargs) -> Animation:
        """Slide the first tap onto grid cell ``window``, copying nothing (see :mod:`.motion`)."""
        window = _norm_index(window, self.grid.ndim)

        def offset():
            return self.grid.cell_center(self.tap_cell(self.taps[0], window)) - \
                self.shades[0].get_center()

        def arrived():
            self.window = window

        return Slide(self, offset, on_finish=arrived, **kwargs)

"""Legends: cell kinds (a sample cell drawn as the grids draw it, and its meaning), and the
kernel's weights as the key of the tap colours (:class:`WeightKey`).

``CellLegend([("inserted", "ceros insertados: 1"), ("padding", "padding: 1")])`` stacks one
row per entry; the sample is a one-cell :class:`~scenes.kit.cells.grid.CellGrid` of that kind, so
colours and dashes match the grids on screen. The texts come from the caller (numbers from
convmath). ``sample_value``: a number written in the samples (e.g. 0 for zeros).
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Square, Text, VGroup

from .. import palette
from ..text.tex import math_tex
from .grid import CellGrid


class CellLegend(VGroup):
    """Rows of (sample cell, text). Parts: :attr:`rows`, :attr:`texts`, :attr:`samples`."""

    def __init__(self, entries, *, cell_size: float = 0.4, font_size: float = palette.CAPTION_SIZE,
                 sample_value=None, buff: float = 0.22, **kwargs):
        super().__init__(**kwargs)
        self.rows = VGroup()
        self.texts = []
        self.samples = []
        for kind, text in entries:
            values = None if sample_value is None else np.array([sample_value], dtype=object)
            if values is None:
                sample = CellGrid(shape=(1,), cell_kind=np.array([kind], dtype=object),
                                  role="input" if kind not in ("output", "kernel") else kind,
                                  cell_size=cell_size)
            else:
                sample = CellGrid(values, cell_kind=np.array([kind], dtype=object),
                                  role="input" if kind not in ("output", "kernel") else kind,
                                  cell_size=cell_size)
            color = palette.ROLE_COLORS.get(kind, palette.TEXT)
            if kind == "padding":
                color = palette.TEXT_DIM
            label = Text(text, font=palette.FONT, font_size=font_size, color=color)
            row = VGroup(sample, label).arrange(RIGHT, buff=0.2)
            self.rows.add(row)
            self.texts.append(label)
            self.samples.append(sample)
        self.rows.arrange(DOWN, buff=buff, aligned_edge=LEFT)
        self.add(self.rows)


# --- the kernel's weights as the key of the tap colours ------------------------------------------

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _one_based(tap) -> list[int]:
    tap = (tap,) if isinstance(tap, (int, np.integer)) else tuple(tap)
    return [int(t) + 1 for t in tap]


def weight_index(tap) -> str:
    """The subscript of kernel weight ``tap`` (0-based index) numbered from 1, as a person
    counts: ``1`` in 1D, ``12`` (row 1, column 2) in 2D; with a comma once a number has two
    digits (``1,10``)."""
    nums = _one_based(tap)
    sep = "," if any(n > 9 for n in nums) else ""
    return sep.join(str(n) for n in nums)


def weight_name(tap) -> str:
    """``w₁``, ``w₂``… (``w₁₂`` in 2D): kernel weight ``tap`` as plain text with subscripts."""
    return "w" + weight_index(tap).translate(_SUBSCRIPTS)


def weight_latex(tap) -> str:
    """``w_{1}``, ``w_{12}``: kernel weight ``tap`` in LaTeX."""
    return f"w_{{{weight_index(tap)}}}"


class WeightKey(VGroup):
    """The kernel drawn as the key of the tap colours: the cell of each weight outlined and
    lightly filled in its tap's colour (:func:`scenes.kit.palette.tap_color`, the colour of its
    connectivity lines), with its name ``w₁``, ``w₂``… inside (numbered from 1; ``w₁₁``… in 2D)
    and an optional title above. ``order``: the flat taps in drawing order (row-major places),
    e.g. reversed for the kernel turned around. Parts: :attr:`cells` and :attr:`names` (in
    drawing order), :attr:`title`; :attr:`latex` holds the names as written."""

    def __init__(self, shape, *, cell_size: float = 0.9, font_size: float = 40,
                 title: str | None = None, title_size: float = palette.LABEL_SIZE,
                 fill_opacity: float = 0.3, order=None, **kwargs):
        super().__init__(**kwargs)
        shape = (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(n) for n in shape)
        if len(shape) not in (1, 2):
            raise ValueError(f"a weight key draws 1D or 2D kernels, got shape {shape}")
        rows, cols = (1, shape[0]) if len(shape) == 1 else shape
        self.shape = shape
        self.cells = VGroup()
        self.names = VGroup()
        self.latex: list[str] = []
        taps = list(np.ndindex(*shape))
        self.order = list(range(len(taps))) if order is None else [int(t) for t in order]
        if sorted(self.order) != list(range(len(taps))):
            raise ValueError(f"order must list the {len(taps)} taps once each, got {order}")
        for place, flat in enumerate(self.order):
            tap = taps[flat]
            r, c = (0, place) if len(shape) == 1 else divmod(place, shape[1])
            color = palette.tap_color(flat)
            cell = Square(cell_size, stroke_color=color, stroke_width=4, fill_color=color,
                          fill_opacity=fill_opacity)
            cell.move_to(np.array([(c - (cols - 1) / 2) * cell_size,
                                   ((rows - 1) / 2 - r) * cell_size, 0.0]))
            latex = weight_latex(tap)
            name = math_tex(latex, font_size=font_size, color=palette.TEXT)
            if name.width > 0.86 * cell_size:
                name.scale_to_fit_width(0.86 * cell_size)
            name.move_to(cell)
            name.tap = tap
            self.cells.add(cell)
            self.names.add(name)
            self.latex.append(latex)
        self.add(self.cells, self.names)
        self.title = None
        if title:
            self.title = Text(title, font=palette.FONT, font_size=title_size,
                              color=palette.ROLE_COLORS["kernel"])
            self.title.next_to(self.cells, UP, buff=0.2)
            self.add(self.title)

    def entry(self, flat_tap: int) -> VGroup:
        """The cell and name of one weight (by its flat tap number)."""
        place = self.order.index(flat_tap)
        return VGroup(self.cells[place], self.names[place])

    def value_marks(self, w, font_size: float = 30) -> VGroup:
        """The weights' values ``w`` (the kernel as an array), each under its cell; a mark keeps
        its ``value`` and ``tap``."""
        from ..text.tex import value_text

        flat = np.asarray(w, dtype=object).reshape(-1)
        marks = VGroup()
        for place, tap in enumerate(self.order):
            t = Text(value_text(flat[tap]), font=palette.FONT, font_size=font_size,
                     color=palette.TEXT)
            t.next_to(self.cells[place], DOWN, buff=0.12)
            t.value, t.tap = flat[tap], tap
            marks.add(t)
        return marks


# ---------- The kernel drawn as the key of the tap colours: each weight's cell in its tap's colour.
#
# Connectivity lines and matrix entries are coloured by kernel tap
# (:func:`scenes.kit.palette.tap_color`); :func:`tap_kernel` draws the kernel with the
# same colours so the viewer can read which weight each colour is.

def tap_kernel(w, *, cell_size: float = palette.CELL_SIZE, label: str | bool | None = None,
               lang=None, opacity: float = palette.TAP_SHADE_OPACITY, **kwargs) -> CellGrid:
    """A kernel grid (1D or 2D) whose cell of flat tap ``t`` is filled with ``tap_color(t)``."""
    grid = CellGrid(np.asarray(w, dtype=object), role="kernel", cell_size=cell_size,
                    label=label, lang=lang, **kwargs)
    for flat, idx in enumerate(np.ndindex(*grid.shape)):
        color = palette.tap_color(flat)
        grid.cell(idx).set_fill(color, opacity=opacity).set_stroke(color,
                                                                  width=palette.CELL_STROKE)
    return grid

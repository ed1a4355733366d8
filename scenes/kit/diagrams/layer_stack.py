"""A stack of 1D convolution layers drawn as rows, for receptive fields.

``LayerStack(n_input, layers)`` draws the input (bottom row) and the output of each layer
above it. Each layer is a :func:`convmath.spec` on the previous row's size; every cell sits
over the centre of its receptive field in the input (from :func:`convmath.receptive_field`),
so fields line up vertically, and the faint lines between rows are :func:`convmath.links` of
each layer. :meth:`LayerStack.cone` follows one cell down through :func:`convmath.reads`;
:meth:`LayerStack.cone_marks` draws that cone, level by level. Padding is not drawn (links to
padding do not exist), so the rows are meant for layers without padding.
"""

from __future__ import annotations

import numpy as np
from manim import RIGHT, Line, Square, Text, VGroup

import convmath as cm
from convmath.receptive import Layer
from .. import palette
from ..cells.grid import CellGrid


def as_layer(item) -> Layer:
    """A convmath Layer from a Layer, a dict or a (k, s, p, d) tuple."""
    if isinstance(item, Layer):
        return item
    if isinstance(item, dict):
        return Layer(**item)
    return Layer(*item)


class LayerStack(VGroup):
    """Rows of a 1D network: input at the bottom, one row per layer above.

    ``row_labels``: one string per row (input first), written left of the rows.
    Parts: :attr:`rows` (CellGrids, input first), :attr:`lines` (one VGroup per layer, a
    line per convmath link with ``line.link``), :attr:`specs`, :attr:`fields`,
    :attr:`labels`.
    """

    def __init__(self, n_input: int, layers, *, cell_size: float = 0.5, row_gap: float = 1.1,
                 row_labels=None, label_size: float = palette.CAPTION_SIZE,
                 line_width: float = 1.6, **kwargs):
        super().__init__(**kwargs)
        self.layers = [as_layer(item) for item in layers]
        self.specs: list[cm.ConvSpec] = []
        n = int(n_input)
        for layer in self.layers:
            sp = cm.spec(n, layer.kernel, layer.stride, layer.padding, layer.dilation)
            self.specs.append(sp)
            n = sp.output[0]
        self.fields = cm.receptive_field(self.layers)
        self.sizes = [int(n_input)] + [sp.output[0] for sp in self.specs]
        self.cell_size = cell_size
        self.rows: list[CellGrid] = []
        for level, size in enumerate(self.sizes):
            role = "input" if level == 0 else "output"
            row = CellGrid(shape=(size,), role=role, cell_size=cell_size,
                           cell_kind=np.full(size, role, dtype=object), show_numbers=False)
            y = level * (cell_size + row_gap)
            for m in range(size):
                sq = row.cell((m,))
                sq.move_to(np.array([self.center_of(level, m) * cell_size, y, 0.0]))
            self.rows.append(row)
        self.lines: list[VGroup] = []
        for level, sp in enumerate(self.specs, start=1):
            group = VGroup()
            lower, upper = self.rows[level - 1], self.rows[level]
            for link in cm.links(sp):
                a = lower.cell(link.col).get_top()
                b = upper.cell(link.row).get_bottom()
                line = Line(a, b, stroke_width=line_width, color=palette.MUTED)
                line.link = link
                group.add(line)
            self.lines.append(group)
        self.add(*self.lines, *self.rows)
        self.labels = VGroup()
        if row_labels is not None:
            if len(row_labels) != len(self.rows):
                raise ValueError(f"{len(row_labels)} labels for {len(self.rows)} rows")
            left = min(r.get_left()[0] for r in self.rows)
            for row, text in zip(self.rows, row_labels):
                lab = Text(text, font=palette.FONT, font_size=label_size,
                           color=palette.ROLE_COLORS[row.role])
                lab.move_to(np.array([left - 0.3, row.get_center()[1], 0.0]), aligned_edge=RIGHT)
                self.labels.add(lab)
            self.add(self.labels)

    # --- facts --------------------------------------------------------------------------------
    def center_of(self, level: int, m: int) -> float:
        """Centre, in input cells, of the receptive field of cell ``m`` of row ``level``."""
        if level == 0:
            return float(m)
        f = self.fields[level - 1]
        return float(f.start + m * f.jump)

    def cone(self, level: int, cell: int) -> dict[int, list[int]]:
        """Cells of each lower row that cell ``cell`` of row ``level`` reads (convmath.reads)."""
        out = {level: [int(cell)]}
        current = {int(cell)}
        for lv in range(level, 0, -1):
            reads = cm.reads(self.specs[lv - 1])
            below = set()
            for m in current:
                below.update(c[0] for c, _ in reads[(m,)])
            out[lv - 1] = sorted(below)
            current = below
        return out

    def cone_links(self, level: int, cell: int) -> dict[int, list]:
        """Lines of each layer used by the cone of (``level``, ``cell``), keyed by layer."""
        cone = self.cone(level, cell)
        out = {}
        for lv in range(level, 0, -1):
            keep = set(cone[lv])
            out[lv] = [ln for ln in self.lines[lv - 1] if ln.link.row[0] in keep]
        return out

    # --- drawing ------------------------------------------------------------------------------
    def cone_marks(self, level: int, cell: int, color=palette.HIGHLIGHT) -> list[VGroup]:
        """The cone of (``level``, ``cell``) as one VGroup per row, top row first: the cells
        outlined and filled, and the links into them (coloured by kernel tap)."""
        cone = self.cone(level, cell)
        links = self.cone_links(level, cell)
        step = self.cell_size
        groups = []
        for lv in range(level, -1, -1):
            g = VGroup()
            if lv < level:
                for ln in links[lv + 1]:
                    c = ln.copy()
                    tap = int(np.ravel_multi_index(ln.link.tap, self.specs[lv].kernel))
                    c.set_stroke(palette.tap_color(tap), width=3, opacity=1)
                    g.add(c)
            for m in cone[lv]:
                sq = Square(step * 0.9, stroke_color=color, stroke_width=4, fill_color=color,
                            fill_opacity=0.35)
                sq.move_to(self.rows[lv].cell((m,)))
                g.add(sq)
            g.cells = list(cone[lv])
            g.level = lv
            groups.append(g)
        return groups

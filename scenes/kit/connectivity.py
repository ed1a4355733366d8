"""Connectivity diagrams: which input cells each output cell reads (convmath.links).

1D: a row of input cells under a row of output cells, one line per convmath link,
coloured by kernel tap, so the shared weights show as parallel lines of the same
colour. Highlight the links of one output cell, or of one input cell (the
reversed view, which is the transposed convolution's). ``reverse=True`` points
the arrows from output to input (the transposed convolution reuses the links).
2D: input grid and output grid side by side, with the lines of one chosen cell.
"""

from __future__ import annotations

import numpy as np
from manim import (DOWN, RIGHT, UP, Animation, AnimationGroup, Arrow, Dot, Line, Text, VGroup)

import convmath
from . import palette
from .grid import CellGrid
from .words import shape_label


def _op_ends(sp, link) -> tuple[tuple, tuple]:
    """(input cell of the operation, output cell of the operation) of a convmath Link."""
    if sp.transposed:
        return link.row, link.col
    return link.col, link.row


def _move_cell(grid: CellGrid, idx, center) -> None:
    """Move one cell of a grid (and its number) to ``center``."""
    shift = center - grid.cell(idx).get_center()
    grid.cell(idx).shift(shift)
    num = grid.number(idx)
    if num is not None:
        num.shift(shift)


def _flat_tap(sp, tap) -> int:
    return int(np.ravel_multi_index(tap, sp.kernel))


class ConnectivityDiagram(VGroup):
    """1D connectivity of a ConvSpec (convolution or transposed convolution).

    Bottom row: the operation's input; top row: its output. The row of the
    forward convolution's output (a convolution's output, a transposed one's
    input) is spread out: each of its cells sits over the centre of the window it
    reads, so with stride s the cells are s apart and every tap's lines are
    parallel (the shared weights). ``show_padding`` draws the forward
    convolution's padding dashed at both ends of the long row (no links: padding is
    not input; for a transposed convolution these are the cropped cells).
    ``reverse`` points the arrows from the top row to the bottom row.
    ``input_values`` / ``output_values`` optionally write the operation's numbers.
    Readback: :attr:`links` (convmath.links, same order as :attr:`lines`).
    """

    def __init__(self, sp, *, reverse: bool = False, show_padding: bool = True,
                 cell_size: float = 0.55, gap: float = 2.6, arrows: bool = True,
                 input_values=None, output_values=None, labels: bool = True, lang=None,
                 stroke_width: float = 3.0, **kwargs):
        super().__init__(**kwargs)
        if sp.ndim != 1:
            raise ValueError("ConnectivityDiagram draws 1D convolutions; use "
                             "ConnectivityDiagram2D for 2D")
        self.spec = sp
        self.reverse = reverse
        self.links = convmath.links(sp)
        fwd = sp.forward()
        n_long, n_short = fwd.input[0], fwd.output[0]
        pb, pa = fwd.padding[0]
        k, s, d = fwd.kernel[0], fwd.stride[0], fwd.dilation[0]
        n_padded = n_long + pb + pa
        self.pad_before = pb if show_padding else 0
        # the long row (forward input), padding included when shown
        long_vals = np.empty(n_long + (pb + pa if show_padding else 0), dtype=object)
        kinds = np.full(long_vals.shape, "input" if not sp.transposed else "output", dtype=object)
        if show_padding:
            kinds[:pb] = "padding"
            kinds[pb + n_long:] = "padding"
        long_role = "output" if sp.transposed else "input"
        short_role = "input" if sp.transposed else "output"
        long_given = output_values if sp.transposed else input_values
        short_given = input_values if sp.transposed else output_values
        if long_given is not None:
            long_vals[self.pad_before:self.pad_before + n_long] = \
                np.asarray(long_given, dtype=object).reshape(-1)
        long_side = UP if sp.transposed else DOWN
        short_side = DOWN if sp.transposed else UP
        long_row = CellGrid(long_vals, cell_kind=kinds, role=long_role, cell_size=cell_size,
                            lang=lang)
        short_vals = (np.empty(n_short, dtype=object) if short_given is None
                      else np.asarray(short_given, dtype=object).reshape(-1))
        short_row = CellGrid(short_vals, role=short_role, cell_size=cell_size, lang=lang,
                             cell_kind=np.full(n_short, short_role, dtype=object))
        # x of a padded position j of the long row (the padded row centred on 0)
        def x_of(j):
            return (j - (n_padded - 1) / 2) * cell_size
        for j in range(long_row.shape[0]):
            pj = j + (0 if show_padding else pb)
            _move_cell(long_row, (j,), np.array([x_of(pj), 0, 0]))
        for o in range(n_short):
            _move_cell(short_row, (o,), np.array([x_of(o * s + d * (k - 1) / 2), 0, 0]))
        y_long = -gap / 2 if not sp.transposed else gap / 2
        long_row.shift(UP * y_long)
        short_row.shift(UP * -y_long)
        if labels:
            for row, role, side, n in ((long_row, long_role, long_side, n_long),
                                       (short_row, short_role, short_side, n_short)):
                row.label = Text(shape_label(role, (n,), lang), font=palette.FONT,
                                 font_size=palette.LABEL_SIZE, color=palette.ROLE_COLORS[role])
                row.label.next_to(row.cells, side, buff=0.2)
                row.add(row.label)
        self.input_row, self.output_row = ((short_row, long_row) if sp.transposed
                                           else (long_row, short_row))
        self.long_row, self.short_row = long_row, short_row
        self.lines = VGroup()
        self._by_input: dict[tuple, list[int]] = {}
        self._by_output: dict[tuple, list[int]] = {}
        spread = 0.22 * cell_size
        for n, link in enumerate(self.links):
            i, o = _op_ends(sp, link)
            t = link.tap[0]
            off = (t - (k - 1) / 2) * spread
            a_cell, b_cell = self.input_cell(i), self.output_cell(o)
            # the forward output's end spreads by +tap, the forward input's end by −tap,
            # so lines do not cross at the cells
            a_off = off if sp.transposed else -off
            b_off = -off if sp.transposed else off
            a_edge = a_cell.get_top() if a_cell.get_center()[1] < b_cell.get_center()[1] \
                else a_cell.get_bottom()
            b_edge = b_cell.get_bottom() if a_cell.get_center()[1] < b_cell.get_center()[1] \
                else b_cell.get_top()
            a = a_edge + RIGHT * a_off
            b = b_edge + RIGHT * b_off
            start, end = (b, a) if reverse else (a, b)
            color = palette.tap_color(_flat_tap(sp, link.tap))
            if arrows:
                line = Arrow(start, end, buff=0.03, stroke_width=stroke_width, color=color,
                             max_tip_length_to_length_ratio=0.1, tip_length=0.14)
            else:
                line = Line(start, end, stroke_width=stroke_width, color=color)
            line.link = link
            line.tap_flat = _flat_tap(sp, link.tap)
            self.lines.add(line)
            self._by_input.setdefault(i, []).append(n)
            self._by_output.setdefault(o, []).append(n)
        self.add(self.lines, self.input_row, self.output_row)

    def _long_cell(self, j):
        j = (j,) if isinstance(j, (int, np.integer)) else tuple(j)
        return self.long_row.cell((j[0] + self.pad_before,))

    def input_cell(self, i):
        """The square of the operation's input cell ``i``."""
        if self.spec.transposed:
            return self.short_row.cell(i)
        return self._long_cell(i)

    def output_cell(self, o):
        """The square of the operation's output cell ``o``."""
        if self.spec.transposed:
            return self._long_cell(o)
        return self.short_row.cell(o)

    def lines_of_output(self, o) -> VGroup:
        o = (o,) if isinstance(o, (int, np.integer)) else tuple(o)
        return VGroup(*(self.lines[k] for k in self._by_output.get(o, [])))

    def lines_of_input(self, i) -> VGroup:
        i = (i,) if isinstance(i, (int, np.integer)) else tuple(i)
        return VGroup(*(self.lines[k] for k in self._by_input.get(i, [])))

    def highlight(self, chosen: VGroup, cells=(), run_time: float = 0.8,
                  dim: float = 0.12) -> Animation:
        """Dim every line except ``chosen``; outline ``cells`` in the highlight colour."""
        keep = set(id(m) for m in chosen)
        anims = []
        for line in self.lines:
            anims.append(line.animate.set_opacity(1.0 if id(line) in keep else dim))
        for cell in cells:
            anims.append(cell.animate.set_stroke(palette.HIGHLIGHT, width=5))
        return AnimationGroup(*anims, run_time=run_time, group=self)

    def highlight_output(self, o, run_time: float = 0.8) -> Animation:
        """Show only the links of output cell ``o`` (what it reads)."""
        return self.highlight(self.lines_of_output(o), [self.output_cell(o)], run_time)

    def highlight_input(self, i, run_time: float = 0.8) -> Animation:
        """Show only the links of input cell ``i`` (what it feeds: the reversed view)."""
        return self.highlight(self.lines_of_input(i), [self.input_cell(i)], run_time)

    def reset(self, run_time: float = 0.6) -> Animation:
        """All lines back to full opacity, cell outlines back to their role colours."""
        anims = [line.animate.set_opacity(1.0) for line in self.lines]
        for row, role in ((self.input_row, "input"), (self.output_row, "output")):
            for idx in np.ndindex(*row.shape):
                kind = row.cell_kind[idx]
                if kind == "padding":
                    continue
                anims.append(row.cell(idx).animate.set_stroke(
                    palette.ROLE_COLORS[role], width=palette.CELL_STROKE))
        return AnimationGroup(*anims, run_time=run_time, group=self)


class ConnectivityDiagram2D(VGroup):
    """Input grid (with dashed padding) beside the output grid; lines of one chosen cell.

    ``of="output"``: the lines from the input cells that output cell ``cell`` reads;
    ``of="input"``: the lines to the output cells input cell ``cell`` feeds.
    :meth:`lines_for` builds the lines of any cell, :meth:`show` animates a change.
    Readback: :attr:`chosen_links` (convmath links of the lines drawn).
    """

    def __init__(self, sp, cell=None, *, of: str = "output", cell_size: float = 0.5,
                 gap: float = 2.2, show_padding: bool = True, input_values=None, lang=None,
                 labels: bool = True, **kwargs):
        super().__init__(**kwargs)
        if sp.ndim != 2:
            raise ValueError("ConnectivityDiagram2D draws 2D convolutions")
        self.spec = sp
        self.links = convmath.links(sp)
        pads = sp.padding if (show_padding and not sp.transposed) else ((0, 0), (0, 0))
        self.pads = pads
        shape_in = tuple(n + b + a for n, (b, a) in zip(sp.input, pads))
        kinds = np.full(shape_in, "padding", dtype=object)
        core = tuple(slice(b, b + n) for n, (b, _) in zip(sp.input, pads))
        kinds[core] = "input"
        vals = np.empty(shape_in, dtype=object)
        if input_values is not None:
            vals[core] = np.asarray(input_values, dtype=object)
        self.input_grid = CellGrid(vals, cell_kind=kinds, role="input", cell_size=cell_size,
                                   label=shape_label("input", sp.input, lang) if labels else None,
                                   lang=lang)
        self.output_grid = CellGrid(shape=sp.output, role="output", cell_size=cell_size,
                                    cell_kind=np.full(sp.output, "output", dtype=object),
                                    label=shape_label("output", sp.output, lang) if labels
                                    else None, lang=lang)
        self.output_grid.next_to(self.input_grid, RIGHT, buff=gap)
        self.output_grid.shift(UP * (self.input_grid.cells.get_center()[1]
                                     - self.output_grid.cells.get_center()[1]))
        VGroup(self.input_grid, self.output_grid).move_to(np.zeros(3))
        self.add(self.input_grid, self.output_grid)
        self.lines = VGroup()
        self.marks = VGroup()
        self.chosen_links: list = []
        self.of = of
        self.chosen = None
        self.add(self.lines, self.marks)
        if cell is not None:
            lines, marks, chosen = self.lines_for(cell, of)
            self.lines.add(*lines)
            self.marks.add(*marks)
            self.chosen_links = chosen
            self.chosen = tuple(cell)

    def input_cell(self, i):
        return self.input_grid.cell(tuple(v + b for v, (b, _) in zip(i, self.pads)))

    def output_cell(self, o):
        return self.output_grid.cell(o)

    def lines_for(self, cell, of: str = "output"):
        """(lines, marks, links) of one cell: of="output" what it reads, of="input" what
        it feeds. ``marks``: outlines of the cells at both ends and dots where lines start."""
        cell = tuple(cell)
        lines, marks, chosen = VGroup(), VGroup(), []
        for link in self.links:
            i, o = _op_ends(self.spec, link)
            if (of == "output" and o == cell) or (of == "input" and i == cell):
                a = self.input_cell(i).get_center()
                b = self.output_cell(o).get_center()
                color = palette.tap_color(_flat_tap(self.spec, link.tap))
                line = Line(a, b, stroke_width=2.5, color=color)
                line.link = link
                lines.add(line)
                other = self.input_cell(i) if of == "output" else self.output_cell(o)
                outline = other.copy().set_fill(opacity=0).set_stroke(color, width=4)
                marks.add(outline, Dot(a if of == "output" else b, radius=0.05, color=color))
                chosen.append(link)
        me = self.output_cell(cell) if of == "output" else self.input_cell(cell)
        marks.add(me.copy().set_fill(opacity=0).set_stroke(palette.HIGHLIGHT, width=5))
        return lines, marks, chosen

    def show(self, cell, of: str | None = None, run_time: float = 0.8) -> Animation:
        """Animate the lines over to another chosen cell."""
        from manim import Create, FadeIn, FadeOut

        of = of or self.of
        lines, marks, chosen = self.lines_for(cell, of)
        old = [*self.lines, *self.marks]
        anims = [FadeOut(m) for m in old]
        self.remove(self.lines, self.marks)
        self.lines, self.marks = lines, marks
        self.add(lines, marks)
        self.chosen_links = chosen
        self.of, self.chosen = of, tuple(cell)
        anims.append(Create(lines, lag_ratio=0.05))
        anims.append(FadeIn(marks))
        for a in anims:
            a.introducer = False      # the diagram (in the scene) holds them all
        return AnimationGroup(*anims, run_time=run_time, group=self)

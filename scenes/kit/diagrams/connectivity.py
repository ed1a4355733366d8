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
from .. import palette
from ..cells.grid import CellGrid
from ..motion.delegate import Delegating
from ..text.words import shape_label


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


ARROW_BEND = 0.3      # radians: the arc of a 2D diagram's arrows


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
    ``label_x``: the rows' labels at their left, right-aligned at this x (in the diagram's own
    coordinates, its padded long row centred on 0), instead of above and below.
    Readback: :attr:`links` (convmath.links, same order as :attr:`lines`).
    """

    def __init__(self, sp, *, reverse: bool = False, show_padding: bool = True,
                 cell_size: float = 0.55, gap: float = 2.6, arrows: bool = True,
                 input_values=None, output_values=None, labels: bool = True, lang=None,
                 stroke_width: float = 3.0, tip_length: float = 0.14,
                 label_x: float | None = None, **kwargs):
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
                if label_x is None:
                    row.label.next_to(row.cells, side, buff=0.2)
                else:    # at the left of the rows, right edges lined up at label_x
                    row.label.move_to(np.array([label_x - row.label.width / 2,
                                                row.cells.get_center()[1], 0.0]))
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
                             max_tip_length_to_length_ratio=0.1, tip_length=tip_length)
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

    def line_between(self, i, o):
        """The arrow from the operation's input cell ``i`` to its output cell ``o``."""
        i = (i,) if isinstance(i, (int, np.integer)) else tuple(i)
        for line in self.lines_of_output(o):
            if _op_ends(self.spec, line.link)[0] == i:
                return line
        raise KeyError(f"no link from input {i} to output {o}")

    def lines_of_tap(self, flat_tap: int) -> VGroup:
        """The lines of one kernel weight (flat tap number): the weight shared by every window."""
        return VGroup(*(line for line in self.lines if line.tap_flat == flat_tap))

    def cells_read_by(self, o) -> list:
        """The squares of the input cells output cell ``o`` reads (in link order)."""
        return [self.input_cell(_op_ends(self.spec, line.link)[0]) for line in self.lines_of_output(o)]

    def cells_fed_by(self, i) -> list:
        """The squares of the output cells input cell ``i`` feeds (in link order)."""
        return [self.output_cell(_op_ends(self.spec, line.link)[1]) for line in self.lines_of_input(i)]

    def outline(self, cells, color=palette.HIGHLIGHT, run_time: float = 0.6) -> Animation:
        """Outline ``cells`` (squares of this diagram) in ``color``; :meth:`reset` undoes it."""
        anims = [cell.animate.set_stroke(color, width=5) for cell in cells]
        return AnimationGroup(*anims, run_time=run_time, group=self)

    def _strokes(self, marked=()) -> list[Animation]:
        """Cells in ``marked`` outlined in the highlight colour, every other cell in its role's
        colour again (padding cells keep their dashes)."""
        marked = {id(c) for c in marked}
        anims = []
        for row, role in ((self.input_row, "input"), (self.output_row, "output")):
            for idx in np.ndindex(*row.shape):
                if row.cell_kind[idx] == "padding":
                    continue
                cell = row.cell(idx)
                if id(cell) in marked:
                    anims.append(cell.animate.set_stroke(palette.HIGHLIGHT, width=5))
                else:
                    anims.append(cell.animate.set_stroke(palette.ROLE_COLORS[role],
                                                         width=palette.CELL_STROKE))
        return anims

    def highlight(self, chosen: VGroup, cells=(), run_time: float = 0.8,
                  dim: float = 0.12) -> Animation:
        """Dim every line except ``chosen``; outline ``cells`` in the highlight colour (and
        only them: an earlier highlight's outlines go)."""
        keep = set(id(m) for m in chosen)
        anims = [line.animate.set_opacity(1.0 if id(line) in keep else dim)
                 for line in self.lines]
        anims += self._strokes(cells)
        return AnimationGroup(*anims, run_time=run_time, group=self)

    def highlight_output(self, o, run_time: float = 0.8, reads: bool = False) -> Animation:
        """Show only the links of output cell ``o`` (what it reads); ``reads``: outline the
        input cells it reads too."""
        cells = [self.output_cell(o)] + (self.cells_read_by(o) if reads else [])
        return self.highlight(self.lines_of_output(o), cells, run_time)

    def highlight_input(self, i, run_time: float = 0.8, feeds: bool = False) -> Animation:
        """Show only the links of input cell ``i`` (what it feeds: the reversed view);
        ``feeds``: outline the output cells it feeds too."""
        cells = [self.input_cell(i)] + (self.cells_fed_by(i) if feeds else [])
        return self.highlight(self.lines_of_input(i), cells, run_time)

    def highlight_tap(self, flat_tap: int, run_time: float = 0.8) -> Animation:
        """Show only the lines of one kernel weight (in every window)."""
        return self.highlight(self.lines_of_tap(flat_tap), [], run_time)

    def reset(self, run_time: float = 0.6) -> Animation:
        """All lines back to full opacity, cell outlines back to their role colours."""
        anims = [line.animate.set_opacity(1.0) for line in self.lines]
        anims += self._strokes()
        return AnimationGroup(*anims, run_time=run_time, group=self)


class ConnectivityDiagram2D(VGroup):
    """Input grid (with dashed padding) beside the output grid; lines of one chosen cell.

    ``of="output"``: the lines from the input cells that output cell ``cell`` reads;
    ``of="input"``: the lines to the output cells input cell ``cell`` feeds.
    :meth:`lines_for` builds the lines of any cell, :meth:`show` animates a change.
    ``arrows``: slightly bent arrows from input to output instead of plain lines; the arrows of
    the chosen cell meet it at their tap's place inside it (a 3×3 kernel's nine arrows land on a
    3×3 pattern; an input's arrows leave it on the side of the output they go to), so they do
    not pile up, and :meth:`reverse` turns them all around (the transposed convolution's
    direction).
    Readback: :attr:`chosen_links` (convmath links of the lines drawn), :attr:`reversed`.
    """

    def __init__(self, sp, cell=None, *, of: str = "output", cell_size: float = 0.5,
                 gap: float = 2.2, show_padding: bool = True, input_values=None, lang=None,
                 labels: bool = True, arrows: bool = False, stroke_width: float = 2.5,
                 **kwargs):
        super().__init__(**kwargs)
        if sp.ndim != 2:
            raise ValueError("ConnectivityDiagram2D draws 2D convolutions")
        self.spec = sp
        self.links = convmath.links(sp)
        self.arrows = arrows
        self.stroke_width = stroke_width
        self.reversed = False
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

    def _tap_offset(self, tap, cell) -> np.ndarray:
        """Where tap ``tap`` sits inside a cell (the kernel's layout, shrunk into the cell)."""
        kr, kc = self.spec.kernel
        step = cell.width / max(kr, kc, 2) * 0.8
        return np.array([(tap[1] - (kc - 1) / 2) * step, -(tap[0] - (kr - 1) / 2) * step, 0.0])

    def _link_line(self, a, b, color, reverse: bool = False):
        start, end = (b, a) if reverse else (a, b)
        if self.arrows:
            # a slight bend, the same angle for all: arrows along one row of cells (which
            # would lie on top of each other) bend by different amounts and stay apart
            line = Arrow(start, end, buff=0.0, stroke_width=self.stroke_width, color=color,
                         tip_length=0.16, max_tip_length_to_length_ratio=0.08,
                         max_stroke_width_to_length_ratio=10,
                         path_arc=-ARROW_BEND if reverse else ARROW_BEND)
        else:
            line = Line(start, end, stroke_width=self.stroke_width, color=color)
        return line

    def lines_for(self, cell, of: str = "output", lines: bool = True):
        """(lines, marks, links) of one cell: of="output" what it reads, of="input" what
        it feeds. ``marks``: outlines of the cells at both ends and dots where lines start.
        ``lines=False``: only the chosen cell's outline (no lines, no links)."""
        cell = tuple(cell)
        drawn, marks, chosen = VGroup(), VGroup(), []
        me = self.output_cell(cell) if of == "output" else self.input_cell(cell)
        for link in (self.links if lines else []):
            i, o = _op_ends(self.spec, link)
            if (of == "output" and o == cell) or (of == "input" and i == cell):
                a = self.input_cell(i).get_center()
                b = self.output_cell(o).get_center()
                if self.arrows:
                    # reads: each arrow lands at its tap's place inside the output cell;
                    # feeds: each leaves the input cell on the side of the output it goes to
                    # (the tap's place mirrored)
                    if of == "output":
                        b = b + self._tap_offset(link.tap, me)
                    else:
                        a = a - self._tap_offset(link.tap, me)
                color = palette.tap_color(_flat_tap(self.spec, link.tap))
                line = self._link_line(a, b, color)
                line.link = link
                line.ends = (a, b)
                drawn.add(line)
                other = self.input_cell(i) if of == "output" else self.output_cell(o)
                outline = other.copy().set_fill(opacity=0).set_stroke(color, width=4)
                marks.add(outline, Dot(a, radius=0.05, color=color))
                chosen.append(link)
        marks.add(me.copy().set_fill(opacity=0).set_stroke(palette.HIGHLIGHT, width=5))
        return drawn, marks, chosen

    def show(self, cell, of: str | None = None, run_time: float = 0.8,
             lines: bool = True) -> Animation:
        """Animate the lines over to another chosen cell (``lines=False``: only its outline).

        Nothing changes on screen until the animation starts (a narrated scene may build it
        and then wait for the word that names it)."""
        return _ShowCell(self, tuple(cell), of or self.of, lines, run_time)

    def _swap_to(self, cell, of: str, lines: bool) -> Animation:
        """Make ``cell`` the chosen one now; the animation from the old lines to the new."""
        from manim import Create, FadeIn, FadeOut

        new_lines, marks, chosen = self.lines_for(cell, of, lines=lines)
        old = [*self.lines, *self.marks]
        fading = [FadeOut(m) for m in old]      # brought back to the scene while they fade
        self.remove(self.lines, self.marks)
        self.lines, self.marks = new_lines, marks
        self.add(new_lines, marks)
        self.chosen_links = chosen
        self.of, self.chosen = of, tuple(cell)
        self.reversed = False
        anims = list(fading)
        if len(new_lines):
            anims.append(Create(new_lines, lag_ratio=0.05))
        anims.append(FadeIn(marks))
        for a in anims:
            a.introducer = a in fading
        return AnimationGroup(*anims, group=self)

    def reverse(self, run_time: float = 1.0) -> Animation:
        """Turn every line drawn around (output → input): the transposed convolution's links."""
        from manim import Transform

        self.reversed = not self.reversed
        anims = []
        for line in self.lines:
            a, b = line.ends
            target = self._link_line(a, b, line.get_color(), reverse=self.reversed)
            anims.append(Transform(line, target))
        return AnimationGroup(*anims, run_time=run_time, group=self)


class _ShowCell(Delegating):
    """:meth:`ConnectivityDiagram2D.show`, deferred: the diagram changes its chosen cell when
    the animation starts, not when it is built."""

    def __init__(self, diagram: ConnectivityDiagram2D, cell, of: str, lines: bool,
                 run_time: float):
        self.diagram, self.cell, self.of, self.draw_lines = diagram, cell, of, lines
        self.inner: Animation | None = None
        super().__init__(diagram, run_time=run_time, introducer=False)

    def _setup_scene(self, scene) -> None:
        super()._setup_scene(scene)
        self.inner = self.diagram._swap_to(self.cell, self.of, self.draw_lines)
        self.inner.run_time = self.run_time
        self.inner._setup_scene(scene)


def redraw(old: ConnectivityDiagram, new: ConnectivityDiagram) -> Animation:
    """``old`` becomes ``new`` on screen: its long row (the forward convolution's input) goes to
    ``new``'s long row, its short row to the short row, and each arrow to the arrow of the same
    link (or, between different convolutions, to the arrows in order). Afterwards ``new`` is on
    screen in its place. For the same links turned into a transposed convolution (rows
    swapped top for bottom) every arrow and label stays visible all the way."""
    from manim import ReplacementTransform

    def key(line):
        return (line.link.row, line.link.col, line.link.tap)

    by_key = {key(line): line for line in new.lines}
    if sorted(by_key) == sorted(key(line) for line in old.lines):
        pairs = [(line, by_key[key(line)]) for line in old.lines]
        lines = [ReplacementTransform(a, b) for a, b in pairs]
    else:
        lines = [ReplacementTransform(old.lines, new.lines)]
    return _Redraw(old, new, ReplacementTransform(old.long_row, new.long_row),
                   ReplacementTransform(old.short_row, new.short_row), *lines)


class _Redraw(AnimationGroup):
    def __init__(self, old, new, *anims):
        super().__init__(*anims)
        self.old, self.new = old, new

    def clean_up_from_scene(self, scene) -> None:
        super().clean_up_from_scene(scene)
        scene.remove(self.old, *self.new.lines, self.new.long_row, self.new.short_row)
        scene.add(self.new)

"""Brackets over runs of cells of a 1D row: the kernel's windows, a receptive field.

:class:`SpanBracket` marks cells ``first..last`` of a 1D :class:`~scenes.kit.cells.grid.CellGrid`
with a bracket (a line along the cells, its ends ticked towards them) and an optional
label. :class:`WindowSpans` draws one bracket per kernel position of a 1D convolution
over the grid of its padded input, in lanes so overlapping windows stay apart; the
windows come from a convmath storyboard (first padded cell under the kernel and the
effective kernel size), so they include the padding cells each window reads.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, UP, Text, VGroup, VMobject

import convmath as cm
from .. import palette
from .grid import CellGrid


class SpanBracket(VGroup):
    """A bracket along cells ``first..last`` (inclusive) of a 1D grid, on ``side`` (UP/DOWN).

    ``lane``: how many ``lane_gap`` steps away from the cells (stacked brackets).
    ``label``: text written beyond the bracket (e.g. "r = 9"), or beside it when
    ``label_side`` is LEFT or RIGHT (for stacked brackets). Readback: :attr:`first`,
    :attr:`last`, :attr:`label` (a Text or None), :attr:`value` (any object the caller
    attaches to the label, e.g. the number it shows).
    """

    def __init__(self, grid: CellGrid, first: int, last: int, *, side=UP,
                 color=palette.KERNEL, lane: int = 0, lane_gap: float = 0.24,
                 buff: float = 0.1, stroke_width: float = 3.0, inset: float = 0.08,
                 label: str | None = None, label_size: float = palette.CAPTION_SIZE,
                 label_color=None, label_side=None, value=None, **kwargs):
        super().__init__(**kwargs)
        if grid.ndim != 1:
            raise ValueError("SpanBracket marks cells of a 1D grid")
        if last < first:
            raise ValueError(f"span {first}..{last} is empty")
        self.first, self.last = int(first), int(last)
        self.value = value
        sign = 1.0 if side[1] >= 0 else -1.0
        a, b = grid.cell((self.first,)), grid.cell((self.last,))
        size = a.width
        edge = (a.get_top()[1] if sign > 0 else a.get_bottom()[1])
        y = edge + sign * (buff + lane * lane_gap)
        tick = 0.14 * sign
        x0 = a.get_left()[0] + inset * size
        x1 = b.get_right()[0] - inset * size
        path = VMobject(stroke_color=color, stroke_width=stroke_width, fill_opacity=0)
        path.set_points_as_corners([np.array([x0, y - tick, 0]), np.array([x0, y, 0]),
                                    np.array([x1, y, 0]), np.array([x1, y - tick, 0])])
        self.path = path
        self.add(path)
        self.label = None
        if label is not None:
            self.label = Text(label, font=palette.FONT, font_size=label_size,
                              color=color if label_color is None else label_color)
            if label_side is None:
                self.label.next_to(path, UP if sign > 0 else DOWN, buff=0.08)
            else:
                # beside the bracket, a little beyond it so it clears the cells
                self.label.next_to(path, label_side, buff=0.15)
                self.label.shift(sign * UP * 0.08)
            self.label.value = value
            self.add(self.label)


class WindowSpans(VGroup):
    """One bracket per kernel position of the 1D convolution ``sp`` over ``grid``.

    ``grid`` draws ``sp``'s padded input (cell j = padded cell j, padding included).
    Windows that would overlap go to different lanes. Readback: :attr:`windows`
    (first and last padded cell of each position, in output order), :attr:`brackets`.
    """

    def __init__(self, grid: CellGrid, sp: cm.ConvSpec, *, side=UP, color=palette.KERNEL,
                 lane_gap: float = 0.24, buff: float = 0.1, stroke_width: float = 3.0,
                 **kwargs):
        super().__init__(**kwargs)
        if sp.ndim != 1 or sp.transposed:
            raise ValueError("WindowSpans draws the windows of a 1D convolution")
        if grid.shape != sp.padded_input:
            raise ValueError(f"grid {grid.shape} does not draw the padded input "
                             f"{sp.padded_input}")
        # where the kernel's first tap lands at each position, from convmath
        board = cm.storyboard(sp, np.zeros(sp.input, dtype=np.int64),
                              np.zeros(sp.kernel, dtype=np.int64))
        extent = sp.effective_kernel[0]
        self.windows = [(st.window[0], st.window[0] + extent - 1) for st in board.steps]
        self.lanes: list[int] = []
        ends: list[int] = []               # last cell used in each lane
        for first, last in self.windows:
            lane = next((n for n, end in enumerate(ends) if end < first), len(ends))
            if lane == len(ends):
                ends.append(last)
            else:
                ends[lane] = last
            self.lanes.append(lane)
        self.brackets = VGroup(*(
            SpanBracket(grid, f, l, side=side, color=color, lane=lane, lane_gap=lane_gap,
                        buff=buff, stroke_width=stroke_width)
            for (f, l), lane in zip(self.windows, self.lanes)))
        self.add(self.brackets)

    @property
    def n_lanes(self) -> int:
        return max(self.lanes) + 1 if self.lanes else 0

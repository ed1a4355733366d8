"""One line saying what an operation does to a shape: input grid → arrow → output grid.

``ShapeMap((4, 4), (2, 2), "convolución", "kernel 3×3", input_label=..., output_label=...)``
draws an empty labelled input grid (blue), an arrow with a short text above (and one
below) and an empty labelled output grid (cyan). The grids' cells are centred on fixed
columns (``±column_x``), so several maps stacked line up whatever their shapes. The shapes
come from the caller (convmath specs); the labels are the caller's translated words.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, UP, Arrow, Text, VGroup

from .. import palette
from .grid import CellGrid


def _empty_grid(shape, role: str, cell_size: float, label: str | None) -> CellGrid:
    shape = tuple(int(n) for n in shape)
    return CellGrid(shape=shape, role=role, cell_size=cell_size,
                    cell_kind=np.full(shape, role, dtype=object), label=label)


class ShapeMap(VGroup):
    """Parts: :attr:`input`, :attr:`output` (CellGrids), :attr:`arrow`, :attr:`above`,
    :attr:`below` (Text or None). The map is centred on x = 0 at height ``y``."""

    def __init__(self, in_shape, out_shape, above: str, below: str | None = None, *,
                 input_label: str | None = None, output_label: str | None = None,
                 cell_size: float = 0.5, column_x: float = 4.4, arrow_half: float = 2.3,
                 y: float = 0.0, font_size: float = 24, above_style: dict | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        self.input = _empty_grid(in_shape, "input", cell_size, input_label)
        self.output = _empty_grid(out_shape, "output", cell_size, output_label)
        for grid, x in ((self.input, -column_x), (self.output, column_x)):
            grid.shift(np.array([x, y, 0]) - grid.cells.get_center())
        self.arrow = Arrow(np.array([-arrow_half, y, 0]), np.array([arrow_half, y, 0]), buff=0,
                           color=palette.TEXT_DIM, stroke_width=4,
                           max_tip_length_to_length_ratio=0.12)
        style = dict(font=palette.FONT, font_size=font_size, color=palette.TEXT)
        style.update(above_style or {})
        self.above = Text(above, **style).next_to(self.arrow, UP, buff=0.18)
        self.below = None
        parts = [self.input, self.arrow, self.above, self.output]
        if below:
            self.below = Text(below, font=palette.FONT, font_size=font_size - 2,
                              color=palette.TEXT_DIM).next_to(self.arrow, DOWN, buff=0.18)
            parts.append(self.below)
        self.add(*parts)

    @property
    def arrow_texts(self) -> VGroup:
        return VGroup(*(m for m in (self.above, self.below) if m is not None))

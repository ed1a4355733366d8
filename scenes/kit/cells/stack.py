"""Stacks of 2D grids: the channels of a tensor, the slices of a volume, a bank of kernels.

A :class:`GridStack` draws an array of shape (n, H, W) as n :class:`~scenes.kit.cells.grid.CellGrid`
layers, each shifted up and to the right behind the one in front, so the stack reads as a
block. Layer 0 is in front. Every layer has an opaque backing, so the layers behind show
only as edges. Numbers are drawn on the front layer only (the others are hidden), unless
``numbers="all"``. Readback: :attr:`layers` (layer c is ``values[c]``), :attr:`shape`,
:attr:`label`. :meth:`tint` colours one layer (the red, green and blue channels of an image).
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, Animation, Rectangle, Text, VGroup

from .. import palette
from .grid import CellGrid, cell_values


class GridStack(VGroup):
    """``values`` (n, H, W), or only ``shape``, drawn as n grids one behind another.

    ``role``: input, output or kernel (colour). ``offset``: shift of each layer behind
    the previous one (x, y), in units. ``numbers``: "front", "all" or "none".
    ``label``: text placed on ``label_side`` of the whole stack.
    """

    def __init__(self, values=None, *, shape=None, role: str = "input",
                 cell_size: float = 0.4, offset=(0.28, 0.24), numbers: str = "front",
                 label: str | None = None, label_side=DOWN, label_buff: float = 0.2,
                 font_size: float | None = None, lang=None, **kwargs):
        super().__init__(**kwargs)
        vals = cell_values(values, shape, "GridStack")
        if vals.ndim != 3:
            raise ValueError(f"GridStack draws (n, H, W) arrays, got shape {vals.shape}")
        if numbers not in ("front", "all", "none"):
            raise ValueError("numbers must be 'front', 'all' or 'none'")
        self.shape = vals.shape
        self.role = role
        self.offset = np.array([offset[0], offset[1], 0.0])
        kinds = np.full(vals.shape[1:], role, dtype=object)
        self.layers: list[CellGrid] = []
        self.backings = []
        for c in range(vals.shape[0]):
            shown = numbers == "all" or (numbers == "front" and c == 0)
            grid = CellGrid(vals[c] if shown else np.empty(vals.shape[1:], dtype=object),
                            cell_kind=kinds, role=role, cell_size=cell_size,
                            font_size=font_size, lang=lang)
            backing = Rectangle(width=grid.cells.width, height=grid.cells.height,
                                stroke_width=0, fill_color=palette.BACKGROUND, fill_opacity=1)
            backing.move_to(grid.cells)
            grid.add_to_back(backing)
            grid.shift(self.offset * c)
            self.layers.append(grid)
            self.backings.append(backing)
        # the layer furthest back is drawn first
        for grid in reversed(self.layers):
            self.add(grid)
        self.label = None
        if label:
            self.label = Text(label, font=palette.FONT, font_size=palette.LABEL_SIZE,
                              color=palette.ROLE_COLORS.get(role, palette.TEXT))
            self.label.next_to(self.block(), label_side, buff=label_buff)
            self.add(self.label)

    @property
    def front(self) -> CellGrid:
        return self.layers[0]

    def block(self) -> VGroup:
        """The layers without the label (for placing things next to the stack)."""
        return VGroup(*self.layers)

    def tint(self, c: int, color) -> Animation:
        """Layer ``c``'s cells take ``color`` (outline and fill, at the role's fill opacity)."""
        opacity = palette.FILL_OPACITY.get(self.role, 0.35)
        return self.layers[c].cells.animate.set_stroke(color).set_fill(color, opacity=opacity)

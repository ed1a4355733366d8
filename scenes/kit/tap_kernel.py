"""The kernel drawn as the key of the tap colours: each weight's cell in its tap's colour.

Connectivity lines and matrix entries are coloured by kernel tap
(:func:`scenes.kit.palette.tap_color`); :func:`tap_kernel` draws the kernel with the
same colours so the viewer can read which weight each colour is.
"""

from __future__ import annotations

import numpy as np

from . import palette
from .grid import CellGrid


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

"""A small legend of cell kinds: a sample cell drawn as the grids draw it, and its meaning.

``CellLegend([("inserted", "ceros insertados: 1"), ("padding", "relleno: 1")])`` stacks one
row per entry; the sample is a one-cell :class:`~scenes.kit.grid.CellGrid` of that kind, so
colours and dashes match the grids on screen. The texts come from the caller (numbers from
convmath). ``sample_value``: a number written in the samples (e.g. 0 for zeros).
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, Text, VGroup

from . import palette
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

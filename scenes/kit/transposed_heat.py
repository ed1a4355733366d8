"""Cᵀ as a heat map, for transposed convolutions too large to draw entry by entry.

:class:`TransposedHeatMap` is a :class:`~scenes.kit.matrix_view.MatrixHeatMap` of the
transpose: entry (r, c) is entry (c, r) of C (``convmath.tap_matrix``), so its rows are the
transposed convolution's output cells and its columns its input cells, and Cᵀ·vec(x) is the
transposed convolution. Same readback and highlights: :attr:`taps`, :attr:`values`,
:meth:`shown`, :meth:`row_rect`, :meth:`col_rect`.
"""

from __future__ import annotations

import numpy as np
from manim import Rectangle, VGroup, config

import convmath
from . import palette
from .matrix_view import MatrixHeatMap, _tap_index, brackets, rects_mobject


class TransposedHeatMap(MatrixHeatMap):
    """Cᵀ of a ConvSpec as a heat map (rows: C's columns), one VMobject per kernel tap."""

    def __init__(self, sp, w=None, *, height: float = 5.5, max_width: float | None = None,
                 gap_ratio: float = 0.12, **kwargs):
        VGroup.__init__(self, **kwargs)
        self.spec = sp
        self.mode = "image"
        self.taps = convmath.tap_matrix(sp).T.copy()
        self.values = None if w is None else convmath.conv_matrix_dense(sp, w).T.copy()
        self.tap_index = _tap_index(sp)
        rows, cols = self.taps.shape
        if max_width is None:
            max_width = config.frame_width - 2 * palette.FRAME_MARGIN - 0.3
        pitch = min(height / rows, max_width / cols)
        width, height = pitch * cols, pitch * rows
        self._layout(rows, cols, pitch, pitch)
        anchor = self._make_anchor(rows, cols, pitch, pitch)
        self.background = Rectangle(width=width, height=height, stroke_width=0,
                                    fill_color=palette.MUTED, fill_opacity=0.35)
        self.tap_layers = VGroup()
        gap = pitch * gap_ratio if pitch > 0.04 else 0.0
        for t in range(len(self.tap_index)):
            rr, cc = np.nonzero(self.taps == t)
            centers = np.stack([(cc - (cols - 1) / 2) * pitch, ((rows - 1) / 2 - rr) * pitch,
                                np.zeros(len(rr))], axis=1)
            layer = rects_mobject(centers, pitch, pitch, palette.tap_color(t), 1.0, gap)
            layer.tap = t
            self.tap_layers.add(layer)
        self._bracket_h0 = height + 0.1
        self.brackets = brackets(height + 0.1, width + 0.2, color=palette.TEXT)
        self.add(anchor, self.background, self.tap_layers, self.brackets)

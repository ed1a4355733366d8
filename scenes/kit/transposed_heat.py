"""Cᵀ as a heat map, for transposed convolutions too large to draw entry by entry.

:class:`TransposedHeatMap` is a :class:`~scenes.kit.matrix_view.MatrixHeatMap` of the
transpose: entry (r, c) is entry (c, r) of C (``convmath.tap_matrix``), so its rows are the
transposed convolution's output cells and its columns its input cells, and Cᵀ·vec(x) is the
transposed convolution. Same readback and highlights: :attr:`taps`, :attr:`values`,
:meth:`shown`, :meth:`row_rect`, :meth:`col_rect`.
"""

from __future__ import annotations

from .matrix_view import MatrixHeatMap


class TransposedHeatMap(MatrixHeatMap):
    """Cᵀ of a ConvSpec as a heat map (rows: C's columns), one VMobject per kernel tap."""

    def __init__(self, sp, w=None, **kwargs):
        super().__init__(sp, w, transpose=True, **kwargs)

"""Cᵀ drawn entry by entry, and the animation that turns a drawn C into it.

:class:`TransposedMatrixView` is a :class:`~scenes.kit.matrices.matrix_view.MatrixView` of the
transpose: entry (r, c) of the view is entry (c, r) of C (``convmath.conv_matrix_dense``),
so Cᵀ·vec(y) is a transposed convolution (``convmath.transposed_matrix``). Its
:attr:`entries` keep C's order, which lets :func:`transpose_animation` carry every
entry of a drawn C to its place in Cᵀ (rows become columns) in one play.
"""

from __future__ import annotations

import numpy as np
from manim import PI, AnimationGroup, DashedLine, Transform, smooth

from .. import palette
from .matrix_view import MatrixHeatMap, MatrixView, brackets


class TransposedMatrixView(MatrixView):
    """Cᵀ of a ConvSpec (rows: C's columns). Same options and readback as MatrixView:
    :attr:`taps` and :attr:`values` are the transposed arrays, :meth:`shown` and
    :meth:`entry` use Cᵀ's (row, column); :attr:`source_index` maps them back to C."""

    def __init__(self, sp, w=None, *, max_width: float | None = None,
                 max_height: float | None = None, **kwargs):
        super().__init__(sp, w, max_width=np.inf, max_height=np.inf, **kwargs)
        c_rows, c_cols = self.taps.shape
        self.c_shape = (c_rows, c_cols)
        self.taps = self.taps.T.copy()
        self.values = None if self.values is None else self.values.T.copy()
        self._shown = self._shown.T.copy()
        rows, cols = c_cols, c_rows
        dx, dy = self.dx, self.dy
        self.remove(self._anchor, self.brackets)
        self._layout(rows, cols, dx, dy)
        anchor = self._make_anchor(rows, cols, dx, dy)
        moved = {}
        for (r, c), m in self._entries.items():
            m.move_to(np.array([(r - (cols - 1) / 2) * dx, ((rows - 1) / 2 - c) * dy, 0]))
            m.matrix_index = (c, r)
            m.source_index = (r, c)
            moved[(c, r)] = m
        self._entries = moved
        self._bracket_h0 = rows * dy
        self.brackets = brackets(rows * dy, cols * dx + 0.2, color=palette.TEXT)
        self.submobjects = [anchor, self.entries, self.brackets]
        self._fit_within(max_width, max_height)

    def source_index(self, r: int, c: int) -> tuple[int, int]:
        """The (row, column) of C that entry (r, c) of Cᵀ comes from."""
        return c, r


def transpose_animation(c_view: MatrixView, ct_view: TransposedMatrixView,
                        run_time: float = 2.0, path_arc: float = -PI / 2,
                        row_lag: float = 0.5, riders=None) -> AnimationGroup:
    """Every row of the drawn C swings into its column of ``ct_view``; the brackets reshape.
    Afterwards ``c_view`` looks like ``ct_view``: the scene swaps them (remove ``c_view``,
    add ``ct_view``).

    Each entry travels along an arc of ``path_arc`` (a quarter turn clockwise by default);
    rows start one after another (``row_lag``, as in AnimationGroup's lag_ratio). When
    ``c_view`` is laid out like ``ct_view`` (same pitch in both directions, top-left
    entries on the same spot: see :func:`aligned_c_view`), row r turns rigidly about its
    diagonal entry (r, r) and lands exactly as column r. ``riders``: {row: [(mobject,
    target), ...]} turn with their row (e.g. a highlight of row r becoming one of column r).
    The brackets reshape over the second half.
    """
    if c_view.taps.shape != ct_view.taps.T.shape:
        raise ValueError(f"C is {c_view.taps.shape} but the transposed view is "
                         f"{ct_view.taps.shape}")
    rows = []
    for r in range(c_view.rows):
        moves = [Transform(c_view.entry(r, c), ct_view.entry(c, r).copy(), path_arc=path_arc)
                 for c in range(c_view.cols)]
        moves += [Transform(m, target, path_arc=path_arc)
                  for m, target in (riders or {}).get(r, [])]
        rows.append(AnimationGroup(*moves))
    turn = AnimationGroup(*rows, lag_ratio=row_lag)
    reshape = Transform(c_view.brackets, ct_view.brackets.copy(),
                        rate_func=lambda t: smooth(min(1.0, max(0.0, 2 * t - 1))))
    return AnimationGroup(turn, reshape, run_time=run_time, group=c_view)


def aligned_c_view(sp, w, ct_view: TransposedMatrixView, **kwargs) -> MatrixView:
    """C drawn with ``ct_view``'s pitch and entry size, its top-left entry on ``ct_view``'s:
    the starting point of a transpose that is a reflection across the main diagonal
    (``ct_view`` should have equal row and column pitch)."""
    c = MatrixView(sp, w, dx=ct_view.dx, dy=ct_view.dy, max_width=np.inf, max_height=np.inf,
                   **kwargs)
    c.scale(ct_view._scale() / c._scale())
    c.shift(ct_view.slot_center(0, 0) - c.slot_center(0, 0))
    return c


def diagonal_guide(ct_view: TransposedMatrixView, color=palette.TEXT_DIM,
                   extra: float = 0.6) -> DashedLine:
    """A dashed line along the main diagonal of the drawn Cᵀ (the mirror of the transpose)."""
    k = min(ct_view.rows, ct_view.cols)
    sx, sy = ct_view.slot_size()
    a = ct_view.slot_center(0, 0) + np.array([-sx, sy, 0]) * (0.5 + extra)
    b = ct_view.slot_center(k - 1, k - 1) + np.array([sx, -sy, 0]) * (0.5 + extra)
    return DashedLine(a, b, color=color, stroke_width=2, dash_length=0.1)


# ---------- Cᵀ as a heat map, for transposed convolutions too large to draw entry by entry.
#
# :class:`TransposedHeatMap` is a :class:`~scenes.kit.matrices.matrix_view.MatrixHeatMap` of the
# transpose: entry (r, c) is entry (c, r) of C (``convmath.tap_matrix``), so its rows are the
# transposed convolution's output cells and its columns its input cells, and Cᵀ·vec(x) is the
# transposed convolution. Same readback and highlights: :attr:`taps`, :attr:`values`,
# :meth:`shown`, :meth:`row_rect`, :meth:`col_rect`.

class TransposedHeatMap(MatrixHeatMap):
    """Cᵀ of a ConvSpec as a heat map (rows: C's columns), one VMobject per kernel tap."""

    def __init__(self, sp, w=None, **kwargs):
        super().__init__(sp, w, transpose=True, **kwargs)

"""The convolution as a matrix C: conv(x) = C·vec(x), transposed(y) = Cᵀ·vec(y).

Cells are flattened in row-major (C) order. Row r of C is the kernel laid on the
input at kernel position r: mostly zeros, the same weights shifted along — a
(block) Toeplitz matrix when the stride is 1.
"""

from __future__ import annotations

from itertools import product as iproduct
from math import prod

import numpy as np
import scipy.sparse as sps

from .spec import ConvSpec
from .values import (_per_group_transposed, _spec_for, _split_channels, _zeros,
                     as_exact_array, exact_operands)


def _geometry(sp: ConvSpec):
    """(row grid, column grid): kernel positions and the cells they read.

    For a convolution the rows are output cells and the columns input cells; for a
    transposed convolution C is its forward convolution's matrix, so the rows are
    the transposed input cells and the columns its output cells.
    """
    if sp.transposed:
        return sp.input, sp.output
    return sp.output, sp.input


def matrix_entries(sp: ConvSpec):
    """All non-zero entries of C as three int arrays: row, column, flat kernel tap."""
    rows_shape, cols_shape = _geometry(sp)
    rows_all, cols_all, taps_all = [], [], []
    row_ids = np.arange(prod(rows_shape)).reshape(rows_shape)
    grids = np.indices(rows_shape)
    for flat_tap, tap in enumerate(iproduct(*(range(k) for k in sp.kernel))):
        pos = [grids[ax] * sp.stride[ax] + tap[ax] * sp.dilation[ax] - sp.padding[ax][0]
               for ax in range(sp.ndim)]
        ok = np.ones(rows_shape, dtype=bool)
        for ax in range(sp.ndim):
            ok &= (pos[ax] >= 0) & (pos[ax] < cols_shape[ax])
        if not ok.any():
            continue
        cols = np.ravel_multi_index(tuple(p[ok] for p in pos), cols_shape)
        rows_all.append(row_ids[ok])
        cols_all.append(cols)
        taps_all.append(np.full(cols.shape, flat_tap))
    if not rows_all:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return (np.concatenate(rows_all), np.concatenate(cols_all), np.concatenate(taps_all))


def matrix_shape(sp: ConvSpec) -> tuple[int, int]:
    rows_shape, cols_shape = _geometry(sp)
    return prod(rows_shape), prod(cols_shape)


def matrix_nonzeros(sp: ConvSpec) -> int:
    """How many entries of C hold a weight, counted without building C.

    A kernel tap lands inside the input on one axis independently of the others, so the count
    is, over the axes, the product of (Σ over the taps of that axis of the kernel positions at
    which the tap lands inside): a few steps per tap even when C is too big to build.
    """
    rows_shape, cols_shape = _geometry(sp)
    total = 1
    for n_rows, n_cols, k, s, d, (before, _) in zip(rows_shape, cols_shape, sp.kernel, sp.stride,
                                                     sp.dilation, sp.padding):
        on_axis = 0
        for t in range(k):
            # row r reads column r·s + t·d − before; it must lie in [0, n_cols)
            first = max(0, -(-(before - t * d) // s))
            last = min(n_rows - 1, (n_cols - 1 + before - t * d) // s)
            on_axis += max(0, last - first + 1)
        total *= on_axis
    return total


def tap_matrix(sp: ConvSpec) -> np.ndarray:
    """C with each entry the flat index of the kernel tap it holds, −1 for a zero."""
    idx = np.full(matrix_shape(sp), -1, dtype=np.int64)
    r, c, t = matrix_entries(sp)
    idx[r, c] = t
    return idx


def conv_matrix_dense(sp: ConvSpec, w) -> np.ndarray:
    """C as a dense array holding the kernel's values (exact for ints and Fractions)."""
    w = as_exact_array(w).reshape(-1)
    c = _zeros(matrix_shape(sp), w.dtype)
    r, col, t = matrix_entries(sp)
    c[r, col] = w[t]
    return c


def conv_matrix_sparse(sp: ConvSpec, w) -> sps.csr_matrix:
    """C as a scipy.sparse CSR matrix (for large inputs; numeric kernels only)."""
    w = np.asarray(w, dtype=np.float64 if np.asarray(w).dtype.kind == "f" else None).reshape(-1)
    r, col, t = matrix_entries(sp)
    return sps.csr_matrix((w[t], (r, col)), shape=matrix_shape(sp))


def apply_matrix(sp: ConvSpec, w, x) -> np.ndarray:
    """conv(x) as C·vec(x), reshaped to the output (transposed: Cᵀ·vec(x))."""
    x, w = exact_operands(as_exact_array(x), as_exact_array(w))
    c = conv_matrix_dense(sp, w)
    x = x.reshape(-1)
    if sp.transposed:
        return c.T.dot(x).reshape(sp.output)
    return c.dot(x).reshape(sp.output)


def density(sp: ConvSpec) -> float:
    """Fraction of C's entries that are not structurally zero."""
    r, _, _ = matrix_entries(sp)
    rows, cols = matrix_shape(sp)
    return len(r) / (rows * cols)


def transposed_matrix(x, w, stride=1, padding=0, dilation=1, groups=1, output_padding=0):
    """Transposed convolution as multiplication by Cᵀ (C built from the geometry alone)."""
    x, w, single = _split_channels(x, w)
    sp = _spec_for(x, w, stride, padding, dilation, groups, True, output_padding)

    def single_fn(xc, wc, sp_):
        c = conv_matrix_dense(sp_, wc)  # rows: transposed input cells, cols: output cells
        flat = c.T.dot(xc.reshape(-1))
        return np.asarray(flat).reshape(sp_.output)

    out = _per_group_transposed(x, w, sp, single_fn)
    return out[0] if single else out

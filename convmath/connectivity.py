"""Which cells talk to which: the connectivity of a convolution.

For a convolution, output cell o reads input cell o·s + t·d − p_before through
kernel tap t (padding cells are not input cells and are left out). Turned
around, each input cell feeds a set of output cells; a transposed convolution
uses exactly these links with the arrows reversed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from .matrix import _geometry, matrix_entries
from .spec import ConvSpec


@dataclass(frozen=True)
class Link:
    """One connection: kernel position ``row`` reads cell ``col`` through kernel ``tap``."""

    row: tuple[int, ...]
    col: tuple[int, ...]
    tap: tuple[int, ...]


def links(sp: ConvSpec) -> list[Link]:
    """Every link, ordered by kernel position then tap.

    For a convolution, ``row`` is the output cell and ``col`` the input cell.
    For a transposed convolution, ``row`` is its input cell and ``col`` the output
    cell it feeds (the forward convolution's links, reversed).
    """
    rows_shape, cols_shape = _geometry(sp)
    r, c, t = matrix_entries(sp)
    order = np.lexsort((t, r))
    out = []
    for k in order:
        out.append(Link(tuple(int(v) for v in np.unravel_index(r[k], rows_shape)),
                        tuple(int(v) for v in np.unravel_index(c[k], cols_shape)),
                        tuple(int(v) for v in np.unravel_index(t[k], sp.kernel))))
    return out


def _group(sp: ConvSpec, by_row: bool) -> dict[tuple, list[tuple[tuple, tuple]]]:
    rows_shape, cols_shape = _geometry(sp)
    table = defaultdict(list)
    for link in links(sp):
        if by_row:
            table[link.row].append((link.col, link.tap))
        else:
            table[link.col].append((link.row, link.tap))
    return {idx: table.get(idx, []) for idx in np.ndindex(*(rows_shape if by_row else cols_shape))}


def reads(sp: ConvSpec) -> dict[tuple, list[tuple[tuple, tuple]]]:
    """For each output cell: the (input cell, kernel tap) pairs that contribute to it."""
    return _group(sp, by_row=not sp.transposed)


def feeds(sp: ConvSpec) -> dict[tuple, list[tuple[tuple, tuple]]]:
    """For each input cell: the (output cell, kernel tap) pairs it contributes to."""
    return _group(sp, by_row=sp.transposed)


def usage_count(sp: ConvSpec) -> np.ndarray:
    """How many kernel positions read each input cell of a convolution."""
    _, cols_shape = _geometry(sp)
    _, c, _ = matrix_entries(sp)
    return np.bincount(c, minlength=int(np.prod(cols_shape))).reshape(cols_shape)


def overlap_map(sp: ConvSpec) -> np.ndarray:
    """For a transposed convolution: how many kernel stamps land on each output cell.

    Uneven counts (k not divisible by s) are the source of checkerboard artifacts.
    """
    if not sp.transposed:
        raise ValueError("overlap_map is for transposed convolutions; use usage_count")
    return usage_count(sp)

"""Storyboards: the exact sequence of events a scene animates.

A sliding-kernel scene shows, position after position, the window the kernel
covers, each tap's product and the sum written into the output. A superposition
scene shows each input cell stamping a scaled copy of the kernel onto the
output. Both come from here, so every number on screen is convmath's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product as iproduct

import numpy as np

from .errors import ConvError
from .spec import ConvSpec, spec as make_spec
from .values import (as_exact_array, equivalent_direct_padding, exact_operands, insert_zeros,
                     pad, transposed_scatter)

CORRELATION = "correlation"
CONVOLUTION = "convolution"


@dataclass(frozen=True)
class Tap:
    """One kernel tap at one kernel position."""

    tap: tuple[int, ...]            # index in the kernel shown on screen
    padded: tuple[int, ...]         # cell of the padded input it covers
    input: tuple[int, ...] | None   # that cell in the unpadded input, None on padding
    x: object
    w: object
    product: object


@dataclass(frozen=True)
class Step:
    """One kernel position: the window it covers, its products and their sum."""

    order: int
    output: tuple[int, ...]
    window: tuple[int, ...]          # padded-input cell under the kernel's first tap
    taps: tuple[Tap, ...]
    total: object


@dataclass
class Storyboard:
    spec: ConvSpec
    op: str
    x: np.ndarray                    # the input as given
    kernel: np.ndarray               # the kernel as given
    kernel_applied: np.ndarray       # what slides: the kernel, flipped for a true convolution
    padded: np.ndarray               # the padded input
    cell_kind: np.ndarray            # per padded cell: "input" or "padding"
    steps: list[Step] = field(default_factory=list)
    output: np.ndarray | None = None


def _slide(sp: ConvSpec, x_padded: np.ndarray, w: np.ndarray, origin: np.ndarray):
    """Steps of a kernel ``w`` sliding over ``x_padded`` with ``sp``'s stride and dilation."""
    steps = []
    out = np.empty(sp.output, dtype=object)
    taps_idx = list(iproduct(*(range(k) for k in w.shape)))
    for order, o in enumerate(np.ndindex(*sp.output)):
        window = tuple(oi * s for oi, s in zip(o, sp.stride))
        taps = []
        total = 0
        for t in taps_idx:
            cell = tuple(wi + ti * d for wi, ti, d in zip(window, t, sp.dilation))
            src = origin[cell]
            xv = x_padded[cell]
            prod_ = w[t] * xv
            total = total + prod_
            taps.append(Tap(t, cell, src, _plain(xv), _plain(w[t]), _plain(prod_)))
        out[o] = _plain(total)
        steps.append(Step(order, tuple(o), window, tuple(taps), _plain(total)))
    return steps, out


def _plain(v):
    """numpy scalars to Python numbers, so on-screen text is the exact value."""
    if isinstance(v, np.generic):
        return v.item()
    return v


def storyboard(sp: ConvSpec, x, w, op: str = CORRELATION) -> Storyboard:
    """The sliding-kernel storyboard of a single-channel convolution."""
    if sp.transposed:
        raise ConvError("a transposed convolution slides as its equivalent direct convolution: "
                        "use direct_storyboard")
    if op not in (CORRELATION, CONVOLUTION):
        raise ConvError(f"op must be '{CORRELATION}' or '{CONVOLUTION}', got {op!r}")
    x, w = exact_operands(as_exact_array(x), as_exact_array(w))
    if x.shape != sp.input:
        raise ConvError(f"input values have shape {x.shape}, expected {sp.input}")
    if w.shape != sp.kernel:
        raise ConvError(f"kernel values have shape {w.shape}, expected {sp.kernel}")
    applied = w[(slice(None, None, -1),) * w.ndim] if op == CONVOLUTION else w
    xp = pad(x, sp.padding)
    origin = _origin_map(sp.input, sp.padding)
    kind = np.vectorize(lambda v: "padding" if v is None else "input", otypes=[object])(origin)
    steps, out = _slide(sp, xp, applied, origin)
    return Storyboard(sp, op, x, w, applied, xp, kind, steps, out)


def _origin_map(shape, pads) -> np.ndarray:
    """Per padded cell, the input cell it holds (None on padding)."""
    full = tuple(n + b + a for n, (b, a) in zip(shape, pads))
    origin = np.empty(full, dtype=object)
    for cell in np.ndindex(*full):
        src = tuple(c - b for c, (b, _) in zip(cell, pads))
        origin[cell] = src if all(0 <= v < n for v, n in zip(src, shape)) else None
    return origin


# --- transposed convolutions -----------------------------------------------------------------


@dataclass
class DirectEquivalent:
    """The paper's direct convolution equivalent to a transposed one."""

    spec: ConvSpec                       # the transposed convolution
    zeros_between: tuple[int, ...]       # s − 1 zeros inserted between input cells
    padding: tuple[tuple[int, int], ...] # applied to the stretched input (negative: cropped)
    conv: ConvSpec                       # the stride-1 convolution that is run
    storyboard: Storyboard               # its sliding-kernel steps (kernel flipped)
    cell_kind: np.ndarray                # per cell it slides over: input / inserted / padding


def direct_storyboard(sp: ConvSpec, x, w) -> DirectEquivalent:
    """A transposed convolution as zeros inserted, padding d(k−1)−p, flipped kernel, stride 1."""
    if not sp.transposed:
        raise ConvError("direct_storyboard takes a transposed convolution")
    x, w = exact_operands(as_exact_array(x), as_exact_array(w))
    zeros = tuple(s - 1 for s in sp.stride)
    stretched = insert_zeros(x, zeros)
    pads = equivalent_direct_padding(sp)
    kind0 = np.full(stretched.shape, "inserted", dtype=object)
    kind0[tuple(slice(None, None, z + 1) for z in zeros)] = "input"
    # The kernel slides over stretched cells lo..hi-1 per axis (lo = −before, hi = n + after).
    # Keep the stretched cells inside that range; the rest of the range is zero padding.
    span = [(-b, n + a) for n, (b, a) in zip(stretched.shape, pads)]
    keep = tuple(slice(max(lo, 0), min(hi, n)) for (lo, hi), n in zip(span, stretched.shape))
    if all(k.start < k.stop for k in keep):
        grow = tuple((k.start - lo, hi - k.stop) for k, (lo, hi) in zip(keep, span))
        stretched = stretched[keep]
        kind0 = kind0[keep]
    else:
        # Degenerate case (PyTorch accepts it): the padding crops every input cell away and
        # output_padding adds zeros, so the kernel slides over zeros alone. They are shown as
        # an all-zero input whose cells are all padding.
        grow = tuple((0, 0) for _ in span)
        stretched = np.zeros(tuple(hi - lo for lo, hi in span), dtype=stretched.dtype)
        kind0 = np.full(stretched.shape, "padding", dtype=object)
    conv = make_spec(stretched.shape, sp.kernel, 1, grow, sp.dilation)
    flipped = w[(slice(None, None, -1),) * w.ndim]
    board = storyboard(conv, stretched, flipped)
    kind = np.full(conv.padded_input, "padding", dtype=object)
    kind[tuple(slice(b, b + n) for (b, _), n in zip(grow, stretched.shape))] = kind0
    return DirectEquivalent(sp, zeros, pads, conv, board, kind)


@dataclass(frozen=True)
class Stamp:
    """One input cell of a transposed convolution stamping the scaled kernel."""

    order: int
    input: tuple[int, ...]
    value: object
    cells: tuple[tuple[tuple[int, ...], tuple[int, ...], object, tuple[int, ...] | None], ...]
    # each: (kernel tap, canvas cell, product, output cell or None when cropped by padding)


@dataclass
class Superposition:
    spec: ConvSpec
    x: np.ndarray
    kernel: np.ndarray
    canvas_shape: tuple[int, ...]        # the uncropped result: (i−1)s + d(k−1) + 1 per axis
    crop: tuple[tuple[int, int], ...]    # cells cut before/after (negative after: zeros added)
    stamps: list[Stamp]
    overlap: np.ndarray                  # stamps per output cell
    output: np.ndarray


def superposition(sp: ConvSpec, x, w) -> Superposition:
    """The stamps of a single-channel transposed convolution, in input order."""
    if not sp.transposed:
        raise ConvError("superposition takes a transposed convolution")
    from .connectivity import overlap_map

    x, w = exact_operands(as_exact_array(x), as_exact_array(w))
    canvas = tuple((i - 1) * s + (k - 1) * d + 1 for i, s, k, d in
                   zip(sp.input, sp.stride, sp.kernel, sp.dilation))
    stamps = []
    for order, q in enumerate(np.ndindex(*sp.input)):
        cells = []
        for t in np.ndindex(*sp.kernel):
            c = tuple(qi * s + ti * d for qi, s, ti, d in zip(q, sp.stride, t, sp.dilation))
            o = tuple(ci - b for ci, (b, _) in zip(c, sp.padding))
            inside = all(0 <= v < n for v, n in zip(o, sp.output))
            cells.append((tuple(t), c, _plain(w[t] * x[q]), o if inside else None))
        stamps.append(Stamp(order, tuple(q), _plain(x[q]), tuple(cells)))
    crop = tuple((b, a - op) for (b, a), op in zip(sp.padding, sp.output_padding))
    out = transposed_scatter(x, w, sp.stride, sp.padding, sp.dilation, 1, sp.output_padding)
    return Superposition(sp, x, w, canvas, crop, stamps, overlap_map(sp),
                         np.vectorize(_plain, otypes=[object])(out))

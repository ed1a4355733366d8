"""Checkerboard artifacts of transposed convolutions, computed exactly and drawn as images.

Odena, Dumoulin & Olah, "Deconvolution and Checkerboard Artifacts" (Distill, 2016): when a
transposed convolution's kernel size is not a multiple of its stride, output cells receive
different numbers of kernel stamps, so even a smooth input comes out with a checkerboard. A
kernel size that is a multiple of the stride evens the counts — but unequal weights bring the
pattern back, and a network is free to learn them. Their remedy: resize first (nearest
neighbour) and then convolve with stride 1.

:func:`artifact_cases` computes each case on the same smooth input with convmath (integer
inputs, integer results: exact); :func:`checkerboard_strength` measures the pattern;
:func:`image_of` draws an array as a grey picture, each cell one square pixel.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import convmath as cm

STRIDE = 2
PADDING = 1
BORDER = 2        # cells at each edge left out when measuring and scaling (fewer stamps there)


def smooth_input(n: int = 12) -> np.ndarray:
    """A smooth n×n image with integer values: a paraboloid peaking in the middle, positive
    everywhere (coordinates doubled, so the centre of an even grid stays integer)."""
    d = (2 * np.arange(n) - (n - 1)) ** 2
    return (2 * (n - 1) ** 2 + 2 - d[:, None] - d[None, :]).astype(np.int64)


@dataclass(frozen=True)
class ArtifactCase:
    """One way of doubling the input: its name, kernel, and the exact result."""

    key: str
    kernel: np.ndarray
    output: np.ndarray
    transposed: bool          # a transposed convolution (else: resize, then convolution)


def uneven_kernel(k: int) -> np.ndarray:
    """A k×k kernel of unequal weights 1…k along each axis (outer product): its phases
    (the taps each output parity receives) sum differently, whatever k and the stride."""
    a = np.arange(1, k + 1, dtype=np.int64)
    return np.outer(a, a)


def artifact_cases(x: np.ndarray, k_odd: int = 3, k_even: int = 4,
                   stride: int = STRIDE, padding: int = PADDING) -> dict[str, ArtifactCase]:
    """The input ``x`` doubled four ways (all computed by convmath):

    - ``"odd"``: transposed convolution, kernel ``k_odd`` of equal weights (k not a multiple
      of s): a checkerboard;
    - ``"even"``: kernel ``k_even`` (a multiple of s), equal weights: even inside;
    - ``"uneven"``: kernel ``k_even`` with unequal weights: the checkerboard comes back;
    - ``"resize"``: nearest-neighbour resize by s, then a stride-1 convolution with a
      ``k_odd`` kernel of equal weights (padding keeps the size): no checkerboard.
    """
    if k_odd % stride == 0 or k_even % stride != 0:
        raise ValueError(f"kernel {k_odd} must not be a multiple of stride {stride}, "
                         f"kernel {k_even} must be")
    flat_odd = np.ones((k_odd, k_odd), dtype=np.int64)
    flat_even = np.ones((k_even, k_even), dtype=np.int64)
    uneven = uneven_kernel(k_even)
    resized = np.repeat(np.repeat(x, stride, axis=0), stride, axis=1)
    return {
        "odd": ArtifactCase("odd", flat_odd, cm.transposed_scatter(x, flat_odd, stride, padding),
                            True),
        "even": ArtifactCase("even", flat_even,
                             cm.transposed_scatter(x, flat_even, stride, padding), True),
        "uneven": ArtifactCase("uneven", uneven,
                               cm.transposed_scatter(x, uneven, stride, padding), True),
        "resize": ArtifactCase("resize", flat_odd,
                               cm.correlate(resized, flat_odd, padding=(k_odd - 1) // 2), False),
    }


def checkerboard_strength(img, border: int = BORDER) -> float:
    """How far each inner cell sits from the mean of its four neighbours, relative to the
    mean value: about 0 for a smooth image, large for a checkerboard."""
    a = np.asarray(img, dtype=float)
    b = border
    core = a[b:-b, b:-b]
    around = (a[b - 1:-b - 1, b:-b] + a[b + 1:a.shape[0] - b + 1, b:-b]
              + a[b:-b, b - 1:-b - 1] + a[b:-b, b + 1:a.shape[1] - b + 1]) / 4
    return float(np.abs(core - around).mean() / core.mean())


def grey_pixels(img, border: int = BORDER) -> np.ndarray:
    """uint8 grey levels of ``img``, scaled so its inner part spans black to white (the edge
    cells, which get fewer stamps, are clipped)."""
    a = np.asarray(img, dtype=float)
    core = a[border:-border, border:-border] if min(a.shape) > 2 * border else a
    lo, hi = float(core.min()), float(core.max())
    scaled = np.clip((a - lo) / (hi - lo) if hi > lo else np.zeros_like(a), 0.0, 1.0)
    return np.round(scaled * 255).astype(np.uint8)


def image_of(img, width: float, levels: int = 48):
    """``img`` as a grey picture ``width`` units wide, each cell a sharp square pixel: one
    vector mobject per grey level (``levels`` of them at most), as the kit's heat maps are
    drawn. :attr:`source_values` keeps the exact array."""
    from manim import ManimColor, VGroup

    from .matrix_view import rects_mobject

    grey = grey_pixels(img)
    level = (grey.astype(np.int64) * (levels - 1) + 127) // 255
    rows, cols = grey.shape
    pitch = width / cols
    pic = VGroup()
    for lv in np.unique(level):
        rr, cc = np.nonzero(level == lv)
        centers = np.stack([(cc - (cols - 1) / 2) * pitch, ((rows - 1) / 2 - rr) * pitch,
                            np.zeros(len(rr))], axis=1)
        g = float(lv) / (levels - 1)
        pic.add(rects_mobject(centers, pitch, pitch, ManimColor.from_rgb((g, g, g)), 1.0))
    pic.source_values = np.asarray(img)
    pic.grey = grey
    return pic

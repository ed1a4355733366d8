"""The values a convolution computes, exactly.

Arrays of Python ints or Fractions are computed in object arithmetic (exact);
numpy integer arrays stay integer; floats stay floats. Shapes follow PyTorch
without the batch axis: a single-channel call takes spatial arrays ``x`` and
``w`` of the same number of axes; a multi-channel call takes ``x`` as
(C_in, *spatial) and ``w`` as (C_out, C_in/groups, *kernel) for a convolution,
(C_in, C_out/groups, *kernel) for a transposed one.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import product as iproduct

import numpy as np

from .errors import ConvError
from .spec import ConvSpec, spec as make_spec


_INT64_MAX = 2**63 - 1


def as_exact_array(values) -> np.ndarray:
    """An array that keeps values exact: ints stay ints, Fractions become objects.

    Integers outside int64 (e.g. large uint64) become Python ints in an object array.
    """
    arr = np.asarray(values)
    if arr.dtype == object:
        return arr
    if arr.dtype.kind == "u" and arr.size and int(arr.max()) > _INT64_MAX:
        return arr.astype(object)
    if arr.dtype.kind in "iub":
        return arr.astype(np.int64)
    if arr.dtype.kind == "f":
        return arr.astype(np.float64)
    if arr.dtype.kind in "UO":
        return np.asarray(values, dtype=object)
    raise ConvError(f"values must be numbers, got array of {arr.dtype}")


def exact_operands(x: np.ndarray, w: np.ndarray):
    """``x`` and ``w``, as object arrays of Python ints if int64 arithmetic could overflow.

    Every value convmath computes is a sum of at most ``w.size`` products x·w, so
    max|x|·max|w|·w.size bounds it; past int64, numpy would wrap around silently.
    """
    if x.dtype.kind == "i" and w.dtype.kind == "i" and x.size and w.size:
        big_x = max(-int(x.min()), int(x.max()))
        big_w = max(-int(w.min()), int(w.max()))
        if big_x * big_w * w.size > _INT64_MAX:
            return x.astype(object), w.astype(object)
    return x, w


def _result_dtype(*arrays):
    if any(a.dtype == object for a in arrays):
        return object
    return np.result_type(*arrays)


def _zeros(shape, dtype):
    if dtype == object:
        out = np.empty(shape, dtype=object)
        out.fill(0)
        return out
    return np.zeros(shape, dtype=dtype)


def pad(x: np.ndarray, pads) -> np.ndarray:
    """Pad each axis with zeros (before, after); a negative amount crops instead.

    Axis ``ax`` of the result has ``n + before + after`` cells: cell ``j`` holds
    ``x[j - before]`` when that index exists and zero otherwise, so cropping more
    than one side holds still leaves the zeros the other side adds.
    """
    x = np.asarray(x)
    pads = tuple(pads)
    shape = tuple(n + b + a for n, (b, a) in zip(x.shape, pads))
    for ax, size in enumerate(shape):
        if size < 0:
            b, a = pads[ax]
            raise ConvError(f"cannot crop {-min(b, 0)} before and {-min(a, 0)} after "
                            f"from {x.shape[ax]} cells on axis {ax}")
    out = _zeros(shape, x.dtype)
    src = tuple(slice(max(-b, 0), min(n, n + a)) for n, (b, a) in zip(x.shape, pads))
    if all(s.start < s.stop for s in src):
        dest = tuple(slice(s.start + b, s.stop + b) for s, (b, _) in zip(src, pads))
        out[dest] = x[src]
    return out


def insert_zeros(x: np.ndarray, between) -> np.ndarray:
    """Insert ``between[ax]`` zeros between neighbouring cells of each axis."""
    shape = tuple((n - 1) * (z + 1) + 1 for n, z in zip(x.shape, between))
    out = _zeros(shape, x.dtype)
    out[tuple(slice(None, None, z + 1) for z in between)] = x
    return out


def _correlate_padded(xp, w, stride, dilation, out_shape):
    """Single-channel cross-correlation of an already padded input."""
    out = _zeros(out_shape, _result_dtype(xp, w))
    for tap in iproduct(*(range(k) for k in w.shape)):
        window = tuple(slice(t * d, t * d + (o - 1) * s + 1, s)
                       for t, d, o, s in zip(tap, dilation, out_shape, stride))
        out = out + w[tap] * xp[window]
    return out


def _split_channels(x, w, ndim_hint=None):
    """Return (x, w, single) with channel axes added when the call is single-channel."""
    x, w = exact_operands(as_exact_array(x), as_exact_array(w))
    if w.ndim == x.ndim:
        return x[None], w[None, None], True
    if w.ndim == x.ndim + 1:
        return x, w, False
    raise ConvError(f"kernel array has {w.ndim} axes; expected {x.ndim} (single channel) or "
                    f"{x.ndim + 1} (channels) for an input of {x.ndim} axes")


def _spec_for(x, w, stride, padding, dilation, groups, transposed, output_padding):
    sp_in = x.shape[1:]
    kernel = w.shape[2:]
    if transposed:
        cin, cout = x.shape[0], w.shape[1] * groups
        if w.shape[0] != cin:
            raise ConvError(f"transposed kernel expects {w.shape[0]} input channels, got {cin}")
    else:
        cin, cout = x.shape[0], w.shape[0]
        if w.shape[1] * groups != cin:
            raise ConvError(f"kernel expects {w.shape[1] * groups} input channels "
                            f"({w.shape[1]} per group × {groups} groups), got {cin}")
    return make_spec(tuple(sp_in), tuple(kernel), stride, padding, dilation,
                     transposed=transposed, output_padding=output_padding,
                     in_channels=cin, out_channels=cout, groups=groups)


def correlate(x, w, stride=1, padding=0, dilation=1, groups=1) -> np.ndarray:
    """Cross-correlation, what deep-learning frameworks call convolution."""
    x, w, single = _split_channels(x, w)
    sp = _spec_for(x, w, stride, padding, dilation, groups, False, 0)
    out = _correlate_channels(x, w, sp)
    return out[0] if single else out


def convolve(x, w, stride=1, padding=0, dilation=1, groups=1) -> np.ndarray:
    """True (mathematical) convolution: correlation with the kernel flipped on every axis."""
    x0, w0, single = _split_channels(x, w)
    flipped = w0[(slice(None), slice(None)) + (slice(None, None, -1),) * (w0.ndim - 2)]
    sp = _spec_for(x0, flipped, stride, padding, dilation, groups, False, 0)
    out = _correlate_channels(x0, flipped, sp)
    return out[0] if single else out


def _correlate_channels(x, w, sp: ConvSpec) -> np.ndarray:
    cin_g = sp.in_channels // sp.groups
    cout_g = sp.out_channels // sp.groups
    out = _zeros((sp.out_channels,) + sp.output, _result_dtype(x, w))
    for g in range(sp.groups):
        for co in range(g * cout_g, (g + 1) * cout_g):
            acc = _zeros(sp.output, out.dtype)
            for cl in range(cin_g):
                xp = pad(x[g * cin_g + cl], sp.padding)
                acc = acc + _correlate_padded(xp, w[co, cl], sp.stride, sp.dilation, sp.output)
            out[co] = acc
    return out


def transposed_spec_for(x, w, stride=1, padding=0, dilation=1, groups=1, output_padding=0):
    x, w, _ = _split_channels(x, w)
    return _spec_for(x, w, stride, padding, dilation, groups, True, output_padding)


# --- the transposed convolution, three independent ways -------------------------------------


def _scatter_single(x, w, sp: ConvSpec):
    """Each input cell stamps the kernel, scaled by its value, at stride s; overlaps add."""
    canvas_shape = tuple((i - 1) * s + (k - 1) * d + 1 for i, s, k, d in
                         zip(sp.input, sp.stride, sp.kernel, sp.dilation))
    canvas = _zeros(canvas_shape, _result_dtype(x, w))
    for tap in iproduct(*(range(k) for k in w.shape)):
        dest = tuple(slice(t * d, t * d + (i - 1) * s + 1, s)
                     for t, d, i, s in zip(tap, sp.dilation, sp.input, sp.stride))
        canvas[dest] = canvas[dest] + w[tap] * x
    # crop the padding; output_padding may reach past the canvas (those cells stay zero)
    pads = tuple((-b, -(a - op)) for (b, a), op in zip(sp.padding, sp.output_padding))
    out = pad(canvas, pads)
    assert out.shape == sp.output, (out.shape, sp.output)
    return out


def _per_group_transposed(x, w, sp, single_fn):
    cin_g = sp.in_channels // sp.groups
    cout_g = sp.out_channels // sp.groups
    out = _zeros((sp.out_channels,) + sp.output, _result_dtype(x, w))
    for g in range(sp.groups):
        for cl_out in range(cout_g):
            co = g * cout_g + cl_out
            acc = _zeros(sp.output, out.dtype)
            for cl in range(cin_g):
                ci = g * cin_g + cl
                acc = acc + single_fn(x[ci], w[ci, cl_out], sp)
            out[co] = acc
    return out


def transposed_scatter(x, w, stride=1, padding=0, dilation=1, groups=1, output_padding=0):
    """Transposed convolution by superposition of scaled kernel stamps."""
    x, w, single = _split_channels(x, w)
    sp = _spec_for(x, w, stride, padding, dilation, groups, True, output_padding)
    out = _per_group_transposed(x, w, sp, _scatter_single)
    return out[0] if single else out


def equivalent_direct_padding(sp: ConvSpec) -> tuple[tuple[int, int], ...]:
    """Padding of the paper's equivalent direct convolution of a transposed one.

    Per axis: before = d(k−1) − p_before, after = d(k−1) − p_after + output_padding
    (the odd case's extra cells go after). Negative means cropping.
    """
    return tuple((kk - 1 - b, kk - 1 - a + op) for kk, (b, a), op in
                 zip(sp.effective_kernel, sp.padding, sp.output_padding))


def _direct_single(x, w, sp: ConvSpec):
    """Zeros between inputs, padding d(k−1)−p, flipped kernel, stride 1."""
    stretched = insert_zeros(x, tuple(s - 1 for s in sp.stride))
    xp = pad(stretched, equivalent_direct_padding(sp))
    flipped = w[(slice(None, None, -1),) * w.ndim]
    return _correlate_padded(xp, flipped, (1,) * sp.ndim, sp.dilation, sp.output)


def transposed_direct(x, w, stride=1, padding=0, dilation=1, groups=1, output_padding=0):
    """Transposed convolution as the paper's equivalent direct convolution."""
    x, w, single = _split_channels(x, w)
    sp = _spec_for(x, w, stride, padding, dilation, groups, True, output_padding)
    out = _per_group_transposed(x, w, sp, _direct_single)
    return out[0] if single else out


transposed_conv = transposed_scatter


def fraction_array(values) -> np.ndarray:
    """Convenience: an object array of Fractions (for exact rational examples)."""
    arr = np.asarray(values, dtype=object)
    return np.vectorize(Fraction, otypes=[object])(arr)

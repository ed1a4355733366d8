"""Storyboards: every number a scene shows must be the convolution's (PyTorch's) number."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings, strategies as st

import convmath as cm

CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
SETTINGS = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def torch_pads(pairs):
    out = []
    for b, a in reversed(pairs):
        out += [b, a]
    return out


def as_t(a):
    return torch.from_numpy(np.asarray(a, dtype=np.float64))[None, None]


def torch_correlate(sp, x, w):
    out = CONV[sp.ndim](F.pad(as_t(x), torch_pads(sp.padding)), as_t(w), None, sp.stride, 0,
                        sp.dilation)
    return out[0, 0].numpy().astype(np.int64)


def torch_transposed(t, x, w):
    """torch's transposed convolution; (before, after) padding crops torch's full result."""
    if t.symmetric:
        out = CONV_T[t.ndim](as_t(x), as_t(w), None, t.stride, [b for b, _ in t.padding],
                             t.output_padding, 1, t.dilation)
        return out[0, 0].numpy().astype(np.int64)
    full = CONV_T[t.ndim](as_t(x), as_t(w), None, t.stride, 0, 0, 1, t.dilation)
    full = full[0, 0].numpy().astype(np.int64)
    out = np.zeros(t.output, dtype=np.int64)
    src = tuple(slice(min(b, n), min(b + o, n)) for (b, _), o, n in
                zip(t.padding, t.output, full.shape))
    out[tuple(slice(0, s.stop - s.start) for s in src)] = full[src]
    return out


@st.composite
def conv_cases(draw):
    ndim = draw(st.sampled_from([1, 2, 3]))
    small = ndim > 1
    mode = draw(st.sampled_from(["int", "pairs", "valid", "same", "full"]))
    k, s, d, pads, i = [], [], [], [], []
    for _ in range(ndim):
        kk_ = draw(st.integers(1, 2 if ndim == 3 else 3 if small else 4))
        dd = draw(st.integers(1, 2 if small else 3))
        ss = draw(st.integers(1, 3))
        pb = draw(st.integers(0, 2)) if mode in ("int", "pairs") else 0
        pa = draw(st.integers(0, 2)) if mode == "pairs" else pb
        need = 1 if mode in ("same", "full") else max(1, dd * (kk_ - 1) + 1 - pb - pa)
        i.append(need + draw(st.integers(0, 1 if ndim == 3 else 3)))
        k.append(kk_), s.append(ss), d.append(dd), pads.append((pb, pa))
    padding = {"int": tuple(b for b, _ in pads), "pairs": tuple(pads)}.get(mode, mode)
    sp = cm.spec(tuple(i), tuple(k), tuple(s), padding, tuple(d))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return sp, rng.integers(-4, 5, size=sp.input), rng.integers(-4, 5, size=sp.kernel)


@st.composite
def transposed_cases(draw):
    asymmetric = draw(st.booleans())
    ndim = draw(st.sampled_from([1, 2, 3]))
    wide = ndim == 1
    k, s, d, op, p, i = [], [], [], [], [], []
    for _ in range(ndim):
        kk_ = draw(st.integers(1, 4 if wide else 2 if ndim == 3 else 3))
        ss = draw(st.integers(1, 6 if wide else 3))
        dd = draw(st.integers(1, 5 if wide else 2))
        oo = draw(st.integers(0, max(ss, dd) - 1))
        pb = draw(st.integers(0, 5 if wide else 2))
        pa = draw(st.integers(0, 5 if wide else 2)) if asymmetric else pb
        need = pb + pa - dd * (kk_ - 1) - oo
        i.append(1 + max(0, -(-need // ss)) + draw(st.integers(0, 3 if wide else 1)))
        k.append(kk_), s.append(ss), d.append(dd), op.append(oo), p.append((pb, pa))
    t = cm.transposed(tuple(i), tuple(k), tuple(s), tuple(p), tuple(d), output_padding=tuple(op))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return t, rng.integers(-4, 5, size=t.input), rng.integers(-4, 5, size=t.kernel)


# --- sliding kernel ----------------------------------------------------------------------------


@SETTINGS
@given(conv_cases(), st.sampled_from([cm.CORRELATION, cm.CONVOLUTION]))
def test_steps_add_up_to_the_convolution(case, op):
    sp, x, w = case
    board = cm.storyboard(sp, x, w, op)
    applied = w[(slice(None, None, -1),) * w.ndim] if op == cm.CONVOLUTION else w
    assert np.array_equal(board.kernel_applied, applied)
    expected = torch_correlate(sp, x, applied)
    if op == cm.CONVOLUTION:
        assert np.array_equal(expected, cm.convolve(x, w, sp.stride, sp.padding, sp.dilation))
    assert board.output.shape == sp.output
    assert np.array_equal(board.output.astype(np.int64), expected)
    assert len(board.steps) == int(np.prod(sp.output))
    assert board.padded.shape == sp.padded_input
    assert [s.output for s in board.steps] == list(np.ndindex(*sp.output))   # row-major order
    n_taps = int(np.prod(sp.kernel))
    for order, step in enumerate(board.steps):
        assert step.order == order
        assert step.total == expected[step.output]
        assert type(step.total) is int              # plain Python numbers for on-screen text
        assert step.window == tuple(o * s for o, s in zip(step.output, sp.stride))
        assert len(step.taps) == n_taps
        assert sum(t.product for t in step.taps) == step.total
        for tap in step.taps:
            assert tap.product == tap.x * tap.w
            assert tap.w == applied[tap.tap]
            assert tap.padded == tuple(wi + ti * d for wi, ti, d in
                                       zip(step.window, tap.tap, sp.dilation))
            assert tap.x == board.padded[tap.padded]
            src = tuple(c - b for c, (b, _) in zip(tap.padded, sp.padding))
            inside = all(0 <= v < n for v, n in zip(src, sp.input))
            if inside:
                assert tap.input == src
                assert tap.x == x[src]
                assert board.cell_kind[tap.padded] == "input"
            else:
                assert tap.input is None
                assert tap.x == 0
                assert board.cell_kind[tap.padded] == "padding"
    assert int((board.cell_kind == "input").sum()) == int(np.prod(sp.input))


def test_fraction_storyboard_is_exact():
    sp = cm.spec(4, 2, padding=1)
    x = cm.values.fraction_array([1, 2, 3, 4]) / 3
    w = np.array([Fraction(1, 2), Fraction(-2, 7)], dtype=object)
    board = cm.storyboard(sp, x, w)
    assert list(board.output) == list(cm.correlate(x, w, padding=1))
    for step in board.steps:
        assert isinstance(step.total, Fraction)
        for tap in step.taps:
            assert tap.product == tap.x * tap.w
    assert board.steps[0].taps[0].input is None and board.steps[0].taps[0].x == 0


def test_storyboard_refuses_mismatches():
    sp = cm.spec(4, 2)
    with pytest.raises(cm.ConvError):
        cm.storyboard(sp, np.arange(5), np.arange(2))
    with pytest.raises(cm.ConvError):
        cm.storyboard(sp, np.arange(4), np.arange(3))
    with pytest.raises(cm.ConvError):
        cm.storyboard(sp, np.arange(4), np.arange(2), op="flip")
    with pytest.raises(cm.ConvError):
        cm.storyboard(cm.transposed(4, 2), np.arange(4), np.arange(2))
    with pytest.raises(cm.ConvError):
        cm.direct_storyboard(sp, np.arange(4), np.arange(2))
    with pytest.raises(cm.ConvError):
        cm.superposition(sp, np.arange(4), np.arange(2))


# --- transposed: direct equivalent and superposition -------------------------------------------


@SETTINGS
@given(transposed_cases())
def test_direct_storyboard_is_the_transposed_convolution(case):
    t, x, w = case
    expected = torch_transposed(t, x, w)
    eq = cm.direct_storyboard(t, x, w)
    assert eq.zeros_between == tuple(s - 1 for s in t.stride)
    assert eq.padding == tuple((kk - 1 - b, kk - 1 - a + op) for kk, (b, a), op in
                               zip(t.effective_kernel, t.padding, t.output_padding))
    assert eq.conv.stride == (1,) * t.ndim and eq.conv.output == t.output
    assert np.array_equal(eq.storyboard.kernel_applied, w[(slice(None, None, -1),) * w.ndim])
    assert np.array_equal(eq.storyboard.output.astype(np.int64), expected)
    for step in eq.storyboard.steps:
        assert step.total == expected[step.output]
    assert eq.cell_kind.shape == eq.conv.padded_input
    # only "input" cells hold input values; inserted zeros and padding are zeros
    padded = eq.storyboard.padded
    assert all(padded[c] == 0 for c in np.ndindex(*padded.shape) if eq.cell_kind[c] != "input")
    n_input = int((eq.cell_kind == "input").sum())
    assert n_input <= int(np.prod(t.input))
    if all(b >= 0 and a >= 0 for b, a in eq.padding):
        # nothing cropped: the input cells, in order, are exactly x
        assert n_input == x.size
        assert list(padded[eq.cell_kind == "input"]) == list(x.reshape(-1))
        assert int((eq.cell_kind == "inserted").sum()) == (
            int(np.prod([(n - 1) * s + 1 for n, s in zip(t.input, t.stride)])) - x.size)


@SETTINGS
@given(transposed_cases())
def test_superposition_stamps_cover_exactly(case):
    t, x, w = case
    expected = torch_transposed(t, x, w)
    sup = cm.superposition(t, x, w)
    assert np.array_equal(sup.output.astype(np.int64), expected)
    assert sup.canvas_shape == tuple((i - 1) * s + d * (k - 1) + 1 for i, s, k, d in
                                     zip(t.input, t.stride, t.kernel, t.dilation))
    assert [st_.input for st_ in sup.stamps] == list(np.ndindex(*t.input))
    total = np.zeros(t.output, dtype=np.int64)
    hits = np.zeros(t.output, dtype=np.int64)
    for order, stamp in enumerate(sup.stamps):
        assert stamp.order == order and stamp.value == x[stamp.input]
        assert len(stamp.cells) == w.size
        for tap, canvas_cell, product, out_cell in stamp.cells:
            assert product == w[tap] * x[stamp.input]
            assert canvas_cell == tuple(q * s + k * d for q, s, k, d in
                                        zip(stamp.input, t.stride, tap, t.dilation))
            assert all(0 <= c < n for c, n in zip(canvas_cell, sup.canvas_shape))
            shifted = tuple(c - b for c, (b, _) in zip(canvas_cell, t.padding))
            if out_cell is None:
                assert not all(0 <= v < n for v, n in zip(shifted, t.output))
            else:
                assert out_cell == shifted
                total[out_cell] += product
                hits[out_cell] += 1
    assert np.array_equal(total, expected)
    assert np.array_equal(hits, sup.overlap)
    assert np.array_equal(sup.overlap, cm.overlap_map(t))
    ones = cm.transposed_scatter(np.ones(t.input, dtype=int), np.ones(t.kernel, dtype=int),
                                 t.stride, t.padding, t.dilation, 1, t.output_padding)
    assert np.array_equal(sup.overlap, ones)
    assert sup.crop == tuple((b, a - op) for (b, a), op in zip(t.padding, t.output_padding))


def test_paper_example_no_padding_unit_stride():
    """Relationship 8: 2x2 input, 3x3 kernel, s=1, p=0 -> the direct conv pads by k-1 = 2."""
    t = cm.transposed((2, 2), 3)
    x = np.array([[1, 2], [3, 4]])
    w = np.arange(9).reshape(3, 3)
    eq = cm.direct_storyboard(t, x, w)
    assert eq.padding == ((2, 2), (2, 2)) and t.output == (4, 4)
    assert np.array_equal(eq.storyboard.output.astype(int), torch_transposed(t, x, w))


@pytest.mark.parametrize("i, k, s, p, d, op", [
    (1, 1, 1, 2, 5, 4),     # the padding crops the only input cell away; output_padding adds zeros
    (1, 2, 6, 3, 1, 5),
    (2, 1, 5, 3, 1, 4),
    (4, 3, 2, 4, 1, 1),     # padding larger than d(k-1), still a positive output
])
def test_degenerate_transposed_storyboards(i, k, s, p, d, op):
    t = cm.transposed(i, k, s, p, d, output_padding=op)
    x = np.arange(1, i + 1)
    w = np.arange(1, k + 1) * 10
    expected = torch_transposed(t, x, w)
    eq = cm.direct_storyboard(t, x, w)
    assert np.array_equal(eq.storyboard.output.astype(np.int64), expected)
    assert eq.conv.output == t.output
    sup = cm.superposition(t, x, w)
    assert np.array_equal(sup.output.astype(np.int64), expected)

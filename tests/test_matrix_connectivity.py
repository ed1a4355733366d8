"""The matrix C and the connectivity built on it, against brute force and PyTorch."""

from __future__ import annotations

from itertools import product as iproduct

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings, strategies as st

import convmath as cm

CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def conv_specs(draw):
    """A single-channel convolution (any padding form) with integer values for x and w."""
    ndim = draw(st.sampled_from([1, 2, 3]))
    small = ndim == 3
    mode = draw(st.sampled_from(["int", "pairs", "valid", "same", "full"]))
    k, s, d, pads, i = [], [], [], [], []
    for _ in range(ndim):
        kk_ = draw(st.integers(1, 3 if small else 4))
        dd = draw(st.integers(1, 2 if small else 3))
        ss = draw(st.integers(1, 3))
        pb = draw(st.integers(0, 3)) if mode in ("int", "pairs") else 0
        pa = draw(st.integers(0, 3)) if mode == "pairs" else pb
        need = 1 if mode in ("same", "full") else max(1, dd * (kk_ - 1) + 1 - pb - pa)
        i.append(need + draw(st.integers(0, 2 if small else 4)))
        k.append(kk_), s.append(ss), d.append(dd), pads.append((pb, pa))
    padding = {"int": tuple(b for b, _ in pads), "pairs": tuple(pads)}.get(mode, mode)
    sp = cm.spec(tuple(i), tuple(k), tuple(s), padding, tuple(d))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(-4, 5, size=sp.input)
    w = rng.integers(-4, 5, size=sp.kernel)
    return sp, x, w


def brute_tap_matrix(sp):
    """C's taps straight from the definition: output o reads input o·s + t·d − p_before."""
    rows = int(np.prod(sp.output))
    cols = int(np.prod(sp.input))
    out = np.full((rows, cols), -1, dtype=np.int64)
    taps = list(iproduct(*(range(k) for k in sp.kernel)))
    for r, o in enumerate(iproduct(*(range(n) for n in sp.output))):
        for flat, t in enumerate(taps):
            cell = tuple(oi * s + ti * d - b for oi, s, ti, d, (b, _) in
                         zip(o, sp.stride, t, sp.dilation, sp.padding))
            if all(0 <= c < n for c, n in zip(cell, sp.input)):
                assert out[r, np.ravel_multi_index(cell, sp.input)] == -1
                out[r, np.ravel_multi_index(cell, sp.input)] = flat
    return out


def torch_correlate(sp, x, w):
    xt = torch.from_numpy(x.astype(np.float64))[None, None]
    pads = []
    for b, a in reversed(sp.padding):
        pads += [b, a]
    xt = F.pad(xt, pads)
    wt = torch.from_numpy(w.astype(np.float64))[None, None]
    return CONV[sp.ndim](xt, wt, None, sp.stride, 0, sp.dilation)[0, 0].numpy().astype(np.int64)


def transposed_of(sp):
    """The transposed convolution whose output has sp's input shape."""
    a = tuple((i + b + aa - kk) % s for i, (b, aa), kk, s in
              zip(sp.input, sp.padding, sp.effective_kernel, sp.stride))
    return cm.transposed(sp.output, sp.kernel, sp.stride, sp.padding, sp.dilation,
                         output_padding=a)


# --- the matrix ----------------------------------------------------------------------------------


@SETTINGS
@given(conv_specs())
def test_C_times_x_is_the_convolution(case):
    sp, x, w = case
    expected = torch_correlate(sp, x, w)
    c = cm.conv_matrix_dense(sp, w)
    assert c.shape == cm.matrix_shape(sp) == (int(np.prod(sp.output)), int(np.prod(sp.input)))
    assert np.array_equal(c.dot(x.reshape(-1)).reshape(sp.output), expected)
    assert np.array_equal(cm.apply_matrix(sp, w, x), expected)
    assert np.array_equal(cm.correlate(x, w, sp.stride, sp.padding, sp.dilation), expected)


@SETTINGS
@given(conv_specs())
def test_C_transposed_is_the_transposed_convolution(case):
    sp, _, w = case
    rng = np.random.default_rng(int(np.abs(w).sum()) + w.size)
    y = rng.integers(-4, 5, size=sp.output)
    t = transposed_of(sp)
    assert t.output == sp.input
    ct_y = cm.conv_matrix_dense(sp, w).T.dot(y.reshape(-1)).reshape(sp.input)
    # the transposed convolution's own C is the forward convolution's C
    assert np.array_equal(cm.tap_matrix(t), cm.tap_matrix(sp))
    assert np.array_equal(cm.apply_matrix(t, w, y), ct_y)
    for fn in (cm.transposed_scatter, cm.transposed_direct, cm.transposed_matrix):
        assert np.array_equal(fn(y, w, t.stride, t.padding, t.dilation, 1, t.output_padding),
                              ct_y), fn.__name__
    # Cᵀ is the adjoint: the gradient of <C x, y> with respect to x, here taken by torch
    xt = torch.zeros((1, 1) + sp.input, dtype=torch.float64, requires_grad=True)
    pads = []
    for b, a in reversed(sp.padding):
        pads += [b, a]
    out = CONV[sp.ndim](F.pad(xt, pads), torch.from_numpy(w.astype(np.float64))[None, None],
                        None, sp.stride, 0, sp.dilation)
    (out * torch.from_numpy(y.astype(np.float64))).sum().backward()
    assert np.array_equal(xt.grad[0, 0].numpy().astype(np.int64), ct_y)
    if sp.symmetric:
        ref = CONV_T[sp.ndim](torch.from_numpy(y.astype(np.float64))[None, None],
                              torch.from_numpy(w.astype(np.float64))[None, None], None,
                              sp.stride, [b for b, _ in sp.padding], t.output_padding, 1,
                              sp.dilation)
        assert np.array_equal(ref[0, 0].numpy().astype(np.int64), ct_y)


@SETTINGS
@given(conv_specs())
def test_tap_matrix_dense_and_sparse_agree(case):
    sp, _, w = case
    taps = cm.tap_matrix(sp)
    assert np.array_equal(taps, brute_tap_matrix(sp))
    dense = cm.conv_matrix_dense(sp, w)
    expected = np.where(taps >= 0, w.reshape(-1)[np.maximum(taps, 0)], 0)
    assert np.array_equal(dense, expected)
    sparse = cm.conv_matrix_sparse(sp, w)
    assert sparse.shape == dense.shape
    assert np.array_equal(sparse.toarray(), dense)
    wf = w / 4.0
    assert np.array_equal(cm.conv_matrix_sparse(sp, wf).toarray(), cm.conv_matrix_dense(sp, wf))
    r, c, t = cm.matrix_entries(sp)
    assert len(r) == int((taps >= 0).sum())
    assert cm.matrix.density(sp) == pytest.approx(len(r) / taps.size)
    # a distinct value per tap shows the weight sharing: entry == tap + 1 where not zero
    distinct = np.arange(1, w.size + 1).reshape(sp.kernel)
    assert np.array_equal(cm.conv_matrix_dense(sp, distinct), np.where(taps >= 0, taps + 1, 0))


def test_stride_one_matrix_is_toeplitz():
    sp = cm.spec(6, 3, padding=1)
    taps = cm.tap_matrix(sp)
    for r in range(taps.shape[0]):
        for c in range(taps.shape[1]):
            t = c - r + 1
            assert taps[r, c] == (t if 0 <= t < 3 else -1)


def test_fraction_kernel_matrix_is_exact():
    from fractions import Fraction
    sp = cm.spec((3, 3), 2)
    w = np.array([[Fraction(1, 3), Fraction(1, 2)], [Fraction(-1, 5), 1]], dtype=object)
    x = np.arange(9).reshape(3, 3)
    got = cm.apply_matrix(sp, w, x)
    assert got.dtype == object
    assert np.array_equal(got, cm.correlate(x, w))
    assert got[0, 0] == Fraction(1, 2) - Fraction(3, 5) + 4


# --- connectivity --------------------------------------------------------------------------------


@SETTINGS
@given(conv_specs(), st.booleans())
def test_links_reads_feeds_follow_C(case, transposed):
    sp, _, _ = case
    if transposed:
        sp = transposed_of(sp)
    taps = cm.tap_matrix(sp)
    rows_shape, cols_shape = (sp.input, sp.output) if sp.transposed else (sp.output, sp.input)
    links = cm.links(sp)
    assert len(links) == int((taps >= 0).sum())
    seen = set()
    for link in links:
        r = np.ravel_multi_index(link.row, rows_shape)
        c = np.ravel_multi_index(link.col, cols_shape)
        assert taps[r, c] == np.ravel_multi_index(link.tap, sp.kernel)
        seen.add((r, c))
    assert len(seen) == len(links)
    keys = [(np.ravel_multi_index(l.row, rows_shape), l.tap) for l in links]
    assert keys == sorted(keys)

    out_shape = sp.output
    in_shape = sp.input
    reads, feeds = cm.reads(sp), cm.feeds(sp)
    assert set(reads) == set(np.ndindex(*out_shape))
    assert set(feeds) == set(np.ndindex(*in_shape))
    for o, pairs in reads.items():
        for cell, tap in pairs:
            assert (o, tap) in feeds[cell]
    assert sum(map(len, reads.values())) == sum(map(len, feeds.values())) == len(links)
    if not sp.transposed:
        # output o reads input cells by the row of C; all in one kernel window
        for o, pairs in reads.items():
            row = taps[np.ravel_multi_index(o, out_shape)]
            assert sorted(np.ravel_multi_index(c, in_shape) for c, _ in pairs) == \
                sorted(np.flatnonzero(row >= 0).tolist())
        usage = cm.usage_count(sp)
        assert usage.shape == sp.input
        assert np.array_equal(usage.reshape(-1), (taps >= 0).sum(axis=0))
        for cell, pairs in feeds.items():
            assert usage[cell] == len(pairs)
        with pytest.raises(ValueError):
            cm.overlap_map(sp)


@SETTINGS
@given(conv_specs())
def test_usage_count_is_torch_gradient_of_ones(case):
    sp, _, _ = case
    xt = torch.zeros((1, 1) + sp.input, dtype=torch.float64, requires_grad=True)
    pads = []
    for b, a in reversed(sp.padding):
        pads += [b, a]
    out = CONV[sp.ndim](F.pad(xt, pads), torch.ones((1, 1) + sp.kernel, dtype=torch.float64),
                        None, sp.stride, 0, sp.dilation)
    out.sum().backward()
    assert np.array_equal(cm.usage_count(sp), xt.grad[0, 0].numpy().astype(np.int64))


@st.composite
def transposed_specs(draw):
    ndim = draw(st.sampled_from([1, 2, 3]))
    k, s, d, op, p, i = [], [], [], [], [], []
    for _ in range(ndim):
        kk_, ss, dd = draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 3))
        oo = draw(st.integers(0, max(ss, dd) - 1))
        pp = draw(st.integers(0, 4))
        need = 2 * pp - dd * (kk_ - 1) - oo
        i.append(1 + max(0, -(-need // ss)) + draw(st.integers(0, 2)))
        k.append(kk_), s.append(ss), d.append(dd), op.append(oo), p.append(pp)
    return cm.transposed(tuple(i), tuple(k), tuple(s), tuple(p), tuple(d),
                         output_padding=tuple(op))


@SETTINGS
@given(transposed_specs())
def test_overlap_map_is_scatter_of_ones(t):
    ones_x = np.ones(t.input, dtype=np.int64)
    ones_w = np.ones(t.kernel, dtype=np.int64)
    expected = cm.transposed_scatter(ones_x, ones_w, t.stride, t.padding, t.dilation, 1,
                                     t.output_padding)
    assert np.array_equal(cm.overlap_map(t), expected)
    ref = CONV_T[t.ndim](torch.ones((1, 1) + t.input, dtype=torch.float64),
                         torch.ones((1, 1) + t.kernel, dtype=torch.float64), None, t.stride,
                         [b for b, _ in t.padding], t.output_padding, 1, t.dilation)
    assert np.array_equal(cm.overlap_map(t), ref[0, 0].numpy().astype(np.int64))


def test_checkerboard_overlap_example():
    """Odena et al.: k=3, s=2 overlaps unevenly (1, 2, 1, 2, ...); k=4, s=2 evenly inside."""
    uneven = cm.overlap_map(cm.transposed(4, 3, stride=2))
    assert uneven.tolist() == [1, 1, 2, 1, 2, 1, 2, 1, 1]
    even = cm.overlap_map(cm.transposed(4, 4, stride=2, padding=1))
    assert even.tolist() == [1, 2, 2, 2, 2, 2, 2, 1]

"""convmath's transposed convolutions against PyTorch's conv_transpose.

The three constructions (stamps scattered, zeros inserted + direct convolution,
multiplication by Cᵀ) must agree with each other and with torch, exactly.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings, strategies as st

import convmath as cm

CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
WAYS = (cm.transposed_scatter, cm.transposed_direct, cm.transposed_matrix)


def from_torch(t):
    arr = t[0].detach().numpy()
    ints = np.rint(arr).astype(np.int64)
    assert np.array_equal(ints, arr)
    return ints


def torch_transposed(x, w, stride, padding, dilation, groups, output_padding):
    xt = torch.from_numpy(np.asarray(x, dtype=np.float64))[None]
    wt = torch.from_numpy(np.asarray(w, dtype=np.float64))
    return from_torch(CONV_T[x.ndim - 1](xt, wt, None, stride, padding, output_padding,
                                         groups, dilation))


def transposed_size(i, k, s, p_before, p_after, d, op):
    """PyTorch's documented formula, with the padding split into its two sides."""
    return (i - 1) * s - p_before - p_after + d * (k - 1) + op + 1


@st.composite
def transposed_cases(draw, asymmetric=False):
    ndim = draw(st.sampled_from([1, 2, 3]))
    wide = ndim == 1  # 1D is cheap: let strides, dilations and paddings grow
    groups = draw(st.integers(1, 2 if ndim == 3 else 3))
    cin = groups * draw(st.integers(1, 2))
    cout = groups * draw(st.integers(1, 2))
    k, s, d, op, pads, i = [], [], [], [], [], []
    for _ in range(ndim):
        kk_ = draw(st.integers(1, 3 if ndim == 3 else 4))
        ss = draw(st.integers(1, 6 if wide else 3))
        dd = draw(st.integers(1, 5 if wide else 3))
        oo = draw(st.integers(0, max(ss, dd) - 1))
        pb = draw(st.integers(0, 5 if wide else 3))
        pa = draw(st.integers(0, 5 if wide else 3)) if asymmetric else pb
        # the smallest input with a positive output, then a little more
        need = pb + pa - dd * (kk_ - 1) - oo
        i_min = 1 + max(0, -(-need // ss))
        i.append(i_min + draw(st.integers(0, 2 if ndim == 3 else 3)))
        k.append(kk_), s.append(ss), d.append(dd), op.append(oo), pads.append((pb, pa))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(-3, 4, size=(cin, *i))
    w = rng.integers(-3, 4, size=(cin, cout // groups, *k))
    padding = tuple(pads) if asymmetric else tuple(b for b, _ in pads)
    return dict(x=x, w=w, stride=tuple(s), padding=padding, dilation=tuple(d), groups=groups,
                output_padding=tuple(op))


def call(fn, c, x=None, w=None):
    return fn(c["x"] if x is None else x, c["w"] if w is None else w, c["stride"], c["padding"],
              c["dilation"], c["groups"], c["output_padding"])


@SETTINGS
@given(transposed_cases())
def test_three_ways_match_torch(c):
    x, w = c["x"], c["w"]
    expected = torch_transposed(x, w, c["stride"], c["padding"], c["dilation"], c["groups"],
                                c["output_padding"])
    sp = cm.transposed(x.shape[1:], w.shape[2:], c["stride"], c["padding"], c["dilation"],
                       output_padding=c["output_padding"], in_channels=x.shape[0],
                       out_channels=w.shape[1] * c["groups"], groups=c["groups"])
    assert sp.output == expected.shape[1:]
    assert sp.output == tuple(
        transposed_size(i, k, s, p, p, d, op) for i, k, s, p, d, op in
        zip(x.shape[1:], w.shape[2:], c["stride"], c["padding"], c["dilation"],
            c["output_padding"]))
    for fn in WAYS:
        got = call(fn, c)
        assert got.shape == expected.shape, fn.__name__
        assert np.array_equal(got, expected), fn.__name__
    # the convolution it is the transpose of: same C, and it maps the output size back to
    # the input size, except where output_padding >= stride (allowed when < dilation)
    fwd = sp.forward()
    assert not fwd.transposed and fwd.input == sp.output
    assert fwd.output == tuple(i + op // s for i, op, s in
                               zip(sp.input, c["output_padding"], c["stride"]))
    if fwd.output == sp.input:
        assert np.array_equal(cm.tap_matrix(fwd), cm.tap_matrix(sp))


@SETTINGS
@given(transposed_cases(asymmetric=True))
def test_asymmetric_padding_crops_torch_full_result(c):
    """convmath also takes (before, after) transposed padding: torch's full result, cropped."""
    x, w = c["x"], c["w"]
    full = torch_transposed(x, w, c["stride"], 0, c["dilation"], c["groups"], 0)
    out_shape = tuple(transposed_size(i, k, s, b, a, d, op) for i, k, s, (b, a), d, op in
                      zip(x.shape[1:], w.shape[2:], c["stride"], c["padding"], c["dilation"],
                          c["output_padding"]))
    expected = np.zeros((full.shape[0],) + out_shape, dtype=np.int64)
    # output cell j is full-result cell j + before (zero past the full result's end)
    src = tuple(slice(min(b, n), min(b + o, n)) for (b, _), o, n in
                zip(c["padding"], out_shape, full.shape[1:]))
    dst = tuple(slice(0, s_.stop - s_.start) for s_ in src)
    expected[(slice(None),) + dst] = full[(slice(None),) + src]
    for fn in WAYS:
        got = call(fn, c)
        assert got.shape == expected.shape, fn.__name__
        assert np.array_equal(got, expected), fn.__name__


@settings(max_examples=60, deadline=None)
@given(transposed_cases(), st.integers(2, 5), st.integers(2, 5))
def test_fractions_are_exact(c, qx, qw):
    xf = np.vectorize(lambda v: Fraction(int(v), qx), otypes=[object])(c["x"])
    wf = np.vectorize(lambda v: Fraction(int(v), qw), otypes=[object])(c["w"])
    reference = call(cm.transposed_scatter, c)
    for fn in WAYS:
        got = call(fn, c, xf, wf)
        assert got.dtype == object
        assert all(isinstance(v, (Fraction, int)) for v in got.flat), fn.__name__
        assert [v * qx * qw for v in got.flat] == [int(v) for v in reference.flat]


@pytest.mark.parametrize("i, k, s, p, d, op", [
    (1, 1, 1, 2, 5, 4),     # the padding crops the only input cell; output_padding adds zeros
    (1, 2, 6, 3, 1, 5),
    (2, 1, 5, 3, 1, 4),
    (4, 3, 2, 4, 1, 1),     # padding larger than d(k-1): torch accepts while the output is >= 1
    (4, 2, 1, 2, 1, 0),
])
def test_degenerate_paddings_torch_accepts(i, k, s, p, d, op):
    x = np.arange(1, i + 1)
    w = np.arange(1, k + 1) * 10
    expected = torch_transposed(x[None], w[None, None], s, p, d, 1, op)[0]
    for fn in WAYS:
        assert np.array_equal(fn(x, w, s, p, d, 1, op), expected), fn.__name__


# --- refusals ----------------------------------------------------------------------------------


def torch_refuses(ndim, i, k, s, p, d, op, cin, cout_per_group, groups):
    x = torch.zeros((1, cin) + tuple(i), dtype=torch.float64)
    w = torch.zeros((cin, cout_per_group) + tuple(k), dtype=torch.float64)
    try:
        CONV_T[ndim](x, w, None, tuple(s), tuple(p), tuple(op), groups, tuple(d))
    except (RuntimeError, ValueError):
        return True
    return False


def convmath_refuses(i, k, s, p, d, op, cin, cout, groups):
    try:
        cm.transposed(tuple(i), tuple(k), tuple(s), tuple(p), tuple(d), output_padding=tuple(op),
                      in_channels=cin, out_channels=cout, groups=groups)
    except cm.ConvError as e:
        assert isinstance(e, ValueError)
        assert str(e) and "\n" not in str(e) and any(ch.isdigit() for ch in str(e))
        return True
    return False


@st.composite
def wild_params(draw):
    ndim = draw(st.sampled_from([1, 2, 3]))
    axes = lambda lo, hi: tuple(draw(st.integers(lo, hi)) for _ in range(ndim))  # noqa: E731
    groups = draw(st.integers(1, 3))
    return dict(ndim=ndim, i=axes(0, 5), k=axes(0, 4), s=axes(-1, 3), p=axes(-1, 4),
                d=axes(-1, 3), op=axes(-1, 3), cin=draw(st.integers(1, 4)),
                cout_per_group=draw(st.integers(1, 2)), groups=groups)


@settings(max_examples=400, deadline=None)
@given(wild_params())
def test_refuses_exactly_when_torch_refuses(c):
    theirs = torch_refuses(c["ndim"], c["i"], c["k"], c["s"], c["p"], c["d"], c["op"], c["cin"],
                           c["cout_per_group"], c["groups"])
    ours = convmath_refuses(c["i"], c["k"], c["s"], c["p"], c["d"], c["op"], c["cin"],
                            c["cout_per_group"] * c["groups"], c["groups"])
    assert ours == theirs, c


@pytest.mark.parametrize("kwargs, numbers", [
    (dict(input=3, kernel=3, stride=2, output_padding=2), ["output_padding 2", "stride 2",
                                                          "dilation 1"]),
    (dict(input=3, kernel=3, stride=1, dilation=2, output_padding=2), ["2"]),
    (dict(input=3, kernel=3, output_padding=-1), ["-1"]),
    (dict(input=1, kernel=3, padding=2), ["-1"]),           # o = 0 - 4 + 2 + 1 = -1
    (dict(input=2, kernel=3, stride=2, padding=3), ["-1"]),  # o = 2 - 6 + 2 + 1 = -1
    (dict(input=3, kernel=3, padding="same"), ["same"]),
    (dict(input=3, kernel=3, in_channels=3, groups=2), ["3", "2"]),
    (dict(input=3, kernel=3, in_channels=2, out_channels=3, groups=2), ["3", "2"]),
])
def test_refusal_messages(kwargs, numbers):
    with pytest.raises(cm.ConvError) as info:
        cm.transposed(**kwargs)
    msg = str(info.value)
    assert "\n" not in msg
    for n in numbers:
        assert n in msg, (n, msg)


def test_output_padding_rule_is_stride_or_dilation():
    """torch: output_padding < stride OR < dilation; so 1 is fine at stride 1, dilation 2."""
    x, w = np.array([1, 2, 3]), np.array([1, 1, 1])
    expected = torch_transposed(x[None], w[None, None], 1, 0, 2, 1, 1)[0]
    assert cm.transposed(3, 3, 1, 0, 2, output_padding=1).output == expected.shape
    for fn in WAYS:
        assert np.array_equal(fn(x, w, 1, 0, 2, 1, 1), expected)
    with pytest.raises(RuntimeError):
        torch_transposed(x[None], w[None, None], 1, 0, 2, 1, 2)
    with pytest.raises(cm.ConvError):
        cm.transposed(3, 3, 1, 0, 2, output_padding=2)


# --- transpose plans -----------------------------------------------------------------------------

CONV_T_MODULE = {1: torch.nn.ConvTranspose1d, 2: torch.nn.ConvTranspose2d,
                 3: torch.nn.ConvTranspose3d}


@st.composite
def conv_specs(draw):
    ndim = draw(st.sampled_from([1, 2, 3]))
    mode = draw(st.sampled_from(["int", "int", "pairs", "valid", "same", "full"]))
    groups = draw(st.integers(1, 2))
    cin, cout = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    k, s, d, pads, i = [], [], [], [], []
    for _ in range(ndim):
        kk_, dd, ss = draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.integers(1, 4))
        pb = draw(st.integers(0, 3)) if mode in ("int", "pairs") else 0
        pa = draw(st.integers(0, 3)) if mode == "pairs" else pb
        need = 1 if mode in ("same", "full") else max(1, dd * (kk_ - 1) + 1 - pb - pa)
        i.append(need + draw(st.integers(0, 5 if ndim == 1 else 2)))
        k.append(kk_), s.append(ss), d.append(dd), pads.append((pb, pa))
    padding = {"int": tuple(b for b, _ in pads), "pairs": tuple(pads)}.get(mode, mode)
    return cm.spec(tuple(i), tuple(k), tuple(s), padding, tuple(d), in_channels=cin,
                   out_channels=cout, groups=groups)


@settings(max_examples=150, deadline=None)
@given(conv_specs(), st.integers(0, 2**32 - 1))
def test_plan_transpose_restores_the_input_shape(conv, seed):
    plan = cm.plan_transpose(conv)
    t = plan.transposed
    assert t.transposed and t.output == conv.input and t.input == conv.output
    assert (t.in_channels, t.out_channels, t.groups) == (conv.out_channels, conv.in_channels,
                                                          conv.groups)
    a = tuple((i + b + aa - (d * (k - 1) + 1)) % s for i, (b, aa), k, s, d in
              zip(conv.input, conv.padding, conv.kernel, conv.stride, conv.dilation))
    assert plan.a == a == t.output_padding
    assert plan.zeros_between == tuple(s - 1 for s in conv.stride)
    assert plan.direct_padding == cm.equivalent_direct_padding(t)
    kw = plan.pytorch
    if not conv.symmetric:
        assert kw["padding"] is None
        return
    module = CONV_T_MODULE[conv.ndim](conv.out_channels, conv.in_channels, groups=conv.groups,
                                      bias=False, dtype=torch.float64, **kw)
    rng = np.random.default_rng(seed)
    w = rng.integers(-3, 4, size=tuple(module.weight.shape))
    y = rng.integers(-3, 4, size=(conv.out_channels,) + conv.output)
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(w.astype(np.float64)))
        out = module(torch.from_numpy(y.astype(np.float64))[None])
    assert tuple(out.shape) == (1, conv.in_channels) + conv.input
    ours = cm.transposed_scatter(y, w, t.stride, t.padding, t.dilation, t.groups,
                                 t.output_padding)
    assert np.array_equal(ours, out[0].numpy().astype(np.int64))
    # and the transposed convolution is the adjoint of the convolution (torch's gradient)
    x = torch.zeros((1, conv.in_channels) + conv.input, dtype=torch.float64, requires_grad=True)
    fwd = CONV_FN[conv.ndim](x, torch.from_numpy(w.astype(np.float64)), None, conv.stride,
                             [b for b, _ in conv.padding], conv.dilation, conv.groups)
    (fwd * torch.from_numpy(y.astype(np.float64))[None]).sum().backward()
    assert np.array_equal(ours, x.grad[0].numpy().astype(np.int64))


CONV_FN = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 12), st.integers(1, 5), st.integers(1, 4), st.integers(0, 4))
def test_paper_relationships_12_to_14(i, k, s, p):
    """Dumoulin & Visin 12-14 (and 8-11 at s = 1), d = 1, against the plan and torch."""
    if k > i + 2 * p:
        return
    conv = cm.spec(i, k, s, p)
    plan = cm.plan_transpose(conv)
    i2 = conv.output[0]
    a = (i + 2 * p - k) % s
    o2 = s * (i2 - 1) + a + k - 2 * p                       # relationship 14
    if a == 0:
        assert o2 == s * (i2 - 1) + k - 2 * p               # relationship 13
        if p == 0:
            assert o2 == s * (i2 - 1) + k                   # relationship 12
    if s == 1:
        assert a == 0 and o2 == i2 + (k - 1) - 2 * p        # relationship 9
        if p == 0:
            assert plan.paper["p'"] == [[k - 1, k - 1]]     # relationship 8
        if k % 2 == 1 and p == k // 2:
            assert o2 == i2 and plan.paper["p'"] == [[p, p]]  # relationship 10
        if p == k - 1:
            assert o2 == i2 - (k - 1) and plan.paper["p'"] == [[0, 0]]  # relationship 11
    paper = plan.paper
    assert paper["a"] == [a]
    assert paper["i'"] == [i2] and paper["o'"] == [o2] == [i]
    assert paper["k'"] == [k] and paper["s'"] == [1] and paper["zeros_between"] == [s - 1]
    assert paper["p'"] == [[k - p - 1, k - p - 1 + a]]      # the a extra zeros go after
    ref = F.conv_transpose1d(torch.zeros(1, 1, i2, dtype=torch.float64),
                             torch.zeros(1, 1, k, dtype=torch.float64), stride=s, padding=p,
                             output_padding=a)
    assert ref.shape[-1] == o2


def test_plan_transpose_refuses_transposed():
    with pytest.raises(cm.ConvError):
        cm.plan_transpose(cm.transposed(3, 3))


@settings(max_examples=60, deadline=None)
@given(transposed_cases(), st.integers(0, 2**32 - 1))
def test_large_integers_stay_exact(c, seed):
    """Past int64, the three ways must still be exact (torch checks the small parts)."""
    shift = 21
    rng = np.random.default_rng(seed)
    xh, xl = (rng.integers(-2**20, 2**20, size=c["x"].shape) for _ in range(2))
    wh, wl = (rng.integers(-2**20, 2**20, size=c["w"].shape) for _ in range(2))
    rest = (c["stride"], c["padding"], c["dilation"], c["groups"], c["output_padding"])
    expected = sum(torch_transposed(a, b, *rest).astype(object) * 2**(shift * e)
                   for a, b, e in ((xh, wh, 2), (xh, wl, 1), (xl, wh, 1), (xl, wl, 0)))
    x = xh.astype(np.int64) * 2**shift + xl
    w = wh.astype(np.int64) * 2**shift + wl
    for fn in WAYS:
        got = fn(x, w, *rest)
        assert got.tolist() == expected.tolist(), fn.__name__

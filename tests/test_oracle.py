"""convmath's convolutions against PyTorch, the oracle.

Shapes and values must agree exactly: small integer inputs go through torch in
float64 (exact for these magnitudes) and come back as ints. Parameters torch
refuses must make convmath raise ConvError, and the other way round, with one
documented difference: TensorFlow SAME padding with a stride (torch refuses
padding='same' for strided convolutions; convmath's 'same' is TF SAME).
"""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings, strategies as st

import convmath as cm

CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


# --- helpers: independent of convmath ----------------------------------------------------------


def tf_same(i, k, s, d):
    """TensorFlow SAME (before, after) for one axis, written out from TF's documentation."""
    o = -(-i // s)
    total = max((o - 1) * s + d * (k - 1) + 1 - i, 0)
    return total // 2, total - total // 2


def torch_pad_arg(pairs):
    """F.pad wants (last_before, last_after, previous_before, ...)."""
    out = []
    for b, a in reversed(pairs):
        out += [b, a]
    return out


def to_torch(a):
    return torch.from_numpy(np.asarray(a, dtype=np.float64))[None]


def from_torch(t):
    arr = t[0].detach().numpy()
    ints = np.rint(arr).astype(np.int64)
    assert np.array_equal(ints, arr), "torch result is not integral"
    return ints


def torch_conv(x, w, stride, padding, dilation, groups, mode):
    """torch's answer for a convmath-style call (x: (C_in, *i), w: (C_out, C_in/g, *k))."""
    ndim = x.ndim - 1
    xt, wt = to_torch(x), torch.from_numpy(np.asarray(w, dtype=np.float64))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if mode == "pairs":
            xt = F.pad(xt, torch_pad_arg(padding))
            padding = 0
        elif mode == "full":   # convmath's name for d(k-1) on each side
            padding = tuple(d * (k - 1) for k, d in zip(w.shape[2:], dilation))
        elif mode == "same" and any(s > 1 for s in stride):
            pads = [tf_same(i, k, s, d) for i, k, s, d in
                    zip(x.shape[1:], w.shape[2:], stride, dilation)]
            xt = F.pad(xt, torch_pad_arg(pads))
            padding = 0
        return from_torch(CONV[ndim](xt, wt, None, stride, padding, dilation, groups))


@st.composite
def conv_cases(draw, modes=("int", "pairs", "valid", "same", "full")):
    ndim = draw(st.sampled_from([1, 2, 3]))
    small = ndim == 3
    groups = draw(st.integers(1, 2 if small else 3))
    cin = groups * draw(st.integers(1, 2))
    cout = groups * draw(st.integers(1, 2))
    mode = draw(st.sampled_from(modes))
    k, s, d, pads, i = [], [], [], [], []
    for _ in range(ndim):
        kk_ = draw(st.integers(1, 3 if small else 4))
        dd = draw(st.integers(1, 2 if small else 3))
        ss = draw(st.integers(1, 3))
        if mode == "int":
            p = draw(st.integers(0, 2 if small else 3))
            pb, pa = p, p
        elif mode == "pairs":
            pb, pa = draw(st.integers(0, 3)), draw(st.integers(0, 3))
        else:
            pb = pa = 0
        need = 1 if mode in ("same", "full") else max(1, dd * (kk_ - 1) + 1 - pb - pa)
        i.append(need + draw(st.integers(0, 2 if small else 4)))
        k.append(kk_), s.append(ss), d.append(dd), pads.append((pb, pa))
    if mode == "int":
        padding = tuple(b for b, _ in pads)
    elif mode == "pairs":
        padding = tuple(pads)
    else:
        padding = mode
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(-3, 4, size=(cin, *i))
    w = rng.integers(-3, 4, size=(cout, cin // groups, *k))
    return dict(x=x, w=w, stride=tuple(s), padding=padding, dilation=tuple(d), groups=groups,
                mode=mode)


# --- values and shapes -------------------------------------------------------------------------


@SETTINGS
@given(conv_cases())
def test_correlate_matches_torch(case):
    x, w, mode = case["x"], case["w"], case["mode"]
    args = (case["stride"], case["padding"], case["dilation"], case["groups"])
    sp = cm.spec(x.shape[1:], w.shape[2:], case["stride"], case["padding"], case["dilation"],
                 in_channels=x.shape[0], out_channels=w.shape[0], groups=case["groups"])
    expected = torch_conv(x, w, *args, mode)
    assert sp.output == expected.shape[1:]
    got = cm.correlate(x, w, *args)
    assert got.dtype.kind == "i"
    assert got.shape == expected.shape
    assert np.array_equal(got, expected)
    if mode == "same":
        assert sp.padding == tuple(tf_same(i, k, s, d) for i, k, s, d in
                                   zip(sp.input, sp.kernel, sp.stride, sp.dilation))


@SETTINGS
@given(conv_cases(modes=("same",)))
def test_same_is_torch_same_at_stride_one(case):
    """At stride 1, TF SAME is torch's padding='same' (extra cell after)."""
    x, w = case["x"], case["w"]
    stride = (1,) * (x.ndim - 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = from_torch(CONV[x.ndim - 1](to_torch(x), torch.from_numpy(w.astype(np.float64)),
                                               None, stride, "same", case["dilation"],
                                               case["groups"]))
    got = cm.correlate(x, w, stride, "same", case["dilation"], case["groups"])
    assert np.array_equal(got, expected)
    assert got.shape[1:] == x.shape[1:]


@SETTINGS
@given(conv_cases(), st.booleans())
def test_convolve_is_correlate_with_flipped_kernel(case, single):
    x, w = case["x"], case["w"]
    args = (case["stride"], case["padding"], case["dilation"], case["groups"])
    if single:  # the single-channel call: spatial arrays only
        x, w, args = x[0], w[0, 0], args[:3] + (1,)
    flipped = w[(Ellipsis,) + (slice(None, None, -1),) * (x.ndim - (0 if single else 1))]
    got = cm.convolve(x, w, *args)
    assert np.array_equal(got, cm.correlate(x, flipped, *args))
    if single:
        ref = torch_conv(x[None], flipped[None, None], *args, case["mode"])[0]
    else:
        ref = torch_conv(x, flipped, *args, case["mode"])
    assert np.array_equal(got, ref)


@settings(max_examples=60, deadline=None)
@given(conv_cases(), st.integers(2, 7), st.integers(2, 5))
def test_fractions_are_exact(case, qx, qw):
    x, w = case["x"], case["w"]
    args = (case["stride"], case["padding"], case["dilation"], case["groups"])
    xf = np.vectorize(lambda v: Fraction(int(v), qx), otypes=[object])(x)
    wf = np.vectorize(lambda v: Fraction(int(v), qw), otypes=[object])(w)
    got = cm.correlate(xf, wf, *args)
    assert got.dtype == object
    assert all(isinstance(v, (Fraction, int)) for v in got.flat)
    assert any(isinstance(v, Fraction) for v in got.flat)
    scaled = np.vectorize(lambda v: v * qx * qw, otypes=[object])(got)
    assert all(v.denominator == 1 for v in map(Fraction, scaled.flat))
    expected = torch_conv(x, w, *args, case["mode"])
    assert np.array_equal(scaled.astype(np.int64), expected)
    conv = cm.convolve(xf, wf, *args)
    assert all(isinstance(v, (Fraction, int)) for v in conv.flat)


def test_fraction_example_by_hand():
    x = cm.values.fraction_array([1, 2, 3, 4])
    w = np.array([Fraction(1, 3), Fraction(1, 2)], dtype=object)
    out = cm.correlate(x, w)
    assert list(out) == [Fraction(4, 3), Fraction(13, 6), Fraction(3)]
    assert all(isinstance(v, Fraction) for v in out)


def test_documented_example_values():
    # The paper's Figure 2.1-style example: 5x5 input, 3x3 kernel, no padding, stride 1.
    x = np.arange(25).reshape(5, 5)
    w = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]])
    expected = from_torch(F.conv2d(to_torch(x[None]), torch.from_numpy(w[None, None] * 1.0)))[0]
    assert np.array_equal(cm.correlate(x, w), expected)


# --- refusals ----------------------------------------------------------------------------------


def torch_refuses(ndim, i, k, s, p, d, cin, cout, groups, name):
    x = torch.zeros((1, cin) + tuple(i), dtype=torch.float64)
    w = torch.zeros((cout, max(cin // groups, 1)) + tuple(k), dtype=torch.float64)
    padding = name if name else tuple(p)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            CONV[ndim](x, w, None, tuple(s), padding, tuple(d), groups)
    except (RuntimeError, ValueError):
        return True
    return False


def convmath_refuses(i, k, s, p, d, cin, cout, groups, name):
    try:
        cm.spec(tuple(i), tuple(k), tuple(s), name if name else tuple(p), tuple(d),
                in_channels=cin, out_channels=cout, groups=groups)
    except cm.ConvError as e:
        msg = str(e)
        assert isinstance(e, ValueError)
        assert msg and "\n" not in msg and any(ch.isdigit() for ch in msg)
        return True
    return False


@st.composite
def wild_conv_params(draw):
    ndim = draw(st.sampled_from([1, 2, 3]))
    axes = lambda lo, hi: tuple(draw(st.integers(lo, hi)) for _ in range(ndim))  # noqa: E731
    return dict(ndim=ndim, i=axes(0, 6), k=axes(0, 5), s=axes(-1, 3), p=axes(-1, 3),
                d=axes(-1, 3), cin=draw(st.integers(1, 4)), cout=draw(st.integers(1, 4)),
                groups=draw(st.integers(1, 3)),
                name=draw(st.sampled_from([None, None, None, "valid", "same"])))


@settings(max_examples=400, deadline=None)
@given(wild_conv_params())
def test_refuses_exactly_when_torch_refuses(c):
    args = (c["i"], c["k"], c["s"], c["p"], c["d"], c["cin"], c["cout"], c["groups"], c["name"])
    ours = convmath_refuses(*args)
    strided_same = c["name"] == "same" and all(v >= 1 for v in c["s"]) and any(
        v > 1 for v in c["s"])
    if strided_same:
        # Documented difference: torch refuses padding='same' with a stride, convmath's
        # 'same' is TF SAME. convmath must decide like torch given TF SAME's explicit pads.
        assert torch_refuses(*((c["ndim"],) + args))
        if all(v >= 1 for v in c["d"]) and all(v >= 1 for v in c["i"]):
            pads = [tf_same(i, k, s, d) for i, k, s, d in zip(c["i"], c["k"], c["s"], c["d"])]
            i2 = tuple(i + b + a for i, (b, a) in zip(c["i"], pads))
            theirs = torch_refuses(c["ndim"], i2, c["k"], c["s"], (0,) * c["ndim"], c["d"],
                                   c["cin"], c["cout"], c["groups"], None)
        else:
            theirs = True
        assert ours == theirs
    else:
        assert ours == torch_refuses(*((c["ndim"],) + args)), c


def test_strided_same_is_accepted_unlike_torch():
    """The documented difference, spelled out: TF SAME with stride 2."""
    x = np.arange(1, 8)
    w = np.array([1, 2, 3])
    with pytest.raises(RuntimeError, match="same"):
        F.conv1d(to_torch(x[None]), torch.ones(1, 1, 3, dtype=torch.float64), stride=2,
                 padding="same")
    sp = cm.spec(7, 3, stride=2, padding="same")
    assert sp.output == (4,) and sp.padding == ((1, 1),)
    sp = cm.spec(6, 3, stride=2, padding="same")
    assert sp.output == (3,) and sp.padding == ((0, 1),)   # the extra cell goes after
    got = cm.correlate(np.arange(1, 7), w, 2, "same")
    ref = from_torch(F.conv1d(F.pad(to_torch(np.arange(1, 7)[None]), [0, 1]),
                              torch.tensor([[[1.0, 2.0, 3.0]]], dtype=torch.float64), stride=2))
    assert np.array_equal(got, ref[0])


@pytest.mark.parametrize("kwargs, numbers", [
    (dict(input=5, kernel=7), ["7", "5"]),
    (dict(input=7, kernel=5, dilation=2), ["5", "9", "7"]),
    (dict(input=5, kernel=3, stride=0), ["stride", "0"]),
    (dict(input=5, kernel=3, dilation=0), ["dilation", "0"]),
    (dict(input=5, kernel=3, padding=-1), ["-1"]),
    (dict(input=(5, 5), kernel=3, padding=((0, 1), (-2, 0))), ["-2"]),
    (dict(input=5, kernel=3, in_channels=3, groups=2), ["3", "2"]),
    (dict(input=5, kernel=3, out_channels=3, in_channels=2, groups=2), ["3", "2"]),
    (dict(input=0, kernel=1), ["0"]),
    (dict(input=4, kernel=0), ["0"]),
    (dict(input=(4, 4), kernel=(3, 3, 3)), ["3", "2"]),
    (dict(input=4, kernel=3, stride=1.5), ["1.5"]),
    (dict(input=4, kernel=3, padding="half"), ["half"]),
])
def test_refusal_messages_name_the_numbers(kwargs, numbers):
    with pytest.raises(cm.ConvError) as info:
        cm.spec(**kwargs)
    msg = str(info.value)
    assert "\n" not in msg
    for n in numbers:
        assert n in msg, (n, msg)


def test_correlate_refuses_channel_mismatch():
    with pytest.raises(cm.ConvError, match="3"):
        cm.correlate(np.zeros((3, 5), dtype=int), np.zeros((2, 2, 3), dtype=int))
    with pytest.raises(cm.ConvError):
        cm.correlate(np.zeros((4, 5), dtype=int), np.zeros((3, 2, 3), dtype=int), groups=2)


# --- exactness past int64 ----------------------------------------------------------------------

SHIFT = 21  # parts below 2**20: every torch float64 sum of their products stays exact


@settings(max_examples=60, deadline=None)
@given(conv_cases(modes=("int", "pairs", "same")), st.integers(0, 2**32 - 1))
def test_large_integers_stay_exact(case, seed):
    """Products past int64 must not wrap around: split x and w into parts torch sums exactly."""
    args = (case["stride"], case["padding"], case["dilation"], case["groups"])
    rng = np.random.default_rng(seed)
    parts = [rng.integers(-2**20, 2**20, size=a.shape) for a in
             (case["x"], case["x"], case["w"], case["w"])]
    xh, xl, wh, wl = parts
    x = xh.astype(object) * 2**SHIFT + xl.astype(object)
    w = wh.astype(object) * 2**SHIFT + wl.astype(object)
    expected = sum(torch_conv(a, b, *args, case["mode"]).astype(object) * 2**(SHIFT * e)
                   for a, b, e in ((xh, wh, 2), (xh, wl, 1), (xl, wh, 1), (xl, wl, 0)))
    # as int64 arrays (they fit) and as lists of Python ints: both must be exact
    for xs, ws in ((x.astype(np.int64), w.astype(np.int64)), (x.tolist(), w.tolist())):
        got = cm.correlate(xs, ws, *args)
        assert all(type(v) is int for v in got.flat)
        assert got.tolist() == expected.tolist()


def test_large_integer_examples():
    big = 2**40
    assert cm.correlate([big, 1], [big]).tolist() == [big * big, big]
    assert cm.convolve(np.array([big, 3]), np.array([big, 1])).tolist() == [big * 3 + big]
    assert cm.correlate(np.array([2**63 + 5], dtype=np.uint64), [1]).tolist() == [2**63 + 5]
    assert cm.apply_matrix(cm.spec(2, 1), [big], [big, 1]).tolist() == [big * big, big]
    board = cm.storyboard(cm.spec(2, 1), [big, 1], [big])
    assert board.output.tolist() == [big * big, big]
    assert board.steps[0].total == big * big


def test_numpy_integers_are_accepted_like_torch():
    n = np.int64
    sp = cm.spec(n(7), n(3), stride=n(2), padding=np.int32(1), dilation=np.int16(1),
                 in_channels=n(2), out_channels=n(4), groups=n(2))
    assert sp == cm.spec(7, 3, 2, 1, 1, in_channels=2, out_channels=4, groups=2)
    assert all(type(v) is int for v in sp.input + sp.kernel + sp.stride + sp.output)
    assert F.conv1d(torch.zeros(1, 2, 7), torch.zeros(4, 1, 3), stride=n(2), padding=n(1),
                    groups=2).shape[-1] == sp.output[0]
    sp2 = cm.spec((n(5), 4), (3, n(2)), padding=((n(1), 2), n(0)))
    assert sp2.padding == ((1, 2), (0, 0)) and all(type(b) is int for b, _ in sp2.padding)
    with pytest.raises(cm.ConvError):
        cm.spec(5, True)

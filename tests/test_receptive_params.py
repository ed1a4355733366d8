"""Receptive fields against brute force (torch autograd), parameter counts against torch."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

import convmath as cm
from convmath import networks
from convmath.receptive import Layer


@st.composite
def stacks(draw, max_padding_half=False):
    layers = []
    for _ in range(draw(st.integers(1, 4))):
        k = draw(st.integers(1, 5))
        d = draw(st.integers(1, 3))
        s = draw(st.integers(1, 3))
        kk = d * (k - 1) + 1
        p = draw(st.integers(0, (kk - 1) // 2 if max_padding_half else kk - 1))
        layers.append(Layer(k, s, p, d))
    return layers


def propagate(layers, out_cells, sizes=None):
    """Brute force: the input cells output cells read, layer by layer back to the input.

    With ``sizes`` (the feature size before each layer) cells outside a feature map are
    padding: zeros that read nothing. Without, padding cells are followed as virtual cells.
    """
    cells = set(out_cells)
    for n, layer in reversed(list(enumerate(layers))):
        prev = set()
        for u in cells:
            for t in range(layer.kernel):
                v = u * layer.stride + t * layer.dilation - layer.padding
                if sizes is None or 0 <= v < sizes[n]:
                    prev.add(v)
        cells = prev
    return cells


def sizes_through(layers, n):
    sizes = [n]
    for layer in layers:
        sp = cm.spec(sizes[-1], layer.kernel, layer.stride, layer.padding, layer.dilation)
        sizes.append(sp.output[0])
    return sizes


def torch_field(layers, n):
    """Input cells with a non-zero gradient of output cell 0 (all-ones weights)."""
    x = torch.zeros(1, 1, n, dtype=torch.float64, requires_grad=True)
    h = x
    for layer in layers:
        h = F.conv1d(h, torch.ones(1, 1, layer.kernel, dtype=torch.float64), None, layer.stride,
                     layer.padding, layer.dilation)
    h[0, 0, 0].backward()
    return set(np.flatnonzero(x.grad[0, 0].numpy()).tolist())


@settings(max_examples=150, deadline=None)
@given(stacks(), st.integers(0, 30))
def test_receptive_field_matches_torch_and_brute_force(layers, extra):
    fields = cm.receptive_field(layers)
    last = fields[-1]
    # the smallest input every layer accepts, plus some
    n = 1
    while True:
        try:
            sizes = sizes_through(layers, n)
            break
        except cm.ConvError:
            n += 1
    n += extra
    sizes = sizes_through(layers, n)
    real = torch_field(layers, n)
    assert real == propagate(layers, [0], sizes[:-1])   # the brute force model is torch's
    virtual = propagate(layers, [0])                     # padding cells followed through
    lo, hi = last.first_cell_span
    assert (min(virtual), max(virtual)) == (lo, hi)
    assert last.size == hi - lo + 1 == cm.closed_form_size(layers)
    assert last.effective_padding == -lo
    assert last.center == Fraction(lo + hi, 2)
    # the field, clipped to the input, contains every cell output 0 reads
    assert real <= set(range(max(lo, 0), min(hi, n - 1) + 1))
    if not any(layer.padding for layer in layers[1:]):
        # only the input itself is padded: the real field is the virtual one, clipped
        assert real == virtual & set(range(n))
    # the jump: neighbouring outputs' fields are j input cells apart
    if sizes[-1] > 1:
        assert min(propagate(layers, [1])) - min(virtual) == last.jump
    assert last.jump == int(np.prod([l.stride for l in layers]))
    # every layer: iterative fields agree with the closed form on its prefix
    for m, f in enumerate(fields, 1):
        assert f.size == cm.closed_form_size(layers[:m])


@settings(max_examples=100, deadline=None)
@given(stacks(max_padding_half=True), st.integers(0, 20))
def test_field_extent_with_padding_is_clipped_span(layers, extra):
    """At most half padding, no dilation holes at the ends: extent == clipped span."""
    layers = [Layer(l.kernel, l.stride, min(l.padding, (l.kernel - 1) // 2), 1) for l in layers]
    n = max(cm.closed_form_size(layers), 1) + extra
    real = torch_field(layers, n)
    lo, hi = cm.receptive_field(layers)[-1].first_cell_span
    assert (min(real), max(real)) == (max(lo, 0), min(hi, n - 1))


def test_receptive_field_worked_example():
    """Dang Ha The Hien's example: two 3x3 convs, stride 2, padding 1 on a 5x5 input."""
    fields = cm.receptive_field([(3, 2, 1), (3, 2, 1)])
    assert [(f.size, f.jump, f.center) for f in fields] == [(3, 2, Fraction(0)),
                                                           (7, 4, Fraction(0))]
    assert fields[-1].first_cell_span == (-3, 3)
    vgg_like = cm.receptive_field([(3, 1, 1)] * 2 + [(2, 2, 0)] + [(3, 1, 1)] * 2)
    assert vgg_like[-1].size == 1 + 2 + 2 + 1 + 2 * 2 + 2 * 2 == 14
    dilated = cm.receptive_field([dict(kernel=3, dilation=2), dict(kernel=3, dilation=4)])
    assert dilated[-1].size == 1 + 4 + 8


def test_layer_refusals():
    for bad in (dict(kernel=0), dict(kernel=3, stride=0), dict(kernel=3, padding=-1),
                dict(kernel=3, dilation=0), dict(kernel=2.5)):
        with pytest.raises(cm.ConvError):
            Layer(**bad)
    with pytest.raises(cm.ConvError):
        cm.receptive_field([])


# --- parameter counts ----------------------------------------------------------------------------

CONV_MODULE = {1: torch.nn.Conv1d, 2: torch.nn.Conv2d, 3: torch.nn.Conv3d}


def n_params(module):
    return sum(p.numel() for p in module.parameters())


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 4), st.integers(1, 4),
       st.lists(st.integers(1, 5), min_size=3, max_size=3), st.booleans())
def test_conv_params_match_torch(ndim, groups, cin_g, cout_g, kernel, bias):
    kernel = tuple(kernel[:ndim])
    cin, cout = groups * cin_g, groups * cout_g
    module = CONV_MODULE[ndim](cin, cout, kernel, groups=groups, bias=bias, device="meta")
    assert cm.conv_params(cin, cout, kernel, groups, bias) == n_params(module)
    if ndim == 1:
        assert cm.conv_params(cin, cout, kernel[0], groups, bias) == n_params(module)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 500), st.integers(1, 500), st.booleans())
def test_dense_params_match_torch(n_in, n_out, bias):
    module = torch.nn.Linear(n_in, n_out, bias=bias, device="meta")
    assert cm.dense_params(n_in, n_out, bias) == n_params(module)


def test_compare_with_dense():
    sp = cm.spec((5, 5), 3, padding=1, in_channels=2, out_channels=4)
    comp = cm.compare_with_dense(sp)
    assert comp.conv == 4 * 2 * 9
    assert comp.dense == (2 * 25) * (4 * 25)
    assert comp.dense_entries == 25 * 25
    assert comp.shared_values == 9
    # non-zero entries of C: every output reads the in-bounds part of its 3x3 window
    assert comp.connections == int((cm.tap_matrix(sp) >= 0).sum()) == 9 * 9 + 4 * 3 * 6 + 4 * 4
    assert comp.ratio == comp.dense / comp.conv


def torch_vgg16():
    layers, c = [], 3
    for item in networks.VGG16_CONV:
        if item == "M":
            layers.append(torch.nn.MaxPool2d(2, 2))
        else:
            layers += [torch.nn.Conv2d(c, item, 3, padding=1), torch.nn.ReLU()]
            c = item
    features = torch.nn.Sequential(*layers)
    classifier = torch.nn.Sequential(torch.nn.Linear(512 * 7 * 7, 4096), torch.nn.ReLU(),
                                     torch.nn.Linear(4096, 4096), torch.nn.ReLU(),
                                     torch.nn.Linear(4096, 1000))
    return features, classifier


def test_vgg16_counts():
    layers = networks.vgg16()
    totals = networks.totals(layers)
    assert totals == {"conv": 14_714_688, "dense": 123_642_856, "total": 138_357_544}
    with torch.device("meta"):
        features, classifier = torch_vgg16()
    assert n_params(features) == totals["conv"]
    assert n_params(classifier) == totals["dense"]
    # shapes, layer by layer, against torch (meta tensors: shapes only, no arithmetic)
    h = torch.empty(1, 3, 224, 224, device="meta")
    shapes = []
    for module in features:
        h = module(h)
        if not isinstance(module, torch.nn.ReLU):
            shapes.append(tuple(h.shape[1:]))
    ours = [layer.output for layer in layers if layer.kind != "dense"]
    assert ours == shapes
    assert [layer.output for layer in layers if layer.kind == "dense"] == [(4096,), (4096,),
                                                                            (1000,)]
    assert layers[-4].output == (512, 7, 7)

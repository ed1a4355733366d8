"""Checkerboard artifacts (kit artifacts): exact cases, and a measure that tells them apart."""

import numpy as np
import pytest

import convmath as cm
from scenes.kit.matrices.artifacts import (artifact_cases, checkerboard_strength, grey_pixels,
                                           smooth_input, uneven_kernel)


def test_smooth_input_is_positive_integers_peaking_in_the_middle():
    x = smooth_input(12)
    assert x.dtype == np.int64 and x.min() > 0
    assert x[5:7, 5:7].min() == x.max() and x[0, 0] == x.min()
    assert np.array_equal(x, x.T) and np.array_equal(x, x[::-1])


def test_cases_are_the_transposed_convolutions_and_the_resize():
    x = smooth_input(8)
    cases = artifact_cases(x, 3, 4, stride=2)
    ones3, ones4 = np.ones((3, 3), np.int64), np.ones((4, 4), np.int64)
    # computed here another way: the equivalent direct convolution, and resize by repetition
    assert np.array_equal(cases["odd"].output, cm.transposed_direct(x, ones3, 2, 1))
    assert np.array_equal(cases["even"].output, cm.transposed_direct(x, ones4, 2, 1))
    assert np.array_equal(cases["uneven"].output, cm.transposed_direct(x, uneven_kernel(4), 2, 1))
    resized = np.kron(x, np.ones((2, 2), np.int64))
    assert np.array_equal(cases["resize"].output, cm.correlate(resized, ones3, padding=1))
    assert all(c.output.dtype == np.int64 for c in cases.values())       # exact


def test_strength_separates_checkerboards_from_smooth_images():
    cases = artifact_cases(smooth_input(12))
    s = {k: checkerboard_strength(c.output) for k, c in cases.items()}
    assert s["odd"] > 0.3 and s["uneven"] > 0.15
    assert s["even"] < 0.05 and s["resize"] < 0.05
    flat = np.full((10, 10), 7)
    board = np.indices((10, 10)).sum(axis=0) % 2 + 1
    assert checkerboard_strength(flat) == 0 and checkerboard_strength(board) > 0.5


def test_grey_levels_span_the_inside():
    img = np.arange(64).reshape(8, 8)
    g = grey_pixels(img)
    assert g.dtype == np.uint8 and g[2:-2, 2:-2].min() == 0 and g[2:-2, 2:-2].max() == 255
    assert g[0, 0] == 0 and g[-1, -1] == 255          # the edges are clipped


def test_kernel_sizes_must_straddle_the_stride():
    with pytest.raises(ValueError, match="multiple"):
        artifact_cases(smooth_input(6), 4, 4, stride=2)

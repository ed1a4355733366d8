"""Segment 6 (transposed convolution): shapes, names, Cᵀ(C·x) ≠ x with convmath's numbers."""

import numpy as np
import pytest

import convmath as cm
from scenes.kit.text.numfmt import en_article
from scenes.kit.text.tex import parse_value_text


@pytest.mark.parametrize("lang", ["es", "en"])
def test_transposed_segment(run_segment, lang):
    scene = run_segment("s06_transpuesta", lang)
    assert scene.unspoken_beats() == []
    problems = {beat: p for beat, p in scene.layout_report.items() if p}
    assert problems == {}

    # shapes: 4×4 → 2×2 by the convolution, 2×2 → 4×4 by the transposed one
    conv, back = scene.shape_maps
    inp, out, inp2, out2 = conv.input, conv.output, back.input, back.output
    sp = cm.spec(inp.shape, 3)
    assert out.shape == sp.output
    assert inp2.shape == out.shape
    assert out2.shape == cm.transposed(inp2.shape, 3).output == inp.shape

    # the numbers on screen: x, the kernel, C·x and Cᵀ(C·x), recomputed from what is shown
    x = scene.x_grid.shown_values().astype(np.int64)
    w = scene.kernel_grid.shown_values().astype(np.int64)
    cx = scene.cx_grid.shown_values().astype(np.int64)
    back = scene.back_grid.shown_values().astype(np.int64)
    assert cx.tolist() == cm.correlate(x, w).tolist()
    C = cm.conv_matrix_dense(cm.spec(x.shape, w.shape), w)
    assert cx.reshape(-1).tolist() == C.dot(x.reshape(-1)).tolist()
    assert back.tolist() == cm.transposed_conv(cx, w).tolist()
    assert back.reshape(-1).tolist() == C.T.dot(cx.reshape(-1)).tolist()
    assert back.shape == x.shape and back.tolist() != x.tolist()

    # the cell compared is one where the values differ, and it is what "≠" shows
    where, a, b = scene.compared
    assert x[where] == a and back[where] == b and a != b
    assert parse_value_text(scene.neq[0].original_text) == a
    assert parse_value_text(scene.neq[2].original_text) == b
    # and the sum written out for it: C·x's values times the weights that reach that cell
    line = scene.back_line
    reached = {q: tap for q, tap in cm.reads(cm.transposed(cx.shape, w.shape))[where]}
    assert sorted(line.pairs) == sorted((cx[q], w[t]) for q, t in reached.items())
    assert line.total_value == b and parse_value_text(line.total.tex_string) == b

    # the connectivity shown: output (1, 1) reads a window of x; Cᵀ sends it to the same cells
    read, fed = scene.links
    assert sorted(read) == sorted(fed) and len(read) == w.size

    # C is not square: its shape and Cᵀ's as written
    c_shape, ct_shape = scene.matrix_shapes
    rows, cols = C.shape
    assert rows != cols
    assert c_shape.original_text.endswith(f"{rows}×{cols}")
    assert ct_shape.original_text.endswith(f"{cols}×{rows}")

    # the English article before each number said ("a 2", "an 80")
    spoken = {beat["id"]: beat["text"] for beat in scene.spoken_beats}
    if lang == "en":
        assert f"had {en_article(a)} {a}," in spoken["compare"]
        assert f"now {en_article(b)} {b}." in spoken["compare"]

    # the "super-resolution" sketch is drawn with convmath's sizes
    sr = scene.superres
    assert sr.big.shape == sr.spec.output and sr.small.shape == sr.spec.input


@pytest.mark.parametrize("a, b, said", [(2, 70, "had a 2, there is now a 70."),
                                        (8, 80, "had an 8, there is now an 80."),
                                        (11, 18, "had an 11, there is now an 18.")])
def test_compare_beat_reads_right_for_any_values(a, b, said):
    """The English template takes the article each number needs (convmath may give any)."""
    from scenes.narration.marks import strip_anchors
    from scenes.narration.segment_text import load_segment_text
    from scenes.s06_transpuesta import compare_values

    beat = load_segment_text("s06_transpuesta", "en").beat("compare")
    assert said in strip_anchors(beat.format(**compare_values(a, b)).text)

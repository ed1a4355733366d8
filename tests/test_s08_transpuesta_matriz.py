"""Segment 8 (the transpose by matrix): Cᵀ·vec(y), reshaped, is the transposed convolution."""

import numpy as np
import pytest

import convmath as cm
from scenes.kit.text.numfmt import en_article
from scenes.kit.text.tex import parse_value_text


def as_ints(a):
    return np.vectorize(int, otypes=[np.int64])(a)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_transpose_by_matrix_segment(run_segment, lang):
    scene = run_segment("s08_transpuesta_matriz", lang)
    assert scene.unspoken_beats() == []
    problems = {beat: p for beat, p in scene.layout_report.items() if p}
    assert problems == {}

    # the kernel and the 2×2 input shown, read back
    w = as_ints(scene.key.shown_values())
    y = as_ints(scene.y_grid.shown_values())
    conv = cm.spec((4, 4), w.shape)            # segment 3's convolution: 4×4 input
    C = cm.conv_matrix_dense(conv, w)
    assert C.shape == (4, 16)

    # C as drawn, and Cᵀ as drawn: every entry's text is the matrix entry
    assert as_ints(np.vectorize(parse_value_text, otypes=[object])(
        scene.c_view.shown())).tolist() == C.tolist()
    ct = scene.ct_view
    assert ct.taps.shape == (16, 4)
    assert as_ints(np.vectorize(parse_value_text, otypes=[object])(ct.shown())).tolist() == \
        C.T.tolist()
    for (r, c), m in ct._entries.items():
        assert m.matrix_index == (r, c) and m.value == C[c, r]

    # vec(y), the products of the row written out, Cᵀ·vec(y), and the 4×4 output
    assert as_ints(scene.vec.shown_values()).reshape(-1).tolist() == y.reshape(-1).tolist()
    expected = C.T.dot(y.reshape(-1))
    assert as_ints(scene.result.shown_values()).reshape(-1).tolist() == expected.tolist()
    r, line = scene.row_line
    cols = [c for c in range(C.shape[0]) if cm.tap_matrix(conv)[c, r] >= 0]
    assert line.pairs == [(y.reshape(-1)[c], C[c, r]) for c in cols]
    assert line.total_value == expected[r]
    assert parse_value_text(line.total.tex_string) == expected[r]
    out = as_ints(scene.out_grid.shown_values())
    assert out.tolist() == cm.transposed_conv(y, w).tolist()
    assert out.tolist() == cm.transposed_matrix(y, w).tolist()
    assert out.tolist() == cm.transposed_direct(y, w).tolist()
    assert out.reshape(-1).tolist() == expected.tolist()
    # and beside it the same output computed directly (zeros inserted, flipped kernel)
    direct = as_ints(scene.direct_grid.shown_values())
    assert direct.tolist() == cm.transposed_direct(y, w).tolist() == out.tolist()

    # the shapes: C takes 16 numbers to 4, Cᵀ takes 4 to 16
    fwd, back = scene.shape_maps
    assert fwd.input.shape == conv.input and fwd.output.shape == conv.output
    tsp = cm.transposed(back.input.shape, w.shape)
    assert back.input.shape == conv.output and back.output.shape == tsp.output == conv.input

    # "a 4 by 4 input", "an 8 by 8 grid": the article follows the number said
    if lang == "en":
        spoken = {beat["id"]: beat["text"] for beat in scene.spoken_beats}
        n = y.shape[0]
        assert f"take {en_article(n)} {n} by {n} input" in spoken["input"]
        assert f"into {en_article(out.shape[0])} {out.shape[0]} by" in spoken["reshape"]

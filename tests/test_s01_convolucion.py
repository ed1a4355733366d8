"""Segment s01_convolucion (why convolutions): what it shows is convmath's, in both languages.

The dense matrix against the convolution's C, the parameter counts, VGG16's bars and the
correlation/convolution example are read back from the scene's mobjects and recomputed
with convmath from what the scene displays.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("manim")

import convmath as cm  # noqa: E402
from convmath import networks  # noqa: E402
from scenes.kit.text.numfmt import NBSP, group_int, latex_int, millions, parse_number


def as_array(values) -> np.ndarray:
    return np.vectorize(int, otypes=[np.int64])(np.asarray(values, dtype=object))


@pytest.mark.parametrize("lang", ["es", "en"])
def test_convolution_segment_shows_convmath(run_segment, lang):
    scene = run_segment("s01_convolucion", lang)
    assert scene.unspoken_beats() == []
    assert list(scene.layout_report) == list(scene.text.beat_ids)
    assert all(problems == [] for problems in scene.layout_report.values()), \
        scene.layout_report
    words = " ".join(c.text for c in scene.subtitle_cues)

    # --- structure: a picture without numbers, neighbourhoods inside it --------------------
    image = scene.image
    assert all(t == "" for t in image.shown_text().flat)
    for start, size in scene.neighbourhoods:
        assert all(0 <= s and s + size <= n for s, n in zip(start, image.shape))

    # --- dense layer against convolution: same shapes, zeros and tied weights --------------
    n_in = scene.conv_diag.input_row.shape[0]
    n_out = scene.conv_diag.output_row.shape[0]
    taps_shown = scene.conv_matrix.taps
    k = len(np.unique(taps_shown[taps_shown >= 0]))
    sp = cm.spec(n_in, k)
    assert sp.output == (n_out,)
    assert (taps_shown == cm.tap_matrix(sp)).all()
    assert [line.link for line in scene.conv_diag.lines] == list(cm.links(sp))
    dense = scene.dense_matrix.shown()
    assert dense.shape == (n_out, n_in)
    assert len(set(dense.flat)) == dense.size                # every entry its own weight
    assert len(scene.dense_diag.lines) == n_in * n_out       # every pixel to every neuron
    comparison = cm.compare_with_dense(sp)
    assert (taps_shown >= 0).sum() == comparison.connections
    assert len(set(scene.conv_matrix.shown()[taps_shown >= 0].flat)) == comparison.shared_values

    # --- parameter counts ------------------------------------------------------------------------
    inp, out = scene.param_grids
    sp_p = cm.spec(inp.shape, inp.kernel)
    assert sp_p.output == out.shape
    counts = cm.compare_with_dense(sp_p)
    conv_card, dense_card = scene.param_cards
    assert conv_card.general_latex.endswith("= " + latex_int(counts.conv, lang))
    assert dense_card.general_latex.endswith("= " + latex_int(counts.dense, lang))
    assert parse_number(dense_card.general_latex.split("=")[-1].strip(), lang) == counts.dense
    # the subtitles write the number as the screen does (the voice reads es "529.984")
    assert group_int(counts.dense, lang).replace(NBSP, " ") in words.replace(NBSP, " ")

    # --- the matrix of that convolution: 9 weights a row, almost all zeros -----------------------
    facts = scene.sparse_facts
    rows, cols = cm.matrix_shape(sp_p)
    r_all, _, _ = cm.matrix_entries(sp_p)
    assert (facts["rows"], facts["cols"]) == (rows, cols)
    assert facts["per_row"] * rows == len(r_all) == counts.connections
    share = 100 * (1 - len(r_all) / (rows * cols))
    assert parse_number(facts["pct"], lang) == pytest.approx(share, abs=0.05)
    assert share > 98                                        # "almost all zeros" is true here
    shown = " ".join(t.original_text for t in facts["texts"])
    assert group_int(rows, lang) in shown and group_int(cols, lang) in shown
    assert facts["pct"] in shown and facts["pct"] in words
    # in the small example, the key says how many of C's entries are zero
    zeros = int((taps_shown < 0).sum())
    assert f" {zeros} " in scene.zero_key.count.original_text
    assert f" {taps_shown.size} " in scene.zero_key.count.original_text
    assert f"{zeros} " in words and f" {taps_shown.size} " in words

    # --- VGG16 -------------------------------------------------------------------------------------
    layers = [layer for layer in networks.vgg16() if layer.params > 0]
    assert scene.bars.names == [layer.name for layer in layers]
    assert [b.params for b in scene.bars.bars] == [layer.params for layer in layers]
    heights = np.array([b.height for b in scene.bars.bars])
    big = heights > 0.05                                     # the tiny bars have a minimum
    ratio = heights[big] / np.array([layer.params for layer in layers])[big]
    assert np.allclose(ratio, ratio[0], rtol=1e-6)
    totals = networks.totals(networks.vgg16())
    conv_block, dense_block = scene.vgg_blocks
    assert conv_block.amount.original_text == scene.s("millions",
                                                      value=millions(totals["conv"], 1, lang))
    assert dense_block.amount.original_text == scene.s("millions",
                                                       value=millions(totals["dense"], 1, lang))
    assert millions(totals["conv"], 1, lang) in words
    assert millions(totals["dense"], 1, lang) in words

    # --- correlation against convolution --------------------------------------------------------
    g = scene.flip_grids
    x = as_array(g["input"].shown_values())
    w = as_array(g["k_given"].shown_values())
    assert (as_array(g["k_top"].shown_values()) == w).all()
    assert (as_array(g["o_top"].shown_values()) == cm.correlate(x, w)).all()
    assert (as_array(g["k_flip"].shown_values()) == w[::-1, ::-1]).all()
    assert (as_array(g["o_bottom"].shown_values()) == cm.convolve(x, w)).all()
    # the flip is a half turn that leaves every weight upright in its flipped place
    turned = scene.turned[1]
    for n, num in enumerate(turned):
        r, c = divmod(n, w.shape[1])
        target = g["k_flip"].cell_center((w.shape[0] - 1 - r, w.shape[1] - 1 - c))
        assert np.allclose(num.get_center()[:2], target[:2], atol=1e-6)
        source = g["k_top"].numbers[n]              # the same glyphs, moved, not turned over
        assert num.original_text == source.original_text
        assert np.allclose(num.get_all_points() - num.get_center(),
                           source.get_all_points() - source.get_center(), atol=1e-6)
    assert not (cm.convolve(x, w) == cm.correlate(x, w)).all()   # the example tells them apart
    # moot: a convolution with the learned (flipped) kernel is the correlation
    m = scene.learned
    learned = as_array(m["k_learned"].shown_values())
    assert (learned == w[::-1, ::-1]).all()
    assert (as_array(m["k_relearned"].shown_values()) == learned[::-1, ::-1]).all()
    assert (as_array(m["o_learned"].shown_values()) == cm.convolve(x, learned)).all()
    assert (as_array(m["o_learned"].shown_values()) == as_array(g["o_top"].shown_values())).all()


@pytest.mark.parametrize("n,es,es_spoken,en", [
    (9, "9", "9", "9"),
    (6084, "6084", "6084", "6,084"),
    (529984, "529\u00a0984", "529.984", "529,984"),
    (138357544, "138\u00a0357\u00a0544", "138.357.544", "138,357,544"),
])
def test_numbers_per_language(n, es, es_spoken, en):
    assert group_int(n, "es") == es and group_int(n, "es", spoken=True) == es_spoken
    assert group_int(n, "en") == en
    assert parse_number(es, "es") == n and parse_number(en, "en") == n
    assert millions(14714688, 1, "es") == "14,7" and millions(14714688, 1, "en") == "14.7"
    assert latex_int(529984, "es") == r"529\,984" and latex_int(529984, "en") == "529{,}984"

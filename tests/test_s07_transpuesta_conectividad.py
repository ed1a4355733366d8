"""Segment 7 (the transpose by connectivity): reversed links, and sums along them."""

import numpy as np
import pytest

import convmath as cm
from scenes.kit.text.tex import parse_value_text


def drawn_links(diagram):
    return sorted((line.link.row, line.link.col, line.link.tap) for line in diagram.lines)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_transpose_by_connectivity_segment(run_segment, lang):
    scene = run_segment("s07_transpuesta_conectividad", lang)
    assert scene.unspoken_beats() == []
    problems = {beat: p for beat, p in scene.layout_report.items() if p}
    assert problems == {}

    # the forward diagram is segment 4's convolution; the transposed one maps its output
    # size back to its input size, with exactly the same links reversed
    fwd, tr = scene.forward.spec, scene.transposed_view.spec
    assert tr.transposed and tr.input == fwd.output and tr.output == fwd.input
    assert drawn_links(scene.forward) == drawn_links(scene.transposed_view)
    assert drawn_links(scene.transposed_view) == sorted(
        (l.row, l.col, l.tap) for l in cm.links(tr))
    # the reversed view: the forward links in the same places, every arrow from the top
    # row down
    rev = scene.reversed_view
    assert rev.spec == fwd and rev.reverse
    assert drawn_links(rev) == drawn_links(scene.forward)
    for (a_start, a_end), (b_start, b_end) in scene.arrow_ends:
        assert b_start[1] > b_end[1]
        assert a_start[1] < a_end[1]
        assert np.allclose(a_start, b_end, atol=0.1) and np.allclose(a_end, b_start, atol=0.1)

    # one input cell feeds the cells that fed it in the forward convolution
    c, outs = scene.shown_feeds
    assert outs == [i[0] for i, _ in cm.reads(fwd)[(c,)]]
    assert outs == [o[0] for o, _ in cm.feeds(tr)[(c,)]]

    # the weights keyed from 1 in their colours; at an output they arrive in reverse order,
    # and the flipped key shows them so
    k = fwd.kernel[0]
    assert scene.key.latex == [f"w_{{{t + 1}}}" for t in range(k)]
    assert scene.arriving_taps == list(range(k))[::-1]
    assert scene.flipped_key.order == scene.arriving_taps

    # numbers: read the input and kernel shown, recompute the transposed convolution
    y = scene.valued.short_row.shown_values()
    w_marks, flipped_marks = scene.key_values
    assert [m.tap for m in w_marks] == list(range(k))
    w = np.array([m.value for m in w_marks], dtype=object)
    assert [int(m.original_text) for m in w_marks] == [int(v) for v in w]
    expected = cm.transposed_conv(y.astype(np.int64), w.astype(np.int64))
    shown = scene.valued.long_row.shown_values()
    assert shown.tolist() == expected.tolist()
    assert shown.tolist() == cm.transposed_matrix(y.astype(np.int64),
                                                  w.astype(np.int64)).tolist()
    # each products line follows the arrows arriving at its output cell
    for o, line in scene.sums:
        pairs = [(y[i], w[t]) for (i,), (t,) in cm.reads(tr)[(o,)]]
        assert line.pairs == pairs
        assert line.total_value == expected[o]
        assert parse_value_text(line.total.tex_string) == expected[o]

    # the direct computation: zeros around the input, the flipped kernel, the same numbers
    de = scene.direct
    assert de.storyboard.output.tolist() == expected.tolist()
    assert de.storyboard.kernel_applied.tolist() == [w[t] for t in scene.flipped_key.order]
    assert [m.value for m in flipped_marks] == [w[t] for t in scene.flipped_key.order]
    z = de.padding[0][0]
    assert z == fwd.kernel[0] - 1 and de.storyboard.padded[:z].tolist() == [0] * z
    assert len(scene.direct_window) == k

    # cell numbers from 1 stay beside the cells while the values are inside them
    tr_in, tr_out = scene.tr_marks
    assert [m.value for m in tr_in] == list(range(1, tr.input[0] + 1))
    assert [m.value for m in tr_out] == list(range(1, tr.output[0] + 1))

    # stride 2: 3 → 7, and the arrows arriving at each output
    st = scene.strided.spec
    assert st.transposed and st.output == scene.strided_forward.spec.input
    assert drawn_links(scene.strided) == drawn_links(scene.strided_forward)
    assert [m.value for m in scene.overlap_marks] == cm.overlap_map(st).tolist()
    assert [int(m.original_text) for m in scene.overlap_marks] == cm.overlap_map(st).tolist()

"""Segment 9 (superposition): what it shows is the transposed convolution convmath computes."""

import numpy as np
import pytest

from fractions import Fraction

import convmath as cm
from scenes.kit.matrices.artifacts import checkerboard_strength, grey_pixels


def as_int(a) -> np.ndarray:
    return np.asarray(a, dtype=object).astype(np.int64)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_superposition_segment(run_segment, lang):
    scene = run_segment("s09_superposicion", lang)
    assert scene.unspoken_beats() == []
    problems = {beat: p for beat, p in scene.layout_report.items() if p}
    assert problems == {}

    # the parameters and numbers the scene shows
    view = scene.view
    sp = view.spec
    x = as_int(view.input.shown_values())
    w = as_int(view.kernel.shown_values())

    # the canvas ends as the uncropped sum of every stamp: a transposed conv without padding
    canvas = cm.transposed_scatter(x, w, sp.stride, 0, sp.dilation)
    assert np.array_equal(as_int(view.canvas.shown_values()), canvas)
    # and inside the crop, the output of the transposed convolution with its padding
    expected = cm.transposed_scatter(x, w, sp.stride, sp.padding, sp.dilation, 1,
                                     sp.output_padding)
    assert np.array_equal(as_int(view.output_values()), expected)
    assert view.output_label.original_text.endswith("×".join(map(str, sp.output)))

    # the detailed stamps: the kernel scaled by the stamping input's value
    assert len(view.stamp_grids) == 2
    for grid in view.stamp_grids:
        q = view.sup.stamps[grid.stamp].input
        assert np.array_equal(as_int(grid.shown_values()), x[q] * w)
    # the sum written out: an earlier sum at a cell plus the second stamp's product there
    (line,) = view.sum_lines
    r, c = line["cell"]
    q = view.sup.stamps[1].input
    tap = (r - q[0] * sp.stride[0], c - q[1] * sp.stride[1])
    assert line["product"] == x[q] * w[tap]
    first = cm.transposed_scatter(x[:1, :1], w, sp.stride, 0)     # only the first stamp
    assert line["old"] == first[r, c]
    assert line["new"] == line["old"] + line["product"]
    assert line["mobject"].get_tex_string().replace(" ", "") == \
        f"{line['old']}+{line['product']}={line['new']}"

    # overlap maps: counts of stamps per cell, as convmath counts them
    out_grid, count_grid = scene.overlap_pair
    assert np.array_equal(as_int(out_grid.shown_values()), expected)
    assert np.array_equal(as_int(count_grid.shown_values()), cm.overlap_map(sp))
    ones = cm.transposed_scatter(np.ones_like(x), np.ones_like(w), sp.stride, sp.padding)
    assert np.array_equal(as_int(count_grid.shown_values()), ones)
    for grid in scene.checker:
        assert np.array_equal(grid.counts, cm.overlap_map(grid.spec))
        assert grid.label.original_text.endswith("×".join(map(str, grid.spec.output)))
    k3, k4 = (g.spec for g in scene.checker)
    assert k3.kernel[0] % k3.stride[0] != 0 and k4.kernel[0] % k4.stride[0] == 0
    assert np.array_equal(as_int(scene.checker[0].shown_values()), cm.overlap_map(k3))
    assert len(set(cm.overlap_map(k4)[1:-1, 1:-1].ravel().tolist())) == 1   # even inside
    # the counts said: "1, 2 o 4" / "1, 2 or 4"
    spoken = {beat["id"]: beat["text"] for beat in scene.spoken_beats}
    counts = sorted({int(c) for c in cm.overlap_map(sp).ravel()})
    listed = ", ".join(map(str, counts[:-1])) + {"es": " o ", "en": " or "}[lang] + str(counts[-1])
    assert listed in spoken["overlap"]

    # the artifacts themselves: each picture is its case, recomputed here another way
    # (the direct convolution, and resize-then-correlate), and only the cases with equal
    # stamp counts and equal weights, or the resize, come out smooth
    x_art = as_int(scene.artifact_input)
    panels = scene.artifact_panels
    assert np.array_equal(as_int(panels["input"].picture.source_values), x_art)
    k_odd, k_even = k3.kernel[0], k4.kernel[0]
    flat3, flat4 = np.ones((k_odd, k_odd), np.int64), np.ones((k_even, k_even), np.int64)
    a = np.arange(1, k_even + 1)
    redo = {"odd": cm.transposed_direct(x_art, flat3, 2, 1),
            "even": cm.transposed_direct(x_art, flat4, 2, 1),
            "uneven": cm.transposed_direct(x_art, np.outer(a, a), 2, 1),
            "resize": cm.correlate(np.kron(x_art, np.ones((2, 2), np.int64)), flat3, padding=1)}
    for key, values in redo.items():
        shown = panels[key].picture
        assert np.array_equal(as_int(shown.source_values), values), key
        assert np.array_equal(shown.grey, grey_pixels(values)), key
    strength = {k: checkerboard_strength(v) for k, v in redo.items()}
    assert strength["odd"] > 5 * strength["even"]
    assert strength["uneven"] > 5 * strength["even"]
    assert strength["resize"] < strength["odd"] / 10 and strength["resize"] < strength["uneven"] / 10
    assert "Distill 2016" in scene.cite.original_text and "Odena" in scene.cite.original_text

    # the equivalent direct convolution: zeros inserted, padding k-p-1, flipped kernel
    inp, flipped, out = scene.direct_grids
    z = sp.stride[0] - 1
    pp = sp.kernel[0] - sp.padding[0][0] - 1
    stretched = np.zeros(((x.shape[0] - 1) * (z + 1) + 1,) * 2, dtype=np.int64)
    stretched[::z + 1, ::z + 1] = x
    assert np.array_equal(as_int(inp.shown_values()), np.pad(stretched, pp))
    assert np.array_equal(as_int(flipped.shown_values()), w[::-1, ::-1])
    assert np.array_equal(as_int(out.shown_values()), cm.correlate(np.pad(stretched, pp),
                                                                   w[::-1, ::-1]))
    assert np.array_equal(as_int(out.shown_values()), expected)
    kinds = inp.cell_kind
    assert (kinds == "inserted").sum() == stretched.size - x.size
    assert (kinds == "padding").sum() == np.pad(stretched, pp).size - stretched.size
    legend = [part.texts[0].original_text for part in scene.legend]
    assert legend[0].endswith(f"= {z}") and legend[1].endswith(f"= {pp}")
    # labelled as what it is: the input, stretched to the padded size
    assert inp.label.original_text.endswith(f"{x.shape[0]}×{x.shape[1]}, " + {
        "es": "estirada: ", "en": "stretched: "}[lang] + "×".join(map(str, inp.shape)))
    # "stride 1/s": the fraction shown is 1 over the stride
    fraction, frac_text = scene.fraction
    assert fraction == Fraction(1, sp.stride[0]) and frac_text.original_text.endswith("1/2")
    # and clear of the flipped kernel and the output grid, which come in while it is shown
    def apart(a, b) -> bool:
        return (a.get_right()[0] < b.get_left()[0] or b.get_right()[0] < a.get_left()[0]
                or a.get_top()[1] < b.get_bottom()[1] or b.get_top()[1] < a.get_bottom()[1])
    assert apart(frac_text, out) and apart(frac_text, flipped)

    # four derivations, the same numbers
    shown = {k: as_int(g.shown_values()) for k, g in scene.results.items()}
    assert set(shown) == {"connectivity", "matrix", "superposition", "direct"}
    assert np.array_equal(shown["matrix"], cm.transposed_matrix(x, w, sp.stride, sp.padding))
    assert np.array_equal(shown["direct"], cm.transposed_direct(x, w, sp.stride, sp.padding))
    for values in shown.values():
        assert np.array_equal(values, expected)
    # each shown with its own way: one output cell's sum over the links that reach it,
    # Cᵀ's taps, every stamp on the canvas
    cell, terms, lines = scene.connectivity_sum
    feeding = [(x[q], w[t]) for q, pairs in cm.feeds(sp).items() for o, t in pairs if o == cell]
    assert sorted(terms) == sorted(feeding) and len(terms) == cm.overlap_map(sp)[cell]
    assert lines.total == expected[cell] == shown["connectivity"][cell]
    assert np.array_equal(scene.matrix_heat.taps, cm.tap_matrix(sp).T)
    assert len(scene.stamp_outlines) == x.size


def test_stamp_view_in_one_dimension_with_output_padding():
    """The kit piece also draws 1D stamps and the zeros output_padding adds past the canvas."""
    from scenes.kit.operation.superposition import StampView

    t = cm.transposed(3, 3, stride=2, padding=0, output_padding=1)
    sup = cm.superposition(t, np.array([1, 2, 3]), np.array([1, 0, 2]))
    view = StampView(sup, lang="en")
    assert view.board_shape == (8,) and sup.canvas_shape == (7,)
    assert view.canvas.cell_kind[-1] == "padding"
    assert view.canvas.label.original_text == "Canvas 7"
    assert view.sums_after(len(sup.stamps)) == {
        c: v for c, v in zip(np.ndindex(7), cm.transposed_scatter([1, 2, 3], [1, 0, 2], 2))}

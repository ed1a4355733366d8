"""Kit pieces of the transposed-convolution segments: Cᵀ drawn, products lines, shape maps,
marks on connectivity diagrams, the tap-coloured kernel."""

from __future__ import annotations

import numpy as np
import pytest

manim = pytest.importorskip("manim")

import convmath as cm  # noqa: E402
from manim import Scene, tempconfig  # noqa: E402
from scenes.kit import palette  # noqa: E402
from scenes.kit.cells.legend import tap_kernel
from scenes.kit.cells.shape_map import ShapeMap
from scenes.kit.diagrams.connectivity import ConnectivityDiagram
from scenes.kit.diagrams.diagram_marks import count_marks, index_marks
from scenes.kit.layout import layout_problems  # noqa: E402
from scenes.kit.matrices.matrix_view import MatrixView
from scenes.kit.matrices.products import ProductsLine
from scenes.kit.matrices.transposed_matrix import (TransposedMatrixView, aligned_c_view,
                                                   diagonal_guide, transpose_animation)
from scenes.kit.text.tex import parse_value_text

W3 = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]])


def test_transposed_view_draws_c_transposed():
    sp = cm.spec((4, 4), 3)
    C = cm.conv_matrix_dense(sp, W3)
    ct = TransposedMatrixView(sp, W3, dx=0.4, dy=0.4, font_size=26)
    assert ct.taps.tolist() == cm.tap_matrix(sp).T.tolist()
    assert ct.values.tolist() == C.T.tolist()
    shown = np.vectorize(parse_value_text, otypes=[object])(ct.shown())
    assert shown.tolist() == C.T.tolist()
    for r in range(ct.rows):
        for c in range(ct.cols):
            m = ct.entry(r, c)
            assert m.matrix_index == (r, c) and m.value == C[c, r]
            assert np.allclose(m.get_center(), ct.slot_center(r, c))
    # Cᵀ·vec(y) is the transposed convolution
    y = np.array([[1, 2], [3, 3]])
    assert ct.values.dot(y.reshape(-1)).reshape(4, 4).tolist() == \
        cm.transposed_conv(y, W3).tolist()
    assert layout_problems([ct]) == []


def test_transpose_animation_lands_on_the_transposed_view(tmp_path):
    sp = cm.spec((4, 4), 3)
    ct = TransposedMatrixView(sp, W3, dx=0.4, dy=0.4).move_to([-2, 0, 0])
    c = aligned_c_view(sp, W3, ct)
    assert np.allclose(c.slot_center(0, 0), ct.slot_center(0, 0))
    guide = diagonal_guide(ct)
    assert guide.get_start()[0] < guide.get_end()[0] and guide.get_start()[1] > guide.get_end()[1]

    class _S(Scene):
        def construct(self):
            self.add(c)
            self.play(transpose_animation(c, ct, run_time=1))

    with tempconfig({"dry_run": True, "frame_rate": 5, "pixel_height": 180, "pixel_width": 320,
                     "media_dir": str(tmp_path), "disable_caching": True, "verbosity": "ERROR",
                     "progress_bar": "none"}):
        _S().render()
    for r in range(c.rows):
        for col in range(c.cols):
            assert np.allclose(c.entry(r, col).get_center(), ct.entry(col, r).get_center(),
                               atol=1e-6)
    with pytest.raises(ValueError):
        transpose_animation(MatrixView(cm.spec((5, 5), 3), W3), ct)


def test_products_line_sums_its_pairs():
    line = ProductsLine([(3, 1), (2, 3), (-1, 2)], weight_colors=[palette.tap_color(t)
                                                                   for t in range(3)])
    assert line.total_value == 3 + 6 - 2
    assert parse_value_text(line.total.tex_string) == 7
    assert line.value_part(2).tex_string == "(-1)"
    assert line.weight_part(1).get_color().to_hex() == palette.tap_color(1).to_hex()
    with pytest.raises(ValueError):
        ProductsLine([(1, 2)], weight_colors=[])


def test_shape_map_and_marks():
    m = ShapeMap((4, 4), (2, 2), "conv", "kernel 3×3", input_label="Entrada 4×4",
                 output_label="Salida 2×2")
    assert m.input.shape == (4, 4) and m.output.shape == (2, 2)
    assert layout_problems([m]) == []
    d = ConnectivityDiagram(cm.transposed(3, 3, stride=2))
    counts = cm.overlap_map(d.spec)
    marks = count_marks(d, "output", counts)
    assert [t.value for t in marks] == counts.tolist()
    idx = index_marks(d, "input")
    assert [t.value for t in idx] == [1, 2, 3]
    for j, t in enumerate(idx):
        assert np.allclose(t.get_center(), d.input_cell(j).get_center())
    with pytest.raises(ValueError):
        count_marks(d, "output", [1, 2])


def test_tap_kernel_colours_each_weight():
    k = tap_kernel(W3, label="Kernel 3×3")
    assert k.shown_values().tolist() == W3.tolist()
    for flat, idx in enumerate(np.ndindex(3, 3)):
        assert k.cell(idx).get_fill_color().to_hex() == palette.tap_color(flat).to_hex()

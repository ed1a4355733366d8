"""Segment 4 (filter connectivity): what it shows is convmath's connectivity."""

import numpy as np
import pytest

import convmath as cm

GRID_BEATS = ("grid", "grid_reads", "grid_feeds")     # the 2D case, both directions
MIN_GRID_SECONDS = 15.0


def drawn(lines):
    return sorted((line.link.row, line.link.col, line.link.tap) for line in lines)


def width_share(*mobjects) -> float:
    """The share of the frame's width the mobjects span together."""
    from manim import VGroup, config

    return VGroup(*mobjects).width / config.frame_width


@pytest.mark.parametrize("lang", ["es", "en"])
def test_connectivity_segment(run_segment, lang):
    from scenes.kit import palette
    from scenes.narration.segment_text import load_segment_text

    scene = run_segment("s04_conectividad", lang)
    text = load_segment_text("s04_conectividad", lang)
    assert scene.unspoken_beats() == []
    problems = {beat: p for beat, p in scene.layout_report.items() if p}
    assert problems == {}

    # every line drawn is one convmath link, and all links are drawn
    for diagram in (scene.diagram, scene.strided):
        assert drawn(diagram.lines) == sorted((l.row, l.col, l.tap) for l in cm.links(diagram.spec))

    # the key of the line colours: the kernel's weights w₁, w₂, w₃ (numbered from 1), each in
    # the colour of its lines
    key, k = scene.key, scene.diagram.spec.kernel[0]
    assert scene.key_names == ["w₁", "w₂", "w₃"][:k] and key.latex == [f"w_{{{t + 1}}}" for t in range(k)]
    for t in range(k):
        assert key.cells[t].get_stroke_color() == palette.tap_color(t)
    assert len(scene.line_colors) == len(scene.diagram.lines)
    for tap, color in scene.line_colors:
        assert color == key.cells[tap].get_stroke_color()
    assert [n.tap for n in scene.key_2d.names] == list(np.ndindex(*scene.grid_2d.spec.kernel))
    assert scene.key_2d.latex[1] == "w_{12}"

    # what one output reads and one input feeds, as said and written (1-based on screen)
    (o,), cells = scene.shown_reads
    assert cells == [c[0] + 1 for c, _ in cm.reads(scene.diagram.spec)[(o,)]]
    (c,), outs = scene.shown_feeds
    assert outs == [q[0] + 1 for q, _ in cm.feeds(scene.diagram.spec)[(c,)]]

    # usage counts written in the input cells
    for diagram, shown in ((scene.diagram, scene.usage_shown),
                           (scene.strided, scene.usage_shown2)):
        values = [t.value for t in shown]
        assert values == cm.usage_count(diagram.spec).tolist()
        assert [int(t.original_text) for t in shown] == values

    # 2D: what an output reads and what an input feeds, as convmath says
    grid = scene.grid_2d
    for cell, n in scene.shown_reads_2d:
        assert n == len(cm.reads(grid.spec)[cell])
    for cell, n in scene.shown_feeds_2d:
        assert n == len(cm.feeds(grid.spec)[cell])
    # the 2D grids carry their row and column numbers (from 1): rows beside, columns under
    for marks, shape, cell_of in zip(scene.grid_marks, (grid.spec.input, grid.spec.output),
                                     (grid.input_cell, grid.output_cell)):
        assert [int(t.original_text) for t in marks] == (list(range(1, shape[0] + 1))
                                                         + list(range(1, shape[1] + 1)))
        for r in range(shape[0]):
            assert abs(marks[r].get_y() - cell_of((r, 0)).get_y()) < 1e-6
        for c in range(shape[1]):
            col = marks[shape[0] + c]
            assert abs(col.get_x() - cell_of((0, c)).get_x()) < 1e-6
            assert col.get_top()[1] < cell_of((shape[0] - 1, c)).get_bottom()[1]
    # it ends on the middle input's links, every arrow reversed (from an output to the input)
    feeds = cm.feeds(grid.spec)[grid.chosen]
    assert grid.of == "input" and grid.reversed
    assert sorted(l.row for l in grid.chosen_links) == sorted(o for o, _ in feeds)
    for line in grid.lines:
        start, end = line.get_start(), line.get_end()
        i_cell = grid.input_cell(grid.chosen).get_center()
        o_cell = grid.output_cell(line.link.row).get_center()
        assert np.linalg.norm(end - i_cell) < np.linalg.norm(start - i_cell)
        assert np.linalg.norm(start - o_cell) < 0.2
    # the caption names the transposed convolution's shapes
    t = cm.plan_transpose(grid.spec).transposed
    assert scene.transposed_shapes == (t.input, t.output)
    assert scene.transposed_caption.original_text.replace(" ", "") == text.string(
        "transposed", a=f"{t.input[0]}×{t.input[1]}", b=f"{t.output[0]}×{t.output[1]}").replace(" ", "")

    # the 2D case is narrated for at least 15 s; the promise is the last thing said
    spoken = {b["id"]: b for b in scene.spoken_beats}
    assert sum(spoken[b]["duration"] for b in GRID_BEATS) >= MIN_GRID_SECONDS
    assert scene.beats_spoken[-1] == "next"

    # the diagrams use the frame: with their key they span most of its width
    assert width_share(scene.diagram, scene.key) > 0.8
    assert width_share(scene.grid_2d, scene.key_2d) > 0.8


def test_usage_counts_of_the_examples():
    from scenes.s04_conectividad import LINE_1D, STRIDED_1D
    assert cm.usage_count(LINE_1D).tolist() == [1, 2, 3, 3, 3, 2, 1]
    assert cm.usage_count(STRIDED_1D).tolist() == [1, 1, 2, 1, 2, 1, 1]


def test_the_texts_anchor_the_same_words():
    """Both languages anchor the same pictures in the same order, and the three weights of
    the colour key each get one (the example's kernel has three taps)."""
    from scenes.narration.segment_text import load_segment_text
    from scenes.s04_conectividad import LINE_1D

    es, en = (load_segment_text("s04_conectividad", lang) for lang in ("es", "en"))
    assert [b.anchors for b in es.beats] == [b.anchors for b in en.beats]
    assert es.beat("colors").anchors == [f"w{t + 1}" for t in range(LINE_1D.kernel[0])]

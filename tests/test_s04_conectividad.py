"""Segment 4 (filter connectivity): what it shows is convmath's connectivity."""

import numpy as np
import pytest

import convmath as cm


@pytest.mark.parametrize("lang", ["es", "en"])
def test_connectivity_segment(run_segment, lang):
    scene = run_segment("s04_conectividad", lang)
    assert scene.unspoken_beats() == []
    problems = {beat: p for beat, p in scene.layout_report.items() if p}
    assert problems == {}

    # every line drawn is one convmath link, and all links are drawn
    for diagram in (scene.diagram, scene.strided, scene.reverse):
        sp = diagram.spec
        drawn = sorted((line.link.row, line.link.col, line.link.tap) for line in diagram.lines)
        assert drawn == sorted((l.row, l.col, l.tap) for l in cm.links(sp))

    # what one output reads and one input feeds, as said and shown (1-based on screen)
    (o,), cells = scene.shown_reads
    expected = [c[0] + 1 for c, _ in cm.reads(scene.diagram.spec)[(o,)]]
    assert cells == expected
    (c,), outs = scene.shown_feeds
    assert outs == [q[0] + 1 for q, _ in cm.feeds(scene.diagram.spec)[(c,)]]

    # usage counts written in the input cells
    for diagram, shown in ((scene.diagram, scene.usage_shown),
                           (scene.strided, scene.usage_shown2)):
        values = [t.value for t in shown]
        assert values == cm.usage_count(diagram.spec).tolist()
        assert [int(t.original_text) for t in shown] == values

    # the 2D diagram ends on an input cell and the outputs it feeds
    grid = scene.grid_2d
    feeds = cm.feeds(grid.spec)[grid.chosen]
    assert sorted(l.row for l in grid.chosen_links) == sorted(o for o, _ in feeds)


def test_usage_counts_of_the_examples():
    from scenes.s04_conectividad import LINE_1D, STRIDED_1D
    assert cm.usage_count(LINE_1D).tolist() == [1, 2, 3, 3, 3, 2, 1]
    assert cm.usage_count(STRIDED_1D).tolist() == [1, 1, 2, 1, 2, 1, 1]

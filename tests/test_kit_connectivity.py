"""Kit pieces of the connectivity segments (4 and 7) and the output-size cases (5): the weight
key, the 2D diagram's chosen cell and reversed arrows, redrawing a diagram, case cards."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("manim")

import convmath as cm  # noqa: E402
from scenes.kit import palette  # noqa: E402


def play(*animations_or_builders):
    """Play animations in a dry-run scene (nothing written); returns the scene."""
    from manim import Scene, tempconfig

    class Probe(Scene):
        def construct(self):
            for item in animations_or_builders:
                if callable(item):
                    item(self)
                else:
                    self.play(item, run_time=0.2)

    with tempconfig({"dry_run": True, "frame_rate": 5, "pixel_height": 90, "pixel_width": 160,
                     "verbosity": "ERROR", "progress_bar": "none", "disable_caching": True}):
        scene = Probe()
        scene.render()
    return scene


def test_weights_are_named_from_1():
    from scenes.kit.cells.legend import weight_latex, weight_name

    assert [weight_name((t,)) for t in range(3)] == ["w₁", "w₂", "w₃"]
    assert weight_name((0, 1)) == "w₁₂" and weight_latex((2, 0)) == "w_{31}"
    assert weight_latex((0, 9)) == "w_{1,10}"        # two-digit indices keep apart


def test_weight_key_colours_order_and_values():
    from scenes.kit.cells.legend import WeightKey

    key = WeightKey((3,))
    for t in range(3):
        assert key.cells[t].get_stroke_color() == palette.tap_color(t)
    flipped = WeightKey((3,), order=[2, 1, 0])
    assert flipped.latex == ["w_{3}", "w_{2}", "w_{1}"]
    assert flipped.entry(2)[0] is flipped.cells[0]
    assert flipped.cells[0].get_stroke_color() == palette.tap_color(2)
    marks = flipped.value_marks(np.array([1, 3, 2]))
    assert [(m.tap, m.value) for m in marks] == [(2, 2), (1, 3), (0, 1)]
    assert all(m.get_center()[1] < c.get_center()[1] for m, c in zip(marks, flipped.cells))
    with pytest.raises(ValueError):
        WeightKey((3,), order=[0, 0, 1])
    assert WeightKey((3, 3)).latex[5] == "w_{23}"


def test_a_2d_diagram_changes_its_cell_when_the_animation_starts():
    """Built early (as a narrated scene does, before waiting for the word), a change of the
    chosen cell shows nothing until it is played."""
    from scenes.kit.diagrams.connectivity import ConnectivityDiagram2D

    grid = ConnectivityDiagram2D(cm.spec((4, 4), 3), (0, 0), arrows=True)
    before = list(grid.lines)
    anim = grid.show((1, 1), "input")
    assert grid.chosen == (0, 0) and list(grid.lines) == before
    play(lambda s: s.add(grid), anim)
    assert grid.chosen == (1, 1) and grid.of == "input"
    assert sorted(l.row for l in grid.chosen_links) == sorted(
        o for o, _ in cm.feeds(grid.spec)[(1, 1)])
    # only the outline: no lines, no links
    play(lambda s: s.add(grid), grid.show((0, 1), "output", lines=False))
    assert grid.chosen == (0, 1) and len(grid.lines) == 0 and grid.chosen_links == []


def test_a_2d_diagram_reverses_its_arrows():
    from scenes.kit.diagrams.connectivity import ConnectivityDiagram2D

    grid = ConnectivityDiagram2D(cm.spec((4, 4), 3), (1, 1), of="input", arrows=True)
    play(lambda s: s.add(grid), grid.reverse())
    assert grid.reversed
    centre = grid.input_cell((1, 1)).get_center()
    for line in grid.lines:
        # every arrow now ends at the input cell and starts at its output cell
        assert np.linalg.norm(line.get_end() - centre) < 0.5 * grid.input_cell((1, 1)).width
        assert np.linalg.norm(line.get_start() - grid.output_cell(line.link.row).get_center()) < 0.1


def test_redraw_keeps_every_link_and_leaves_the_new_diagram_on_screen():
    from scenes.kit.diagrams.connectivity import ConnectivityDiagram, redraw

    sp = cm.spec(7, 3)
    old = ConnectivityDiagram(sp, reverse=True)
    new = ConnectivityDiagram(cm.plan_transpose(sp).transposed)
    scene = play(lambda s: s.add(old), redraw(old, new))
    family = scene.get_mobject_family_members()
    assert new in scene.mobjects and old not in family
    assert all(line in family for line in new.lines)


def test_case_notes_say_the_conditions_with_convmaths_numbers():
    from scenes.kit.cases.case_panel import case_note

    assert case_note(3, 5, 3, 1, 1) == (r"p = \left\lfloor k/2 \right\rfloor", "1")
    assert case_note(4, 5, 3, 1, 2) == ("p = k - 1", "2")
    assert case_note(15, 7, 3, 1, 0, 2)[1] == str(cm.spec(7, 3, 1, 0, 2).effective_kernel[0])
    assert case_note(15, 7, 3, 1, 0, 1) is None and case_note(6, 5, 3, 2, 1) is None
    with pytest.raises(cm.ConvError):
        case_note(3, 5, 3, 1, 2)           # p = 2 is not half padding for k = 3


def test_a_case_card_shows_each_part_when_asked_and_keeps_it():
    from scenes.kit.cases.case_panel import CaseCard, relationship_formula

    card = CaseCard(relationship_formula(6, 5, 3, 2, 1), titles=("Relación 6", "i = 5"),
                    max_width=6.0)
    assert card.general not in card.get_family()           # not drawn before its word
    card.shift(np.array([2.0, -1.0, 0.0]))
    assert card.box.get_left()[0] < card.general.get_left()[0] < card.box.get_right()[0]
    anims = [card.write_general(), card.write_numbers(), card.write_result()]
    play(lambda s: s.add(card), *anims)
    assert card.shown == ["general", "numbers", "result"]
    assert all(m in card.get_family() for m in (card.general, *card.numbers))
    assert card.result_latex == str(cm.spec(5, 3, 2, 1).output[0])
    assert card.substituted_latex.endswith(f"= {card.result_latex}")

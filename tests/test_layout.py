"""Layout checks: they catch overlapping text and things cut at the frame's edge, and the
kit's standard compositions pass them."""

from __future__ import annotations

import numpy as np
import pytest

manim = pytest.importorskip("manim")

import convmath  # noqa: E402
from manim import (DOWN, LEFT, RIGHT, UP, BackgroundRectangle, Scene, Square, Text,  # noqa: E402
                   VGroup, config, tempconfig)
from scenes import kit  # noqa: E402


def test_overlapping_pair_is_detected():
    a = Text("Entrada 5×5", font_size=30)
    b = Text("Salida 3×3", font_size=30).move_to(a.get_center() + 0.3 * RIGHT)
    c = Text("lejos", font_size=30).to_corner(DOWN + LEFT)
    pairs = kit.overlapping_text([a, b, c])
    assert len(pairs) == 1 and set(map(id, pairs[0])) == {id(a), id(b)}
    b.next_to(a, RIGHT, buff=0.2)
    assert kit.overlapping_text([a, b, c]) == []


def test_text_and_its_background_or_cell_are_not_an_overlap():
    t = Text("17", font_size=30)
    bg = BackgroundRectangle(t)
    cell = Square(0.6).move_to(t)
    assert kit.overlapping_text([VGroup(bg, t), cell]) == []


def test_math_parts_and_nested_groups_count_once():
    m = kit.math_tex(["a", "+", "b", "=", "c"])
    outer = VGroup(VGroup(m))
    assert kit.text_mobjects(outer) == [m]
    assert kit.overlapping_text([outer]) == []
    other = kit.math_tex("x").move_to(m[2])
    assert len(kit.overlapping_text([outer, other])) == 1


def test_invisible_text_is_ignored():
    a = Text("A", font_size=40)
    b = Text("B", font_size=40).move_to(a).set_opacity(0)
    assert kit.overlapping_text([a, b]) == []
    assert len(kit.overlapping_text([a, b], visible_only=False)) == 1


def test_outside_frame_and_fit():
    half_w = config.frame_width / 2
    sq = Square(1).move_to(RIGHT * (half_w - 0.2))
    inside = Square(1)
    assert kit.outside_frame([sq, inside]) == [sq]
    assert kit.outside_frame([inside], margin=3.6) == [inside]       # frame is 8 high
    wide = Text("x" * 120, font_size=40)
    assert kit.outside_frame([wide]) == [wide]
    kit.fit_in_frame(wide, margin=0.3)
    assert kit.outside_frame([wide], margin=0.29) == []
    box = kit.region("left")
    g = Square(5)
    kit.fit_to_region(g, *box)
    assert g.get_right()[0] <= box[2] + 1e-6 and g.get_left()[0] >= box[0] - 1e-6


def sliding_composition(step_index: int, lang: str = "es"):
    """The sliding scene of the padded 5×5 input, 3×3 kernel, stride 2, as a list of mobjects."""
    x = np.array([[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2],
                  [2, 0, 0, 0, 1]])
    w = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]])
    sp = convmath.spec((5, 5), 3, stride=2, padding=1)
    board = convmath.storyboard(sp, x, w)
    inp = kit.CellGrid(board.padded, cell_kind=board.cell_kind, label=True, lang=lang)
    ker = kit.CellGrid(board.kernel_applied, role="kernel", label=True, cell_size=0.5, lang=lang)
    out = kit.CellGrid(shape=sp.output, role="output", label=True, lang=lang,
                       cell_kind=np.full(sp.output, "empty", dtype=object))
    VGroup(inp, ker, out).arrange(RIGHT, buff=1.0, aligned_edge=UP).move_to(UP * 0.6)
    sl = kit.Slider(board, inp, out, lang=lang)
    for step in board.steps[:step_index]:
        out.set_number(step.output, step.total)
    step = board.steps[step_index]
    sl.footprint.move_to_window(step.window)
    sl.marker.move_to(out.cell_center(step.output))
    line = sl.products_line(step)
    return [inp, ker, out, *sl.mobjects, line, kit.OpCaption(board.op, lang=lang)], board


@pytest.mark.parametrize("lang,steps", [("es", range(9)), ("en", (0, 4, 8))])
def test_sliding_composition_is_clean_at_every_step(lang, steps):
    for k in steps:
        mobs, board = sliding_composition(k, lang)
        assert kit.layout_problems(mobs, margin=0.1) == [], k


def test_matrix_connectivity_and_cards_are_clean():
    sp = convmath.spec((4, 4), 3)
    mv = kit.MatrixView(sp)
    title = Text("C", font_size=36).to_edge(UP)
    mv.next_to(title, DOWN, buff=0.5)
    assert kit.layout_problems([mv, title, mv.row_rect(1)], margin=0.1) == []

    d = kit.ConnectivityDiagram(convmath.spec(7, 3, stride=2, padding=1),
                                input_values=range(1, 8))
    assert kit.layout_problems([d], margin=0.1) == []

    card = kit.FormulaCard(r"o = \left\lfloor \frac{i + 2p - k}{s} \right\rfloor + 1",
                           r"o = \left\lfloor \frac{5 + 2\cdot 1 - 3}{2} \right\rfloor + 1 = 3",
                           title="Tamaño de la salida").to_edge(UP)
    tc = kit.TitleCard(2, "Relleno y paso", "Cómo cambia el tamaño de la salida").to_edge(DOWN)
    assert kit.layout_problems([card, tc], margin=0.1) == []


def test_one_still_frame_renders(tmp_path):
    """One low-quality still of the sliding composition (the only real render here)."""
    mobs, _ = sliding_composition(4)

    class Still(Scene):
        def construct(self):
            self.add(*mobs)

    with tempconfig({"quality": "low_quality", "media_dir": str(tmp_path), "save_last_frame": True,
                     "write_to_movie": False, "disable_caching": True, "verbosity": "ERROR",
                     "output_file": "still"}):
        scene = Still()
        scene.render()
        frame = scene.renderer.get_frame()
    assert frame.shape[0] == 480
    # something is drawn in the input's blue and the kernel's amber
    rgb = frame[..., :3].reshape(-1, 3).astype(int)
    near = lambda c: (np.abs(rgb - np.array(c)).sum(axis=1) < 60).any()  # noqa: E731
    assert near((38, 139, 210)) or near((27, 69, 100))
    assert list(tmp_path.rglob("*.png"))

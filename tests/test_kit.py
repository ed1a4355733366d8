"""The drawing kit shows convmath's numbers, exactly, and its animations fit their budgets.

Fast: mobjects are built, animations are played in a dry-run scene (no video is
written); no test renders a movie.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

manim = pytest.importorskip("manim")

import convmath  # noqa: E402
from manim import Scene, tempconfig  # noqa: E402
from scenes import kit  # noqa: E402
from scenes.kit import palette  # noqa: E402

X5 = np.array([[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2], [2, 0, 0, 0, 1]])
W3 = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]])


def padded_5x5_s2():
    sp = convmath.spec((5, 5), 3, stride=2, padding=1)
    board = convmath.storyboard(sp, X5, W3)
    inp = kit.CellGrid(board.padded, cell_kind=board.cell_kind, label=True)
    out = kit.CellGrid(shape=sp.output, role="output", label=True,
                       cell_kind=np.full(sp.output, "empty", dtype=object))
    manim.VGroup(inp, out).arrange(manim.RIGHT, buff=1.0)
    return sp, board, inp, out


def play_in_dry_run(tmp_path, construct):
    """Run ``construct(scene)`` in a scene that computes every animation but writes nothing."""

    class _S(Scene):
        def construct(self):
            construct(self)

    with tempconfig({"dry_run": True, "quality": "low_quality", "frame_rate": 5,
                     "pixel_height": 180, "pixel_width": 320, "media_dir": str(tmp_path),
                     "disable_caching": True, "verbosity": "ERROR", "progress_bar": "none"}):
        scene = _S()
        scene.render()
    return scene


# --- values as text --------------------------------------------------------------------------

def test_value_text_is_exact_and_parses_back():
    for v in [0, 7, -3, 17, Fraction(1, 2), Fraction(-5, 3), Fraction(4, 2), np.int64(-12)]:
        text = kit.value_text(v)
        assert kit.parse_value_text(text) == v
    assert kit.value_text(-3) == "\u22123"          # a true minus sign on screen
    assert kit.value_text(Fraction(-5, 3)) == "\u22125/3"
    assert kit.value_latex(Fraction(1, 2)) == r"\tfrac{1}{2}"
    assert kit.value_text(None) == ""


def test_tex_templates_per_language():
    es = kit.tex_template("es").preamble
    assert r"\usepackage[spanish,es-noshorthands" in es and "utf8" in es
    assert "english" in kit.tex_template("en").preamble
    with pytest.raises(ValueError):
        kit.tex_template("fr")


def test_spanish_accents_compile_in_math_text():
    m = kit.math_tex(r"\text{tamaño, núcleo, dilatación, ¿sí? ¡ñ!}\ 1 < 2 > 0", lang="es")
    assert m.width > 1 and len(m.get_family()) > 20


# --- grids -------------------------------------------------------------------------------------

def test_grid_shows_exactly_the_padded_input_of_the_storyboard():
    sp, board, inp, out = padded_5x5_s2()
    assert inp.shape == (7, 7) and out.shape == (3, 3)
    assert (inp.shown_values() == board.padded).all()
    assert (inp.values == board.padded).all()
    for idx in np.ndindex(*inp.shape):
        assert inp.number(idx).value == board.padded[idx]
    # kinds: the border is padding (dashed outline, no fill), the rest input
    assert (inp.cell_kind == board.cell_kind).all()
    assert inp.cell((0, 0)).get_fill_opacity() == 0
    assert inp.cell((1, 1)).get_fill_opacity() > 0
    assert inp.label.original_text == "Entrada 5×5"
    assert out.label.original_text == "Salida 3×3"
    assert all(v is None for v in out.values.flat)


def test_grid_fractions_negatives_and_blanks():
    vals = np.array([Fraction(1, 2), -3, None, Fraction(-7, 4)], dtype=object)
    g = kit.CellGrid(vals, role="kernel", label="w", lang="en")
    assert g.shown_text().tolist() == ["1/2", "\u22123", "", "\u22127/4"]
    assert g.shown_values().tolist() == [Fraction(1, 2), -3, None, Fraction(-7, 4)]
    assert g.number(2) is None
    # every number fits inside its cell
    for i in (0, 1, 3):
        assert g.number(i).width < g.cell(i).width


def test_grid_labels_follow_language_and_shape():
    g = kit.CellGrid(np.zeros((4, 6), dtype=int), role="input", label=True, lang="en")
    assert g.label.original_text == "Input 4×6"
    assert g.label.get_bottom()[1] > g.cells.get_top()[1]          # above, not overlapping
    h = kit.CellGrid(np.zeros(5, dtype=int), role="output", label=True, label_side=manim.DOWN)
    assert h.label.get_top()[1] < h.cells.get_bottom()[1]


def test_transposed_direct_grid_marks_inserted_zeros():
    tsp = convmath.transposed(3, 3, stride=2, padding=1)
    de = convmath.direct_storyboard(tsp, [1, 2, 3], [1, 1, 1])
    g = kit.CellGrid(de.storyboard.padded, cell_kind=de.cell_kind, label=True)
    assert (g.shown_values() == de.storyboard.padded).all()
    kinds = list(de.cell_kind)
    assert "inserted" in kinds and "padding" in kinds
    ins = kinds.index("inserted")
    assert g.cell(ins).get_fill_color().to_hex().lower() == palette.INSERTED.to_hex().lower()
    assert g.label.original_text == "Entrada 3"


def test_big_grid_is_quick_and_one_group():
    import time

    t0 = time.perf_counter()
    g = kit.CellGrid(np.arange(400).reshape(20, 20) % 9, cell_size=0.3)
    bare = kit.CellGrid(shape=(20, 20), show_numbers=False)
    assert time.perf_counter() - t0 < 5
    assert len(g.cells) == 400 and len(g.numbers) == 400 and len(bare.numbers) == 0


def test_footprint_spreads_taps_by_dilation():
    sp = convmath.spec((7, 7), 3, dilation=2)
    board = convmath.storyboard(sp, np.arange(49).reshape(7, 7), W3)
    grid = kit.CellGrid(board.padded, cell_kind=board.cell_kind)
    fp = kit.KernelFootprint(grid, sp.kernel, sp.dilation, window=(1, 2),
                             weights=board.kernel_applied)
    assert fp.extent == (5, 5) and len(fp.shades) == 9
    for t, shade in zip(fp.taps, fp.shades):
        cell = (1 + 2 * t[0], 2 + 2 * t[1])
        assert fp.tap_cell(t) == cell
        assert np.allclose(shade.get_center(), grid.cell_center(cell))
    assert fp.outline is not None                     # the dilated extent is outlined
    assert (fp.weights == board.kernel_applied).all()
    assert kit.text_mobjects([fp]) == []              # no digits too small to read in a cell
    fp.move_to_window((0, 0))
    assert np.allclose(fp.shades[0].get_center(), grid.cell_center((0, 0)))


def test_footprint_slides_to_a_window_without_copies():
    """``slide_to`` measures its offset when it begins and lands where ``move_to_window`` puts
    the footprint; its mobject is the footprint itself (no target copy)."""
    from scenes.kit.motion.moves import slide_to

    sp = convmath.spec((7, 7), 3, dilation=2)
    board = convmath.storyboard(sp, np.arange(49).reshape(7, 7), W3)
    grid = kit.CellGrid(board.padded, cell_kind=board.cell_kind)
    fp = kit.KernelFootprint(grid, sp.kernel, sp.dilation, window=(0, 0))
    anim = fp.slide_to((2, 1))
    fp.move_to_window((1, 1))                         # moved before the slide begins
    anim.begin()
    assert anim.starting_mobject is fp
    anim.interpolate(0.5)
    assert fp.window == (1, 1)
    anim.interpolate(1.0)
    anim.finish()
    assert fp.window == (2, 1)
    assert np.allclose(fp.shades[0].get_center(), grid.cell_center((2, 1)))
    box = kit.CellGrid(shape=(1, 1)).cells[0]
    move = slide_to(box, grid.cells[5])
    move.begin()
    move.interpolate(1.0)
    assert np.allclose(box.get_center(), grid.cells[5].get_center())


# --- the sliding kernel --------------------------------------------------------------------------

def test_products_lines_are_the_storyboards():
    sp, board, inp, out = padded_5x5_s2()
    sl = kit.Slider(board, inp, out)
    for step in board.steps:
        line = sl.products_line(step)
        assert line.products == [t.product for t in step.taps]
        assert line.factors == [(t.x, t.w) for t in step.taps]
        assert line.total_value == step.total == board.output[step.output]
        assert line.tex_parts[-1] == kit.value_latex(step.total)
        assert kit.outside_frame([line], margin=0.2) == []


def test_budget_plans_add_up():
    for n, budget, detailed in [(9, 10.0, 2), (25, 3.0, 2), (25, 8.0, 2), (49, 12.0, 1),
                                (4, 30.0, 2), (1, 0.5, 2), (25, 60.0, 3)]:
        plan = kit.plan_budget(n, budget, detailed)
        assert plan.total(n) == pytest.approx(budget)
        groups = -(-(n - plan.detailed) // plan.chunk)
        plays = plan.detailed + groups
        assert plays <= budget / 0.35 + 1           # never a blur of plays
        if plan.detailed:
            assert plan.detailed_time >= 2.4 - 1e-9
    with pytest.raises(ValueError):
        kit.plan_budget(5, 0, 1)


def test_slider_animations_fit_the_budget_and_fill_the_output(tmp_path):
    sp, board, inp, out = padded_5x5_s2()
    sl = kit.Slider(board, inp, out)
    anims = sl.animations(budget=9.0, detailed=2)
    assert sum(a.run_time for a in anims) == pytest.approx(9.0)
    assert (out.values == board.output).all()         # planned state

    sp2, board2, inp2, out2 = padded_5x5_s2()
    sl2 = kit.Slider(board2, inp2, out2)

    def construct(scene):
        scene.add(inp2, out2, *sl2.mobjects)
        scene.play(sl2.intro())
        scene.play(sl2.animation(budget=7.0, detailed=1))

    scene = play_in_dry_run(tmp_path, construct)
    assert scene.time == pytest.approx(8.0)
    assert (out2.shown_values() == board2.output).all()
    assert all(n in out2.numbers for n in out2._numbers.values())
    # nothing left behind: no products line, no flying copies, grids kept whole
    family = scene.get_mobject_family_members()
    assert inp2 in family and out2 in family
    assert not any(isinstance(m, manim.MathTex) for m in family)
    assert kit.overlapping_text(scene.mobjects) == []


def test_slider_steps_one_play_each(tmp_path):
    sp = convmath.spec((6, 6), 3, padding=1)
    board = convmath.storyboard(sp, np.arange(36).reshape(6, 6) % 4, W3, op=convmath.CONVOLUTION)
    inp = kit.CellGrid(board.padded, cell_kind=board.cell_kind, cell_size=0.45)
    out = kit.CellGrid(shape=sp.output, role="output", cell_size=0.45)
    sl = kit.Slider(board, inp, out)
    # the flipped kernel is what slides, and what the footprint shows
    assert (sl.footprint.weights == board.kernel_applied).all()
    # each tap shaded in its colour, the products line's weights too (the kernel is the key)
    for flat, shade in enumerate(sl.footprint.shades):
        assert shade.get_fill_color().to_hex() == palette.tap_color(flat).to_hex()
    line = sl.products_line(0)
    assert line.terms[4][2].get_color().to_hex() == palette.tap_color(4).to_hex()

    played = {}

    def construct(scene):
        scene.add(inp, out, *sl.mobjects)
        played["t"] = sl.play(scene, budget=10.0, detailed=2)

    scene = play_in_dry_run(tmp_path, construct)
    assert played["t"] == pytest.approx(10.0)
    assert (out.shown_values() == convmath.convolve(board.x, board.kernel, padding=1)).all()


def test_slider_rejects_grids_that_do_not_match():
    sp, board, inp, out = padded_5x5_s2()
    with pytest.raises(ValueError):
        kit.Slider(board, kit.CellGrid(X5), out)


# --- matrix and vector ---------------------------------------------------------------------------

def test_matrix_view_4x16_has_the_papers_tap_pattern():
    sp = convmath.spec((4, 4), 3)
    mv = kit.MatrixView(sp)
    assert mv.taps.shape == (4, 16)
    assert (mv.taps == convmath.tap_matrix(sp)).all()
    shown = mv.shown()
    # the taps are named from 1, as on screen and in speech
    row0 = ["w_{1,1}", "w_{1,2}", "w_{1,3}", "0", "w_{2,1}", "w_{2,2}", "w_{2,3}", "0",
            "w_{3,1}", "w_{3,2}", "w_{3,3}", "0", "0", "0", "0", "0"]
    assert shown[0].tolist() == row0
    # each row is the one before shifted by one cell, except across the input's row boundary
    assert shown[1].tolist() == ["0"] + row0[:-1]
    assert shown[2].tolist() == ["0"] * 4 + row0[:-4]
    r, c, t = convmath.matrix_entries(sp)
    for rr, cc, tt in zip(r, c, t):
        assert mv.entry(rr, cc).tap == tt
    assert sum(s != "0" for s in shown.flat) == len(r) == 36
    assert kit.outside_frame([mv]) == []


def test_matrix_view_numbers_are_conv_matrix_dense():
    sp = convmath.spec((4, 4), 3)
    w = np.array([[1, -2, 0], [Fraction(1, 2), 3, 1], [0, 0, -1]], dtype=object)
    mv = kit.MatrixView(sp, w)
    dense = convmath.conv_matrix_dense(sp, w)
    for rr in range(4):
        for cc in range(16):
            assert mv.entry(rr, cc).value == dense[rr, cc]
            if mv.taps[rr, cc] >= 0:
                assert mv.shown()[rr, cc] == kit.value_latex(dense[rr, cc])
    row = mv.row_rect(2)
    assert row.width > mv.entries.width * 0.9


def test_heat_map_for_large_matrices():
    sp = convmath.spec((12, 12), 3, padding=1)
    hm = kit.matrix_view(sp)
    assert isinstance(hm, kit.MatrixHeatMap)
    taps = convmath.tap_matrix(sp)
    assert (hm.shown() == taps).all()
    for layer in hm.tap_layers:                 # one mobject per tap, one square per entry
        assert len(layer.points) == 16 * int((taps == layer.tap).sum())
    px = hm.pixels()
    assert px.shape == (144, 144, 3)
    assert kit.outside_frame([hm]) == []
    assert isinstance(kit.matrix_view(convmath.spec((4, 4), 3)), kit.MatrixView)


def test_vector_view_is_row_major_like_convmath():
    x = X5[:4, :4]
    v = kit.VectorView(x)
    assert v.values.tolist() == x.reshape(-1).tolist()
    assert [v.entry(k).value for k in range(16)] == x.reshape(-1).tolist()
    s = kit.VectorView(shape=(4, 4), symbols=True)
    assert s.shown()[5] == "x_{2,2}"                   # numbered from 1
    assert kit.outside_frame([v, s]) == []


# --- connectivity -----------------------------------------------------------------------------------

@pytest.mark.parametrize("sp", [
    convmath.spec(7, 3, stride=2, padding=1),
    convmath.spec(6, 3),
    convmath.spec(9, 3, dilation=2, padding=2),
    convmath.transposed(4, 3, stride=2, padding=1, output_padding=1),
])
def test_connectivity_lines_are_convmath_links(sp):
    d = kit.ConnectivityDiagram(sp)
    links = convmath.links(sp)
    assert len(d.lines) == len(links)
    assert [line.link for line in d.lines] == links
    for line in d.lines:
        flat = int(np.ravel_multi_index(line.link.tap, sp.kernel))
        assert line.get_color().to_hex() == palette.tap_color(flat).to_hex()
    for o, pairs in convmath.reads(sp).items():
        assert len(d.lines_of_output(o)) == len(pairs)
    for i, pairs in convmath.feeds(sp).items():
        assert len(d.lines_of_input(i)) == len(pairs)
    assert kit.overlapping_text([d]) == []
    assert kit.outside_frame([d]) == []


def test_connectivity_shared_weights_are_parallel():
    sp = convmath.spec(7, 3, stride=2, padding=1)
    d = kit.ConnectivityDiagram(sp, arrows=False)
    by_tap = {}
    for line in d.lines:
        v = line.get_end() - line.get_start()
        by_tap.setdefault(line.link.tap, []).append(v / np.linalg.norm(v))
    for dirs in by_tap.values():
        assert all(np.allclose(dirs[0], v) for v in dirs)


def test_connectivity_highlight_and_reverse(tmp_path):
    sp = convmath.spec(7, 3, stride=2, padding=1)
    d = kit.ConnectivityDiagram(sp, reverse=True)
    # reversed arrows start at the output row
    first = d.lines[0]
    assert first.get_start()[1] > first.get_end()[1]

    def construct(scene):
        scene.add(d)
        scene.play(d.highlight_output(1))
        scene.play(d.reset())
        scene.play(d.highlight_input(3))

    play_in_dry_run(tmp_path, construct)
    lit = [line for line in d.lines if line.get_stroke_opacity() > 0.5]
    assert len(lit) == len(convmath.feeds(sp)[(3,)])


def test_connectivity_2d_chosen_cell(tmp_path):
    sp = convmath.spec((5, 5), 3, stride=2, padding=1)
    d = kit.ConnectivityDiagram2D(sp, (1, 1))
    assert d.chosen_links == [convmath.Link((1, 1), c, t) for c, t in convmath.reads(sp)[(1, 1)]]
    assert len(d.lines) == 9

    def construct(scene):
        scene.add(d)
        scene.play(d.show((0, 0)))
        scene.play(d.show((2, 2), of="input"))

    play_in_dry_run(tmp_path, construct)
    assert len(d.lines) == len(convmath.feeds(sp)[(2, 2)])
    assert kit.outside_frame([d]) == []


# --- formula card and titles ------------------------------------------------------------------------

GENERAL = r"o = \left\lfloor \frac{i + 2p - d(k-1) - 1}{s} \right\rfloor + 1"
SUBST = r"o = \left\lfloor \frac{7 + 2\cdot 1 - 1\cdot 2 - 1}{2} \right\rfloor + 1 = 4"


def test_split_result():
    assert kit.split_result(SUBST)[1] == "4"
    assert kit.split_result(r"a = \frac{1}{2}")[1] == r"\frac{1}{2}"
    assert kit.split_result(r"x = -3")[1] == "-3"
    assert kit.split_result(r"\left( a = b \right)") is None
    assert kit.split_result(GENERAL) is None          # right side is not a number


def test_formula_card_substitutes_in_place(tmp_path):
    card = kit.FormulaCard(GENERAL, SUBST, title="Tamaño de la salida")
    assert card.result_latex == "4"
    assert card.box.width >= max(card.general.width, card.substituted.width)

    def construct(scene):
        scene.play(card.write())
        scene.play(card.substitute())

    scene = play_in_dry_run(tmp_path, construct)
    assert card.body is card.substituted
    assert card in scene.mobjects
    assert card.general not in card.get_family()
    assert kit.overlapping_text([card]) == []
    assert kit.outside_frame([card]) == []


def test_titles_and_op_caption():
    t = kit.TitleCard(3, "Convolución como matriz", "La matriz C", lang="es")
    assert t.kicker.original_text == "Parte 3"
    assert kit.overlapping_text([t]) == [] and kit.outside_frame([t]) == []
    c = kit.OpCaption(convmath.CORRELATION, lang="en")
    assert "correlation" in c.text.original_text
    assert "convolución" in kit.OpCaption(convmath.CONVOLUTION, lang="es").text.original_text
    assert kit.outside_frame([c]) == []
    with pytest.raises(ValueError):
        kit.OpCaption("pooling")


def test_formula_card_from_convmath_formulas():
    from convmath import formulas

    sp = convmath.spec(7, 3, stride=2, padding=1)
    f = formulas.conv_output(sp, latex=True)
    card = kit.FormulaCard.from_formula(f, lang="es")
    assert card.general_latex == f.general
    assert card.substituted_latex.startswith("o = " + f.substituted)
    assert card.result_latex == str(sp.output[0]) == str(f.value)
    assert kit.outside_frame([card]) == []


# --- moving and highlighting without losing what is drawn ----------------------------------------

def test_half_turn_puts_each_weight_upright_in_its_flipped_place():
    from manim import PI, VGroup

    from scenes.kit.motion.moves import TurnUpright

    def turned(upright: bool):
        g = kit.CellGrid(W3, role="kernel")
        body = VGroup(g.cells, g.numbers)
        before = [n.get_all_points() - n.get_center() for n in g.numbers]
        anim = TurnUpright(body, upright=g.numbers if upright else (), angle=PI, shift=[3, 0, 0])
        anim.begin()
        anim.interpolate(1.0)
        target = kit.CellGrid(W3, role="kernel").shift([3, 0, 0])   # where the turn ends
        placed = all(np.allclose(n.get_center(), target.cell_center((2 - r, 2 - c)))
                     for n, (r, c) in zip(g.numbers, np.ndindex(3, 3)))
        upright_glyphs = all(np.allclose(n.get_all_points() - n.get_center(), b)
                             for n, b in zip(g.numbers, before))
        return placed, upright_glyphs

    assert turned(upright=True) == (True, True)
    # the failing case: turning the digits with the grid stands them on their heads
    assert turned(upright=False) == (True, False)


def test_pulse_and_fade_parts_leave_the_scene_as_it_was(tmp_path):
    from manim import Scene

    from scenes.kit.cells.grid import FadeParts
    from scenes.kit.motion.moves import pulse

    grid = kit.CellGrid(X5, cell_size=0.5)
    parts = [grid.cell((0, 0)), grid.number((0, 0))]
    seen = {}

    class Probe(Scene):
        def construct(self):
            self.add(grid)
            points = grid.cell((0, 0)).points.copy()
            self.play(pulse(grid, parts, color=palette.HIGHLIGHT, scale_factor=1.5))
            seen["after_pulse"] = (list(self.mobjects), np.allclose(points,
                                                                    grid.cell((0, 0)).points))
            self.play(FadeParts(grid, parts, fade_in=False))
            seen["faded"] = list(self.mobjects)
            # the failing case: Manim's own Indicate of a group of parts regroups the scene
            from manim import Indicate, VGroup
            self.play(Indicate(VGroup(*parts)))
            seen["indicate"] = list(self.mobjects)

    with tempconfig({"dry_run": True, "media_dir": str(tmp_path), "frame_rate": 5,
                     "pixel_height": 90, "pixel_width": 160, "verbosity": "ERROR",
                     "progress_bar": "none"}):
        Probe().render()
    assert seen["after_pulse"] == ([grid], True)        # nothing added, cell back in place
    assert seen["faded"] == [grid]
    assert grid.cell((0, 0)).get_fill_opacity() == 0    # faded parts stay transparent
    assert seen["indicate"] != [grid]

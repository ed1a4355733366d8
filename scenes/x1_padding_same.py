"""Extra 1 — "Kernels pares y padding SAME": how TensorFlow's SAME padding is computed.

SAME fixes the output first, o = ⌈i/s⌉, then pads what the o windows need:
total = max((o−1)s + d(k−1) + 1 − i, 0), before = total // 2, after = the rest (the extra
cell at the bottom/right). An even kernel (or a stride that does not fit the input) makes
the total odd, so the padding is asymmetric. Every size, padding and formula comes from
convmath (``cm.spec(..., padding="same")``, ``convmath.formulas.same_output`` /
``same_padding``); PyTorch's ``padding='same'`` is compared at the end (same split at
stride 1, refused for a larger stride).

    manim render scenes/x1_padding_same.py PaddingSame
"""

from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, AnimationGroup, Brace, Create, FadeIn, FadeOut,
                   Line, Succession, Text, VGroup)

import convmath as cm
from convmath import formulas
from scenes.kit import palette
from scenes.kit.clear import fade_out_all
from scenes.kit.conv_stage import sweep_groups
from scenes.kit.formula import FormulaCard
from scenes.kit.grid import CellGrid, KernelFootprint
from scenes.kit.heading import heading
from scenes.kit.light import LightenOnAdd
from scenes.kit.spans import WindowSpans
from scenes.kit.tex import math_tex
from scenes.kit.titles import play_title
from scenes.kit.words import size_text
from scenes.narration.scene import NarratedScene

# The examples: a 2D 5×5 input with an odd (3) and an even (4) kernel at stride 1, then
# 1D inputs of 7 and 6 cells with a 3-tap kernel at stride 2.
ODD = cm.spec((5, 5), 3, padding="same")
EVEN = cm.spec((5, 5), 4, padding="same")
STRIDED = cm.spec(7, 3, stride=2, padding="same")
UNEVEN = cm.spec(6, 3, stride=2, padding="same")
# rows of the TensorFlow / PyTorch table: (input, kernel, stride), 1D
COMPARED = [(5, 3, 1), (5, 4, 1), (6, 3, 2)]

GRID_Y = 0.95                            # centre of the 2D grids' cells
CARD_BOTTOM = -3.7                       # bottom of the formula cards
CARD_SIZE = 36
CELL = 0.38


def same_values(sp: cm.ConvSpec, axis: int = 0) -> dict:
    """The numbers a beat speaks about a SAME convolution, from convmath."""
    before, after = sp.padding[axis]
    return {"i": sp.input[axis], "k": sp.kernel[axis], "s": sp.stride[axis],
            "o": sp.output[axis], "total": before + after, "before": before, "after": after}


def torch_same_padding(k: int, s: int, d: int = 1) -> tuple[int, int] | None:
    """PyTorch's ``padding='same'``: d(k−1) in total, half (rounded down) before, the rest
    after; None (PyTorch raises) when the stride is above 1."""
    if s != 1:
        return None
    total = cm.effective_kernel(k, d) - 1
    return total // 2, total - total // 2


def split_latex(total: int, before: int, after: int) -> tuple[str, str]:
    """The split of a total padding into before/after, written out with its numbers."""
    general = (r"p_b = \left\lfloor \frac{p_b + p_a}{2} \right\rfloor, \quad "
               r"p_a = (p_b + p_a) - p_b")
    subst = (rf"p_b = \left\lfloor \frac{{{total}}}{{2}} \right\rfloor = {before}, \quad "
             rf"p_a = {total} - {before} = {after}")
    return general, subst


class SamePanel(VGroup):
    """A 2D SAME convolution: the padded input (padding dashed) with the kernel's footprint,
    and the output, whose cells light up as the footprint visits them."""

    def __init__(self, sp: cm.ConvSpec, words: dict, lang, cell_size: float = CELL):
        super().__init__()
        self.spec = sp
        # kernel positions from a storyboard of zeros: only the geometry counts here. Only
        # (window, output) pairs are kept: every animation deep-copies a mobject's attributes
        board = cm.storyboard(sp, np.zeros(sp.input, dtype=np.int64),
                              np.zeros(sp.kernel, dtype=np.int64))
        self.positions = [(st.window, st.output) for st in board.steps]
        self.input = CellGrid(shape=sp.padded_input, cell_kind=board.cell_kind,
                              role="input", cell_size=cell_size, show_numbers=False,
                              label=f"{words['input']} {size_text(sp.input)}", lang=lang)
        self.footprint = KernelFootprint(self.input, sp.kernel, sp.dilation,
                                         window=self.positions[0][0])
        self.input.overlays.add(self.footprint)
        self.output = CellGrid(shape=sp.output, role="output", cell_size=cell_size,
                               label=f"{words['output']} {size_text(sp.output)}", lang=lang)
        self.output.next_to(self.input, RIGHT, buff=1.6)
        self.output.align_to(self.input.cells, DOWN).shift(
            UP * (self.input.cells.get_center()[1] - self.output.cells.get_center()[1]))
        self.add(self.input, self.output)
        self.marker = None

    def sweep(self, budget: float, min_play: float = 0.5):
        """The footprint visits every position; the output cell of each lights up."""
        steps = self.positions
        groups = sweep_groups(len(steps), budget, self.spec.output[-1], min_play)
        each = budget / len(groups)
        plays = []
        for g in groups:
            move = self.footprint.animate.move_to_window(steps[g[-1]][0])
            fills = [self.output.fill_animation(steps[j][1], None) for j in g]
            plays.append(Succession(
                AnimationGroup(move, run_time=0.5 * each, group=self),
                AnimationGroup(*fills, lag_ratio=0.1 if len(fills) > 1 else 0,
                               run_time=0.5 * each, group=self), group=self))
        return Succession(*plays, group=self)

    def padding_braces(self) -> VGroup:
        """Braces along the padding rows (left side) and columns (below), each labelled with
        its number of cells: the before/after split of each axis, read from the grid."""
        group = VGroup()
        group.counts = {}
        kinds = self.input.cell_kind
        rows, cols = kinds.shape
        for axis, side in ((0, LEFT), (1, DOWN)):
            before, after = self.spec.padding[axis]
            n = rows if axis == 0 else cols
            for name, cells in (("before", range(before)), ("after", range(n - after, n))):
                cells = list(cells)
                if not cells:
                    continue
                if axis == 0:
                    mobs = [self.input.cell((r, 0)) for r in cells]
                else:
                    mobs = [self.input.cell((rows - 1, c)) for c in cells]
                brace = Brace(VGroup(*mobs), side, buff=0.08, color=palette.HIGHLIGHT)
                label = Text(str(len(cells)), font=palette.FONT, font_size=palette.LABEL_SIZE,
                             color=palette.HIGHLIGHT)
                brace.put_at_tip(label, buff=0.08)
                label.value = len(cells)
                group.counts[(axis, name)] = len(cells)
                group.add(VGroup(brace, label))
        return group


class StrideRow(VGroup):
    """A 1D SAME convolution: padded input row (padding dashed), the kernel's windows as
    brackets above it, the output row above them (each cell over its window's centre),
    labels on the left, the before/after split on the right and the total padding's
    formula with its numbers underneath."""

    def __init__(self, sp: cm.ConvSpec, words: dict, pads_text: str, lang,
                 cell_size: float = 0.7):
        super().__init__()
        self.spec = sp
        board = cm.storyboard(sp, np.zeros(sp.input, dtype=np.int64),
                              np.zeros(sp.kernel, dtype=np.int64))
        self.input = CellGrid(shape=sp.padded_input, cell_kind=board.cell_kind, role="input",
                              cell_size=cell_size, show_numbers=False, lang=lang)
        self.windows = WindowSpans(self.input, sp)
        top = self.windows.get_top()[1]
        self.output = CellGrid(shape=sp.output, role="output", cell_size=cell_size * 0.75,
                               cell_kind=np.full(sp.output, "output", dtype=object),
                               show_numbers=False, lang=lang)
        y = top + 0.15 + self.output.cell_size / 2
        for o, (first, last) in enumerate(self.windows.windows):
            x = (self.input.cell((first,)).get_center()[0]
                 + self.input.cell((last,)).get_center()[0]) / 2
            self.output.cell((o,)).move_to(np.array([x, y, 0.0]))
        self.in_label = Text(f"{words['input']} {size_text(sp.input)}", font=palette.FONT,
                             font_size=palette.LABEL_SIZE, color=palette.INPUT)
        self.out_label = Text(f"{words['output']} {size_text(sp.output)}", font=palette.FONT,
                              font_size=palette.LABEL_SIZE, color=palette.OUTPUT)
        before, after = sp.padding[0]
        self.pads = Text(pads_text, font=palette.FONT, font_size=palette.LABEL_SIZE,
                         color=palette.HIGHLIGHT)
        self.pads.value = (before, after)
        self.pads.next_to(self.input, RIGHT, buff=0.5)
        self.formula = formulas.same_padding(sp, latex=True)
        f = self.formula
        self.formula_line = math_tex(f"{f.general.split('=', 1)[0]} = {f.substituted} = "
                                     f"{f.value}", lang=lang, font_size=40)
        self.formula_line.next_to(self.input, DOWN, buff=0.35)
        self.add(self.input, self.windows, self.output, self.in_label, self.out_label,
                 self.pads, self.formula_line)
        self.place_labels(self.input.get_left()[0])

    def place_labels(self, x_right: float) -> None:
        """Right-align the two labels at ``x_right`` − a gap, beside their rows."""
        self.in_label.move_to(np.array([x_right - 0.3, self.input.get_center()[1], 0]),
                              aligned_edge=RIGHT)
        self.out_label.move_to(np.array([x_right - 0.3, self.output.get_center()[1], 0]),
                               aligned_edge=RIGHT)


class PaddingSame(LightenOnAdd, NarratedScene):
    segment_id = "x1_padding_same"

    def words(self) -> dict:
        return {"input": self.s("input"), "output": self.s("output")}

    def card(self, formula_or_latex, title: str, max_width: float = 11.5) -> FormulaCard:
        if isinstance(formula_or_latex, tuple):
            general, subst = formula_or_latex
            card = FormulaCard(general, subst, title=title, lang=self.lang, max_width=max_width,
                               font_size=CARD_SIZE)
        else:
            card = FormulaCard.from_formula(formula_or_latex, title=title, lang=self.lang,
                                            max_width=max_width, font_size=CARD_SIZE)
        # bottom-aligned, so a taller card (a fraction) grows upwards, never off the frame
        return card.move_to(np.array([0.0, CARD_BOTTOM + card.height / 2, 0.0]))

    def place_panel(self, panel: SamePanel) -> SamePanel:
        panel.shift(np.array([-panel.get_center()[0],
                              GRID_Y - panel.input.cells.get_center()[1], 0.0]))
        return panel

    def construct(self):
        words = self.words()
        play_title(self)

        # --- the output size: o = ⌈i/s⌉ ----------------------------------------------------------
        example = same_values(STRIDED)
        head = heading(self.s("goal"))
        goal_card = FormulaCard.from_formula(formulas.same_output(STRIDED, latex=True),
                                             lang=self.lang, font_size=56)
        goal_card.move_to(0.3 * UP)
        self.goal_card = goal_card
        with self.beat("goal", values={"i": example["i"], "s": example["s"],
                                       "o": example["o"]}) as beat:
            a, b, c = beat.split(0.6, 1.5, 1.5, leave=1.0)
            self.play(*fade_out_all(self, copy_free=True), run_time=a)
            self.play(FadeIn(head), goal_card.write(run_time=b), run_time=b)
            self.play(goal_card.substitute(run_time=c))

        # --- the total padding -----------------------------------------------------------------
        head2 = heading(self.s("total"))
        total_general = formulas.same_padding(STRIDED, latex=True).general
        total_card = FormulaCard(total_general, lang=self.lang, font_size=48)
        total_card.move_to(0.3 * UP)
        self.total_card_general = total_card
        with self.beat("total") as beat:
            a, b = beat.split(1, 2, leave=1.0)
            self.play(*fade_out_all(self, copy_free=True), FadeIn(head2), run_time=a)
            self.play(total_card.write(run_time=b))

        # --- odd kernel: symmetric ---------------------------------------------------------------
        self.panels = {}
        self.cards = {}
        self.heads = {}
        for beat_id, sp in (("odd", ODD), ("even", EVEN)):
            values = same_values(sp)
            panel = self.place_panel(SamePanel(sp, words, self.lang))
            fcard = self.card(formulas.same_padding(sp, latex=True), self.s("total_card"))
            head = heading(self.s(beat_id, i=values["i"], k=values["k"], s=values["s"]))
            self.panels[beat_id], self.cards[beat_id] = panel, fcard
            braces = panel.padding_braces() if beat_id == "odd" else None
            if braces is not None:
                self.braces_odd = braces
            with self.beat(beat_id, values=values) as beat:
                out_t, in_t, sweep_t, sub_t = beat.split(0.6, 1.5, 3.0, 1.5, leave=0.8)
                self.play(*fade_out_all(self, copy_free=True), run_time=out_t)
                self.play(FadeIn(head), FadeIn(panel), fcard.write(run_time=in_t),
                          run_time=in_t)
                self.play(panel.sweep(sweep_t))
                extra = [FadeIn(braces, lag_ratio=0.3)] if braces is not None else []
                self.play(fcard.substitute(run_time=sub_t), *extra, run_time=sub_t)
            self.heads[beat_id] = head

        # --- even kernel: the split --------------------------------------------------------------
        panel = self.panels["even"]
        values = same_values(EVEN)
        braces = panel.padding_braces()
        self.braces = braces
        split_card = self.card(split_latex(values["total"], values["before"], values["after"]),
                               self.s("split_card"))
        self.split_card = split_card
        head_split = heading(self.s("split"))
        with self.beat("split", values=values) as beat:
            a, b, c = beat.split(1, 1.5, 1.5, leave=0.8)
            self.play(FadeOut(self.cards["even"]), FadeOut(self.heads["even"]), FadeIn(head_split),
                      run_time=a)
            self.play(FadeIn(braces, lag_ratio=0.3), split_card.write(run_time=b), run_time=b)
            self.play(split_card.substitute(run_time=c))

        # --- first and last windows --------------------------------------------------------------
        (first_window, first_out), (last_window, last_out) = panel.positions[0], \
            panel.positions[-1]
        marker = panel.output.window_rectangle(first_out, (1, 1), color=palette.HIGHLIGHT)
        head_last = heading(self.s("last"))
        self.shown_windows = (first_window, last_window)
        with self.beat("last", values=values) as beat:
            a, b, c, d = beat.split(0.8, 1.2, 0.6, 1.6, leave=0.8)
            self.play(FadeOut(head_split), FadeIn(head_last),
                      panel.footprint.animate.move_to_window(first_window), run_time=a)
            self.play(Create(marker), run_time=b)
            self.wait(c)
            self.play(panel.footprint.animate.move_to_window(last_window),
                      marker.animate.move_to(panel.output.cell_center(last_out)), run_time=d)

        # --- stride: how the windows fit ---------------------------------------------------------
        rows = {}
        for name, sp in (("stride", STRIDED), ("stride_uneven", UNEVEN)):
            v = same_values(sp)
            rows[name] = StrideRow(sp, words, self.s("pads", before=v["before"],
                                                     after=v["after"]), self.lang)
        # the input cells of both rows start at the same x, so the padding shows the difference
        x0 = -3.1
        for row in rows.values():
            b = row.spec.padding[0][0]
            row.shift(RIGHT * (x0 - (row.input.cell((b,)).get_left()[0])))
        rows["stride"].shift(UP * (2.95 - rows["stride"].get_top()[1]))
        rows["stride_uneven"].shift(UP * (-0.55 - rows["stride_uneven"].get_top()[1]))
        label_x = min(r.input.get_left()[0] for r in rows.values())
        for row in rows.values():
            row.place_labels(label_x)
            row.formula_line.set_x(0.0)
        stride_head = heading(self.s("stride", k=STRIDED.kernel[0], s=STRIDED.stride[0]))
        self.rows = rows
        for n, (name, row) in enumerate(rows.items()):
            v = same_values(row.spec)
            with self.beat(name, values=v) as beat:
                if n == 0:
                    a, b, c, d = beat.split(0.6, 1.2, 2.5, 1.5, leave=0.8)
                    self.play(*fade_out_all(self, copy_free=True), run_time=a)
                    self.play(FadeIn(stride_head), FadeIn(row.input), FadeIn(row.in_label),
                              run_time=b)
                else:
                    b, c, d = beat.split(1.0, 2.5, 1.5, leave=0.8)
                    self.play(FadeIn(row.input), FadeIn(row.in_label), run_time=b)
                self.play(Create(row.windows, lag_ratio=0.3), FadeIn(row.output),
                          FadeIn(row.out_label), run_time=c)
                self.play(FadeIn(row.formula_line), FadeIn(row.pads), run_time=d)

        # --- PyTorch ----------------------------------------------------------------------------
        table = self.comparison_table()
        self.table = table
        head_pt = heading(self.s("pytorch"))
        with self.beat("pytorch") as beat:
            a, b, c = beat.split(0.6, 2.0, 2.0, leave=0.8)
            self.play(*fade_out_all(self, copy_free=True), FadeIn(head_pt), run_time=a)
            self.play(FadeIn(table.header), FadeIn(table.rule),
                      FadeIn(VGroup(*table.cells[:-1]), lag_ratio=0.2), run_time=b)
            self.play(FadeIn(table.cells[-1], lag_ratio=0.2), run_time=c)

        # --- summary -----------------------------------------------------------------------------
        head_sum = heading(self.s("summary"))
        lines = VGroup(
            math_tex(formulas.same_output(STRIDED, latex=True).general, lang=self.lang,
                     font_size=48),
            math_tex(total_general, lang=self.lang, font_size=48),
            math_tex(split_latex(0, 0, 0)[0], lang=self.lang, font_size=48),
        ).arrange(DOWN, buff=0.6)
        lines.move_to(0.2 * DOWN)
        self.summary_lines = lines
        with self.beat("summary") as beat:
            a, b = beat.split(0.6, 3.0, leave=1.0)
            self.play(*fade_out_all(self, copy_free=True), FadeIn(head_sum), run_time=a)
            self.play(FadeIn(lines, lag_ratio=0.5, shift=0.2 * UP), run_time=b)
        self.play(*fade_out_all(self, copy_free=True), run_time=0.8)

    def comparison_table(self) -> VGroup:
        """Rows (i, k, s): TensorFlow SAME's before + after, and PyTorch's (or its refusal)."""
        size = palette.BODY_SIZE
        col_x = (-4.3, 0.5, 4.4)
        header = VGroup(*(
            Text(t, font=palette.FONT, font_size=size - 4, color=palette.TEXT_DIM).move_to(
                np.array([x, 1.6, 0])) for x, t in zip(col_x[1:], ("TensorFlow  SAME",
                                                                   "PyTorch  'same'"))))
        rule = Line(np.array([-6.3, 1.15, 0]), np.array([6.3, 1.15, 0]), stroke_width=1.5,
                    color=palette.MUTED)
        cells = []
        rows = []
        for r, (i, k, s) in enumerate(COMPARED):
            sp = cm.spec(i, k, s, "same")
            tf = sp.padding[0]
            pt = torch_same_padding(k, s)
            y = 0.4 - r * 1.05
            case = Text(self.s("case", i=i, k=k, s=s), font=palette.FONT, font_size=size,
                        color=palette.TEXT).move_to(np.array([col_x[0], y, 0]))
            tf_t = Text(f"{tf[0]} + {tf[1]}", font=palette.FONT, font_size=size + 4,
                        color=palette.HIGHLIGHT).move_to(np.array([col_x[1], y, 0]))
            tf_t.value = tf
            if pt is None:
                pt_t = Text(self.s("refused"), font=palette.FONT, font_size=size + 4,
                            color=palette.TAP_COLORS[1])
            else:
                pt_t = Text(f"{pt[0]} + {pt[1]}", font=palette.FONT, font_size=size + 4,
                            color=palette.HIGHLIGHT)
            pt_t.move_to(np.array([col_x[2], y, 0]))
            pt_t.value = pt
            cells.append(VGroup(case, tf_t, pt_t))
            rows.append(((i, k, s), tf, pt))
        table = VGroup(header, rule, *cells)
        table.header, table.rule, table.cells, table.rows = header, rule, cells, rows
        return table

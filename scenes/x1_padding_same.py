"""Extra 1 — "Kernels pares y padding SAME": how TensorFlow's SAME padding is computed.

SAME fixes the output first, o = ⌈i/s⌉, then pads what the o windows need:
total = max((o−1)s + d(k−1) + 1 − i, 0), before = total // 2, after = the rest (the extra
cell at the bottom/right). An even kernel (or a stride that does not fit the input) makes
the total odd, so the padding is asymmetric. Every size, padding and formula comes from
convmath (``cm.spec(..., padding="same")``, ``convmath.formulas.same_output`` /
``same_padding``); PyTorch's ``padding='same'`` is compared at the end (total d(k − 1), same
split at stride 1, refused for a larger stride). The padding's symbols are written in the
viewer's language (p_antes / p_después, p_before / p_after); every picture change the voice
names is anchored to its word.

    manim render scenes/x1_padding_same.py PaddingSame
"""

from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, AnimationGroup, Brace, Create, FadeIn, Indicate,
                   Line, ReplacementTransform, Succession, Text, VGroup)

import convmath as cm
from convmath import formulas
from convmath.formulas import Formula
from scenes.kit import palette
from scenes.kit.cells.grid import CellGrid, KernelFootprint
from scenes.kit.cells.spans import WindowSpans
from scenes.kit.motion.fade import fade_in, fade_out, fade_out_all
from scenes.kit.operation.conv_stage import sweep_groups
from scenes.kit.text.formula import FormulaCard
from scenes.kit.text.numfmt import counted
from scenes.kit.text.tex import LightenOnAdd, math_tex
from scenes.kit.text.titles import heading
from scenes.kit.text.words import size_text
from scenes.narration.scene import NarratedScene
from scenes.title_beat import play_title

# The examples: a 2D 5×5 input with an odd (3) and an even (4) kernel at stride 1, then
# 1D inputs of 7 and 6 cells with a 3-tap kernel at stride 2.
ODD = cm.spec((5, 5), 3, padding="same")
EVEN = cm.spec((5, 5), 4, padding="same")
STRIDED = cm.spec(7, 3, stride=2, padding="same")
UNEVEN = cm.spec(6, 3, stride=2, padding="same")
# rows of the TensorFlow / PyTorch table: (input, kernel, stride), 1D
COMPARED = [(5, 3, 1), (5, 4, 1), (6, 3, 2)]

CARD_BOTTOM = -2.75                      # bottom of the formula cards: above the subtitle band
CARD_SIZE = 36
CELL = 0.5                               # cells of the 2D panels
GRID_TOP = 2.6                           # top of the 2D panels' padded inputs
ROW_CELL = 0.7                           # cells of the 1D rows
INTRO_CELL = 0.8                         # cells of the row that introduces the total


# --- the padding's symbols, in the viewer's language ---------------------------------------

def pad_symbol(word: str) -> str:
    """``p`` with a word as its subscript: p_{antes}, p_{before}, p_{total}."""
    return rf"p_{{\text{{{word}}}}}"


class PadSymbols:
    """The three symbols of the SAME padding (total, before, after) for a language's words."""

    def __init__(self, total: str, before: str, after: str):
        self.total, self.before, self.after = (pad_symbol(w) for w in (total, before, after))

    def total_formula(self, sp: cm.ConvSpec, axis: int = 0) -> Formula:
        """convmath's total padding, its left side written p_total."""
        f = formulas.same_padding(sp, axis, latex=True)
        return Formula(f"{self.total} = {f.general.split('=', 1)[1].strip()}", f.substituted,
                       f.value)

    def split_formulas(self, sp: cm.ConvSpec, axis: int = 0) -> tuple[Formula, Formula]:
        """p_before = ⌊p_total / 2⌋ and p_after = p_total − p_before, with convmath's split."""
        before, after = sp.padding[axis]
        total = before + after
        if (before, after) != (total // 2, total - total // 2):
            raise cm.ConvError(f"padding {before}:{after} is not SAME's split of {total}")
        return (Formula(rf"{self.before} = \lfloor {self.total} / 2 \rfloor",
                        rf"\lfloor {total} / 2 \rfloor", before),
                Formula(f"{self.after} = {self.total} - {self.before}", f"{total} - {before}",
                        after))

    def split_general(self) -> str:
        return (rf"{self.before} = \lfloor {self.total} / 2 \rfloor, \quad "
                rf"{self.after} = {self.total} - {self.before}")


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


def formula_card(formula: Formula, lang=None, max_width: float = 12.6) -> FormulaCard:
    """A formula on the bottom line, without a box (the grids above get the room)."""
    return FormulaCard.from_formula(formula, lang=lang, max_width=max_width,
                                    font_size=CARD_SIZE, box=False)


def at_bottom(card, x: float = 0.0):
    """Put a card (or a row of them) on the bottom line, above the subtitle band."""
    return card.move_to(np.array([x, CARD_BOTTOM + card.height / 2, 0.0]))


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
        self.output.next_to(self.input, RIGHT, buff=2.0)
        self.output.align_to(self.input.cells, DOWN).shift(
            UP * (self.input.cells.get_center()[1] - self.output.cells.get_center()[1]))
        self.add(self.input, self.output)
        # the input's top edge at GRID_TOP, the pair centred
        self.shift(np.array([-self.get_center()[0], GRID_TOP - self.input.cells.get_top()[1],
                             0.0]))

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

    def padding_braces(self) -> dict[str, VGroup]:
        """Braces along the padding rows (left side) and columns (below), each labelled with
        its number of cells, grouped by side of the split: {"before": ..., "after": ...}
        (read from the grid). Each group's ``counts``: {axis: cells}."""
        groups = {"before": VGroup(), "after": VGroup()}
        for g in groups.values():
            g.counts = {}
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
                groups[name].counts[axis] = len(cells)
                groups[name].add(VGroup(brace, label))
        return groups

    def padding_rows(self, name: str):
        """A frame around the padding rows at the top ("before") or bottom ("after")."""
        before, after = self.spec.padding[0]
        rows, cols = self.input.shape
        start, count = (0, before) if name == "before" else (rows - after, after)
        return self.input.window_rectangle((start, 0), (count, cols), color=palette.HIGHLIGHT,
                                           width=4)


class StrideRow(VGroup):
    """A 1D SAME convolution: padded input row (padding dashed), the kernel's windows as
    brackets above it, the output row above them (each cell over its window's centre),
    labels on the left, the before/after split on the right and the total padding's
    formula with its numbers underneath."""

    def __init__(self, sp: cm.ConvSpec, words: dict, pads_text: str, symbols: PadSymbols,
                 lang, cell_size: float = ROW_CELL):
        super().__init__()
        self.spec = sp
        board = cm.storyboard(sp, np.zeros(sp.input, dtype=np.int64),
                              np.zeros(sp.kernel, dtype=np.int64))
        self.input = CellGrid(shape=sp.padded_input, cell_kind=board.cell_kind, role="input",
                              cell_size=cell_size, show_numbers=False, lang=lang)
        kinds = board.cell_kind
        self.core = VGroup(*(self.input.cell((j,)) for j in range(kinds.shape[0])
                             if kinds[j] != "padding"))
        self.padding_cells = VGroup(*(self.input.cell((j,)) for j in range(kinds.shape[0])
                                      if kinds[j] == "padding"))
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
        self.formula = symbols.total_formula(sp)
        f = self.formula
        self.formula_line = math_tex(f"{f.general.split('=', 1)[0]} = {f.substituted} = "
                                     f"{f.value}", lang=lang, font_size=CARD_SIZE)
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

    def span_brace(self, first: int, last: int, latex: str, level: int, lang) -> VGroup:
        """A brace under padded cells ``first..last`` (``level`` 0 nearest the row) with a
        formula under it."""
        cells = VGroup(*(self.input.cell((j,)) for j in range(first, last + 1)))
        brace = Brace(cells, DOWN, buff=0.1 + 0.72 * level, color=palette.HIGHLIGHT)
        label = math_tex(latex, lang=lang, font_size=32, color=palette.HIGHLIGHT)
        brace.put_at_tip(label, buff=0.08)
        group = VGroup(brace, label)
        group.cells = (first, last)
        return group


class PaddingSame(LightenOnAdd, NarratedScene):
    segment_id = "x1_padding_same"

    def words(self) -> dict:
        return {"input": self.s("input"), "output": self.s("output")}

    def count(self, n: int, noun: str) -> str:
        """``n`` with the noun ``noun`` in the right number ("1 celda", "2 cells")."""
        return counted(n, self.s(f"{noun}_one"), self.s(f"{noun}_many"))

    def retitle(self, text: str, keep=()) -> list:
        """The heading becomes ``text``; everything else on screen, but ``keep``, fades out."""
        new = heading(text)
        old = self.head
        anims = fade_out_all(self, keep=[old, *keep], copy_free=True)
        anims.append(ReplacementTransform(old, new) if old is not None else FadeIn(new))
        self.head = new
        return anims

    def construct(self):
        self.symbols = PadSymbols(self.s("sub_total"), self.s("sub_before"), self.s("sub_after"))
        self.head = None
        play_title(self)
        self.intro_row_beats()
        self.panel_beats()
        self.stride_beats()
        self.pytorch_beat()
        self.summary_beat()

    # --- the output size and the total, on a 1D row -------------------------------------------
    def intro_row_beats(self) -> None:
        lang = self.lang
        sp = STRIDED
        v = same_values(sp)
        row = StrideRow(sp, self.words(), self.s("pads", before=v["before"], after=v["after"]),
                        self.symbols, lang, cell_size=INTRO_CELL)
        row.shift(np.array([-0.5 - row.input.get_center()[0], 0.85 - row.input.get_center()[1],
                            0.0]))
        row.place_labels(row.input.get_left()[0])
        self.intro_row = row
        goal_card = at_bottom(FormulaCard.from_formula(formulas.same_output(sp, latex=True),
                                                       lang=lang, font_size=48))
        self.goal_card = goal_card
        with self.beat("goal", values={"i": v["i"], "s": v["s"], "o": v["o"],
                                       "o_cells": self.count(v["o"], "cell")}) as beat:
            self.play(*self.retitle(self.s("goal")), run_time=0.6)
            beat.at("ceil", goal_card.write(run_time=1.0))
            beat.at("input", FadeIn(row.core), FadeIn(row.in_label), run_time=0.8)
            beat.at("stride", goal_card.substitute(run_time=1.0, result_later=True))
            beat.at("o", goal_card.show_result(), FadeIn(row.output), FadeIn(row.out_label))

        # the total: the windows' span against the input
        board_windows = row.windows.windows
        first, last = board_windows[0], board_windows[-1]
        jumps = last[0] - first[0]                       # (o − 1)·s cells
        span = last[1] - first[0] + 1                    # (o − 1)·s + d(k − 1) + 1
        assert jumps == (v["o"] - 1) * v["s"] and span == jumps + sp.effective_kernel[0]
        jump_brace = row.span_brace(first[0], last[0] - 1, f"(o - 1)s = {jumps}", 0, lang)
        kernel_brace = row.span_brace(last[0], last[1],
                                      f"d(k - 1) + 1 = {sp.effective_kernel[0]}", 0, lang)
        span_brace = row.span_brace(first[0], last[1], f"(o - 1)s + d(k - 1) + 1 = {span}", 1,
                                    lang)
        self.total_braces = {"jumps": jump_brace, "kernel": kernel_brace, "span": span_brace}
        total = self.symbols.total_formula(sp)
        total_card = at_bottom(formula_card(total, lang=lang))
        self.total_card = total_card
        values = {"jumps": self.count(v["o"] - 1, "jump"), "s": v["s"],
                  "jump_cells": self.count(jumps, "cell"), "k": v["k"], "span": span,
                  "i": v["i"], "total": v["total"]}
        with self.beat("total", values=values) as beat:
            beat.at("formula", fade_out(goal_card), *self.retitle(self.s("total"),
                                                                  keep=list(self.mobjects)),
                    run_time=0.4)
            self.play(total_card.write(run_time=1.0))
            beat.at("windows", Create(row.windows, lag_ratio=0.3), run_time=1.0)
            beat.at("jumps", FadeIn(jump_brace), run_time=0.6)
            beat.at("kernel", FadeIn(kernel_brace), run_time=0.6)
            beat.at("span", FadeIn(span_brace), run_time=0.6)
            beat.at("input", Indicate(row.core, color=palette.HIGHLIGHT, scale_factor=1.05),
                    Indicate(row.in_label, color=palette.HIGHLIGHT))
            beat.at("total", FadeIn(row.padding_cells), FadeIn(row.pads),
                    total_card.substitute(run_time=1.0))
            beat.at("zero", Indicate(total_card.body, color=palette.HIGHLIGHT, scale_factor=1.05))

    # --- 2D: odd kernel, even kernel, the split, the first and last windows -------------------
    def panel_beats(self) -> None:
        lang = self.lang
        self.panels, self.cards, self.braces = {}, {}, {}
        for beat_id, sp in (("odd", ODD), ("even", EVEN)):
            v = same_values(sp)
            panel = SamePanel(sp, self.words(), lang)
            card = at_bottom(formula_card(self.symbols.total_formula(sp), lang=lang))
            braces = panel.padding_braces()
            self.panels[beat_id], self.cards[beat_id], self.braces[beat_id] = panel, card, braces
            values = dict(v, before_cells=self.count(v["before"], "cell"))
            with self.beat(beat_id, values=values) as beat:
                self.play(*self.retitle(self.s(beat_id, i=v["i"], k=v["k"], s=v["s"])),
                          run_time=0.5)
                beat.at("kernel", fade_in(panel), card.write(run_time=0.8), run_time=0.8)
                self.sweep(beat, panel)
                beat.at("total", card.substitute(run_time=1.0))
                if beat_id == "odd":
                    beat.at("before", FadeIn(braces["before"]), run_time=0.6)
                    beat.at("after", FadeIn(braces["after"]), run_time=0.6)

        panel, v = self.panels["even"], same_values(EVEN)
        braces = self.braces["even"]
        cards = [formula_card(f, lang=lang, max_width=6.2)
                 for f in self.symbols.split_formulas(EVEN)]
        pair = VGroup(*cards).arrange(RIGHT, buff=0.8)
        at_bottom(pair)
        self.split_cards = cards
        with self.beat("split", values=v) as beat:
            self.play(*self.retitle(self.s("split"), keep=[panel]), run_time=0.5)
            beat.at("half", *(c.write(run_time=1.0) for c in cards))
            beat.at("before", cards[0].substitute(run_time=1.0), FadeIn(braces["before"]))
            beat.at("after", cards[1].substitute(run_time=1.0), FadeIn(braces["after"]))

        (first_window, first_out), (last_window, last_out) = panel.positions[0], \
            panel.positions[-1]
        marker = panel.output.window_rectangle(first_out, (1, 1), color=palette.HIGHLIGHT)
        top_rows, bottom_rows = panel.padding_rows("before"), panel.padding_rows("after")
        self.shown_windows = (first_window, last_window)
        values = dict(v, before_rows=self.count(v["before"], "row"))
        with self.beat("last", values=values) as beat:
            self.play(*self.retitle(self.s("last"), keep=[panel, *braces.values(), *cards]),
                      run_time=0.5)
            beat.at("first", panel.footprint.animate.move_to_window(first_window),
                    Create(marker), run_time=0.8)
            beat.at("before", Create(top_rows), run_time=0.6)
            beat.at("last", panel.footprint.animate.move_to_window(last_window),
                    marker.animate.move_to(panel.output.cell_center(last_out)), run_time=0.8)
            beat.at("after", Create(bottom_rows), run_time=0.6)

    def sweep(self, beat, panel: SamePanel) -> None:
        """The footprint visits every position in the time left before the next anchor."""
        nxt = beat.next_mark_time()
        room = 3.0 if nxt is None else min(3.0, nxt - float(self.time) - 0.2)
        if room >= 0.6:
            self.play(panel.sweep(room))

    # --- stride: how the windows fit ---------------------------------------------------------
    def stride_beats(self) -> None:
        rows = {}
        for name, sp in (("stride", STRIDED), ("stride_uneven", UNEVEN)):
            v = same_values(sp)
            rows[name] = StrideRow(sp, self.words(), self.s("pads", before=v["before"],
                                                            after=v["after"]),
                                   self.symbols, self.lang)
        # the input cells of both rows start at the same x, so the padding shows the difference
        x0 = -3.1
        for row in rows.values():
            b = row.spec.padding[0][0]
            row.shift(RIGHT * (x0 - (row.input.cell((b,)).get_left()[0])))
        rows["stride"].shift(UP * (3.0 - rows["stride"].get_top()[1]))
        rows["stride_uneven"].shift(UP * (-0.3 - rows["stride_uneven"].get_top()[1]))
        label_x = min(r.input.get_left()[0] for r in rows.values())
        for row in rows.values():
            row.place_labels(label_x)
            row.formula_line.set_x(0.0)
        self.rows = rows
        for n, (name, row) in enumerate(rows.items()):
            v = same_values(row.spec)
            values = dict(v, o_windows=self.count(v["o"], "window"))
            with self.beat(name, values=values) as beat:
                if n == 0:
                    self.play(*self.retitle(self.s("stride", k=v["k"], s=v["s"])), run_time=0.5)
                beat.at("row", FadeIn(row.input), FadeIn(row.in_label), run_time=0.8)
                beat.at("o", Create(row.windows, lag_ratio=0.3), FadeIn(row.output),
                        FadeIn(row.out_label), run_time=1.0)
                beat.at("total", FadeIn(row.formula_line), FadeIn(row.pads), run_time=0.8)
                if "asym" in beat.marks:
                    beat.at("asym", Indicate(row.pads, color=palette.HIGHLIGHT))

    # --- PyTorch ----------------------------------------------------------------------------
    def pytorch_beat(self) -> None:
        table = self.comparison_table()
        self.table = table
        card = FormulaCard(rf"{self.symbols.total} = d(k - 1)", title=self.s("pytorch_card"),
                           lang=self.lang, font_size=CARD_SIZE)
        card.move_to(np.array([0.0, 3.1 - card.height / 2, 0.0]))
        self.pytorch_card = card
        stride_one = [n for n, (_, _, pt) in enumerate(table.rows) if pt is not None]
        refused = [n for n, (_, _, pt) in enumerate(table.rows) if pt is None]
        with self.beat("pytorch") as beat:
            self.play(*self.retitle(self.s("pytorch")), run_time=0.5)
            beat.at("same", FadeIn(table.header), FadeIn(table.rule),
                    FadeIn(VGroup(*(VGroup(c[0], c[1]) for c in table.cells)), lag_ratio=0.2),
                    run_time=1.0)
            beat.at("equal", FadeIn(VGroup(*(table.cells[n][2] for n in stride_one)),
                                    lag_ratio=0.2), run_time=0.8)
            beat.at("formula", card.write(run_time=1.0))
            beat.at("refuse", FadeIn(VGroup(*(table.cells[n][2] for n in refused))),
                    run_time=0.6)

    def comparison_table(self) -> VGroup:
        """Rows (i, k, s): TensorFlow SAME's before + after, and PyTorch's (or its refusal)."""
        size = palette.BODY_SIZE
        col_x = (-4.3, 0.5, 4.4)
        top = 0.85
        header = VGroup(*(
            Text(t, font=palette.FONT, font_size=size - 4, color=palette.TEXT_DIM).move_to(
                np.array([x, top, 0])) for x, t in zip(col_x[1:], ("TensorFlow  SAME",
                                                                   "PyTorch  'same'"))))
        rule = Line(np.array([-6.3, top - 0.45, 0]), np.array([6.3, top - 0.45, 0]),
                    stroke_width=1.5, color=palette.MUTED)
        cells = []
        rows = []
        for r, (i, k, s) in enumerate(COMPARED):
            sp = cm.spec(i, k, s, "same")
            tf = sp.padding[0]
            pt = torch_same_padding(k, s)
            y = top - 1.1 - r * 0.95
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

    # --- summary -----------------------------------------------------------------------------
    def summary_beat(self) -> None:
        sym = self.symbols
        lines = VGroup(
            math_tex(formulas.same_output(STRIDED, latex=True).general, lang=self.lang,
                     font_size=48),
            math_tex(sym.total_formula(STRIDED).general, lang=self.lang, font_size=44),
            math_tex(sym.split_general(), lang=self.lang, font_size=44),
        ).arrange(DOWN, buff=0.55)
        if lines.width > 13.0:
            lines.scale_to_fit_width(13.0)
        lines.move_to(0.3 * UP)
        self.summary_lines = lines
        with self.beat("summary") as beat:
            self.play(*self.retitle(self.s("summary")), run_time=0.5)
            for mark, line in zip(("out", "total", "split"), lines):
                beat.at(mark, FadeIn(line, shift=0.2 * UP), run_time=0.8)
        self.play(*fade_out_all(self, copy_free=True), run_time=0.8)

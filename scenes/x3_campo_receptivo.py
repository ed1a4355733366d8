"""Extra 3 — "Campo receptivo": how much of the input a cell deep in a network sees.

A small 1D network of three 3-tap layers (the middle one with stride 2) is drawn as rows,
each cell over the centre of its field; the lines between rows are ``convmath.links`` of
each layer, and the field of a top cell is followed down through ``convmath.reads`` to the
input. Size, jump and centre per layer come from ``convmath.receptive_field``; the closed
form r = Σ (k̂ₗ − 1)·Π_{i<l} sᵢ + 1 is written out with its numbers and checked against
``convmath.closed_form_size``. The same with dilations 1, 2, 4 and no stride closes.

    manim render scenes/x3_campo_receptivo.py CampoReceptivo
"""

from __future__ import annotations

from math import prod

import numpy as np
from manim import DOWN, LEFT, RIGHT, Create, Dot, FadeIn, FadeOut, Text, VGroup

import convmath as cm
from convmath.receptive import Layer
from scenes.kit import palette
from scenes.kit.clear import fade_out_all
from scenes.kit.formula import FormulaCard
from scenes.kit.heading import heading
from scenes.kit.light import LightenOnAdd
from scenes.kit.layer_stack import LayerStack
from scenes.kit.lists import spoken_list
from scenes.kit.spans import SpanBracket
from scenes.kit.titles import play_title
from scenes.narration.scene import NarratedScene

# Three 3-tap layers, the middle one with stride 2, over an input of 13 cells.
STRIDED = [Layer(3), Layer(3, stride=2), Layer(3)]
STRIDED_INPUT = 13
# Three 3-tap layers with dilations 1, 2 and 4 and no stride, over an input of 17 cells.
DILATED = [Layer(3, dilation=1), Layer(3, dilation=2), Layer(3, dilation=4)]
DILATED_INPUT = 17

STACK_TOP = 2.95           # top of the network's highest row
STACK_WIDTH = 6.8          # the input row's width at most
CARD_BOTTOM = -3.7
TABLE_ROOM = 3.1           # room right of the rows for the columns r, j, c
TABLE_STEP = 0.95          # distance between those columns
SPOKEN = {"es": ("por", "más"), "en": ("times", "plus")}


def closed_form_terms(layers) -> list[tuple[int, list[int]]]:
    """(k̂ₗ − 1, [s₁, …, s_{l−1}]) of each layer: the terms of r = Σ (k̂ₗ − 1)·Π sᵢ + 1."""
    terms, strides = [], []
    for layer in layers:
        terms.append((cm.effective_kernel(layer.kernel, layer.dilation) - 1, list(strides)))
        strides.append(layer.stride)
    return terms


def closed_form_latex(layers) -> tuple[str, str, int]:
    """The closed form in general and with this network's numbers, and its value."""
    general = r"r = \sum_{l} (\hat{k}_l - 1) \prod_{i<l} s_i + 1"
    parts = []
    for layer, (_, strides) in zip(layers, closed_form_terms(layers)):
        kk = cm.effective_kernel(layer.kernel, layer.dilation)
        factors = [str(v) for v in strides] or ["1"]
        parts.append(f"({kk} - 1)" + "".join(rf" \cdot {f}" for f in factors))
    value = cm.closed_form_size(layers)
    return general, "r = " + " + ".join(parts) + f" + 1 = {value}", value


def spoken_terms(layers, lang: str) -> str:
    """The closed form's terms as a person says them: "2 por 1, más 2 por 2, más 1"."""
    times, plus = SPOKEN[lang]
    said = [f"{k} {times} {prod(strides)}" for k, strides in closed_form_terms(layers)]
    return f", {plus} ".join(said + ["1"])


class CampoReceptivo(LightenOnAdd, NarratedScene):
    segment_id = "x3_campo_receptivo"

    def row_labels(self, n_input, layers) -> list[str]:
        labels = [f"{self.s('input')} {n_input}"]
        for n, layer in enumerate(layers, 1):
            parts = [f"k = {layer.kernel}"]
            if layer.stride != 1:
                parts.append(f"s = {layer.stride}")
            if layer.dilation != 1:
                parts.append(f"d = {layer.dilation}")
            labels.append(f"{self.s('layer', n=n)} · " + ", ".join(parts))
        return labels

    def network(self, n_input, layers, room_right: float = 0.0) -> LayerStack:
        """The network's rows with their labels, centred with ``room_right`` units kept free
        right of the rows (for the table of r, j, c)."""
        cell = min(0.5, STACK_WIDTH / n_input)
        stack = LayerStack(n_input, layers, cell_size=cell, row_gap=0.7,
                           row_labels=self.row_labels(n_input, layers),
                           label_size=palette.CAPTION_SIZE)
        rows = VGroup(*stack.rows)
        left = stack.labels.get_left()[0]
        right = rows.get_right()[0] + room_right
        stack.shift(np.array([-(left + right) / 2, STACK_TOP - rows.get_top()[1], 0.0]))
        return stack

    def table(self, stack: LayerStack) -> dict[str, VGroup]:
        """Per row, the field's size r, jump j and centre c (input: 1, 1, 0), right of the rows."""
        right = max(r.get_right()[0] for r in stack.rows) + 0.4
        cols = {"r": VGroup(), "j": VGroup(), "c": VGroup()}
        values = [(1, 1, 0)] + [(f.size, f.jump, f.start) for f in stack.fields]
        for row, (r, j, c) in zip(stack.rows, values):
            y = row.get_center()[1]
            for n, (name, v) in enumerate((("r", r), ("j", j), ("c", c))):
                t = Text(f"{name} = {v}", font=palette.FONT, font_size=palette.CAPTION_SIZE,
                         color=palette.HIGHLIGHT if name == "r" else palette.TEXT)
                t.move_to(np.array([right + TABLE_STEP * n, y, 0.0]), aligned_edge=LEFT)
                t.value = v
                cols[name].add(t)
        return cols

    def middle_cone(self, stack, top):
        """The cone of the middle cell of layer ``top``: cells per layer, their marks, the
        input cells it sees and the bracket "r = …" under them."""
        m = stack.sizes[top] // 2
        cone = stack.cone(top, m)
        field = cone[0]
        bracket = SpanBracket(stack.rows[0], field[0], field[-1], side=DOWN,
                              color=palette.HIGHLIGHT, label=f"r = {len(field)}",
                              label_side=RIGHT, value=len(field))
        return cone, stack.cone_marks(top, m), field, bracket

    def construct(self):
        play_title(self)
        self.strided_part()
        self.dilated_part()
        self.play(*fade_out_all(self, copy_free=True), run_time=0.8)

    # --- three layers, one strided ---------------------------------------------------------------
    def strided_part(self):
        stack = self.network(STRIDED_INPUT, STRIDED, room_right=TABLE_ROOM)
        self.stack = stack
        top = len(stack.rows) - 1
        # one layer: a cell of layer 1 in the middle and the input cells it reads
        mid1 = stack.sizes[1] // 2
        cone1 = stack.cone_marks(1, mid1)
        field1 = stack.cone(1, mid1)[0]
        bracket1 = SpanBracket(stack.rows[0], field1[0], field1[-1], side=DOWN,
                               color=palette.HIGHLIGHT, label=f"r = {len(field1)}",
                               label_side=RIGHT, value=len(field1))
        self.idea_field = field1
        head = heading(self.s("one_layer"))
        with self.beat("idea", values={"k": STRIDED[0].kernel,
                                       "r": stack.fields[0].size}) as beat:
            a, b, c = beat.split(0.6, 2.0, 2.0, leave=0.6)
            self.play(*fade_out_all(self, copy_free=True), FadeIn(head), run_time=a)
            self.play(FadeIn(stack.rows[0]), FadeIn(stack.labels[0]), FadeIn(stack.rows[1]),
                      FadeIn(stack.labels[1]), Create(stack.lines[0]), run_time=b)
            self.play(*(FadeIn(g) for g in cone1), FadeIn(bracket1), run_time=c)

        head2 = heading(self.s("stack"))
        strides = [layer.stride for layer in STRIDED]
        with self.beat("stack", values={"n": len(STRIDED), "k": STRIDED[0].kernel,
                                        "s": max(strides)}) as beat:
            a, b = beat.split(1.0, 2.5, leave=0.6)
            self.play(FadeOut(head), FadeIn(head2), *(FadeOut(g) for g in cone1),
                      FadeOut(bracket1), run_time=a)
            rest = []
            for level in range(2, top + 1):
                rest += [FadeIn(stack.rows[level]), FadeIn(stack.labels[level]),
                         Create(stack.lines[level - 1])]
            self.play(*rest, run_time=b)

        # the cone of a top cell
        cone, marks, field, bracket = self.middle_cone(stack, top)
        self.cone_shown, self.cone_bracket = cone, bracket
        head3 = heading(self.s("cone"))
        values = {"n2": len(cone[2]), "n1": len(cone[1]), "r": len(field)}
        with self.beat("cone", values=values) as beat:
            times = beat.split(0.6, *([1.2] * len(marks)), 1.0, leave=0.5)
            self.play(FadeOut(head2), FadeIn(head3), run_time=times[0])
            for g, t in zip(marks, times[1:]):
                self.play(FadeIn(g), run_time=t)
            self.play(FadeIn(bracket), run_time=times[-1])

        # the neighbour: its field shifted by the jump
        m = stack.sizes[top] // 2
        jump = stack.fields[-1].jump
        other = stack.cone(top, m + 1)[0]
        neighbour = SpanBracket(stack.rows[0], other[0], other[-1], side=DOWN,
                                color=palette.TAP_COLORS[4], lane=1, label=f"j = {jump}",
                                label_side=RIGHT, value=jump)
        neighbour_cell = stack.rows[top].cell((m + 1,)).copy().set_fill(opacity=0).set_stroke(
            palette.TAP_COLORS[4], width=5)
        self.neighbour = (other, neighbour)
        head4 = heading(self.s("jump"))
        with self.beat("jump", values={"j": jump}) as beat:
            a, b = beat.split(1.0, 2.0, leave=1.0)
            self.play(FadeOut(head3), FadeIn(head4), Create(neighbour_cell), run_time=a)
            self.play(FadeIn(neighbour), run_time=b)

        # recurrence: r and j per row
        cols = self.table(stack)
        self.columns = cols
        rule = FormulaCard(r"r_l = r_{l-1} + (\hat{k}_l - 1)\, j_{l-1}, \qquad j_l = j_{l-1}\, s_l",
                           title=self.s("rule"), lang=self.lang, font_size=38, max_width=11.0)
        rule.move_to(np.array([0.0, CARD_BOTTOM + rule.height / 2, 0.0]))
        self.rule_card = rule
        sizes = [1] + [f.size for f in stack.fields]
        head5 = heading(self.s("recurrence"))
        with self.beat("recurrence", values={"sizes": spoken_list(sizes, self.lang)}) as beat:
            a, b, c = beat.split(1.0, 2.0, 2.0, leave=0.6)
            self.play(FadeOut(head4), FadeIn(head5), FadeOut(neighbour), FadeOut(neighbour_cell),
                      *(FadeOut(g) for g in marks), FadeOut(bracket), run_time=a)
            self.play(rule.write(run_time=b))
            self.play(FadeIn(cols["r"], lag_ratio=0.3), FadeIn(cols["j"], lag_ratio=0.3),
                      run_time=c)

        # the centre of the first top cell's field
        f_top = stack.fields[-1]
        first = stack.cone(top, 0)[0]
        first_bracket = SpanBracket(stack.rows[0], first[0], first[-1], side=DOWN,
                                    color=palette.TAP_COLORS[4], label=f"r = {len(first)}",
                                    label_side=RIGHT, value=len(first))
        centre = stack.rows[0].cell((0,)).get_center() + RIGHT * float(f_top.start) * \
            stack.cell_size
        dot = Dot(centre, radius=0.09, color=palette.HIGHLIGHT)
        dot_label = Text(f"c = {f_top.start}", font=palette.FONT, font_size=palette.CAPTION_SIZE,
                         color=palette.HIGHLIGHT)
        dot_label.next_to(first_bracket.path, DOWN, buff=0.12).set_x(centre[0])
        dot_label.value = f_top.start
        first_marks = stack.cone_marks(top, 0, color=palette.TAP_COLORS[4])
        self.first_field = (first, first_bracket, dot_label)
        head6 = heading(self.s("start"))
        with self.beat("start", values={"c": f_top.start}) as beat:
            a, b, c = beat.split(1.0, 1.8, 1.8, leave=0.6)
            self.play(FadeOut(head5), FadeIn(head6), FadeIn(cols["c"], lag_ratio=0.3),
                      run_time=a)
            self.play(*(FadeIn(g) for g in first_marks), FadeIn(first_bracket), run_time=b)
            self.play(FadeIn(dot), FadeIn(dot_label), run_time=c)

        # the closed form
        general, subst, value = closed_form_latex(STRIDED)
        closed = FormulaCard(general, subst, title=self.s("closed_card"), lang=self.lang,
                             font_size=38, max_width=11.5)
        closed.move_to(np.array([0.0, CARD_BOTTOM + closed.height / 2, 0.0]))
        closed.value = value
        self.closed_card = closed
        head7 = heading(self.s("closed"))
        with self.beat("closed", values={"terms": spoken_terms(STRIDED, self.lang),
                                         "r": value}) as beat:
            a, b, c = beat.split(1.0, 1.6, 2.0, leave=0.6)
            self.play(FadeOut(head6), FadeIn(head7), FadeOut(rule), FadeOut(dot),
                      FadeOut(dot_label), FadeOut(first_bracket),
                      *(FadeOut(g) for g in first_marks), run_time=a)
            self.play(closed.write(run_time=b))
            self.play(closed.substitute(run_time=c))

    # --- dilation --------------------------------------------------------------------------------
    def dilated_part(self):
        stack = self.network(DILATED_INPUT, DILATED)
        self.dilated = stack
        top = len(stack.rows) - 1
        dil = [layer.dilation for layer in DILATED]
        kks = [cm.effective_kernel(layer.kernel, layer.dilation) for layer in DILATED]
        head = heading(self.s("dilation"))
        with self.beat("dilation", values={"ds": spoken_list(dil, self.lang),
                                           "kks": spoken_list(kks, self.lang)}) as beat:
            a, b = beat.split(0.8, 3.0, leave=0.8)
            self.play(*fade_out_all(self, copy_free=True), FadeIn(head), run_time=a)
            self.play(*(FadeIn(r) for r in stack.rows), FadeIn(stack.labels),
                      *(Create(g) for g in stack.lines), run_time=b)

        cone, marks, field, bracket = self.middle_cone(stack, top)
        self.dilated_cone, self.dilated_bracket = cone, bracket
        jump = stack.fields[-1].jump
        with self.beat("dilation_cone", values={"r": len(field), "j": jump}) as beat:
            times = beat.split(*([1.2] * len(marks)), 1.0, leave=0.8)
            for g, t in zip(marks, times):
                self.play(FadeIn(g), run_time=t)
            self.play(FadeIn(bracket), run_time=times[-1])

        general, subst, value = closed_form_latex(DILATED)
        closed = FormulaCard(general, subst, title=self.s("closed_card"), lang=self.lang,
                             font_size=38, max_width=11.5)
        closed.move_to(np.array([0.0, CARD_BOTTOM + closed.height / 2, 0.0]))
        closed.value = value
        self.dilated_card = closed
        with self.beat("dilation_sum", values={"terms": spoken_terms(DILATED, self.lang),
                                               "r": value}) as beat:
            a, b = beat.split(1.6, 2.0, leave=1.0)
            self.play(closed.write(run_time=a))
            self.play(closed.substitute(run_time=b))

"""Extra 3 — "Campo receptivo": how much of the input a cell deep in a network sees.

A small 1D network of three 3-tap layers (the middle one with stride 2) is drawn as rows,
each cell over the center of its field; the lines between rows are ``convmath.links`` of
each layer, and the field of a top cell is followed down through ``convmath.reads`` to the
input. Size, jump and center per layer come from ``convmath.receptive_field`` (cells and
centers counted from 1 on screen, as everywhere in the lecture); the recurrences, the
center's rule with its padding term and the closed form r = Σ (k̂ₗ − 1)·Π_{i<l} sᵢ + 1 are
written out, the closed form with its numbers (checked against ``convmath.closed_form_size``).
Then dilations 1, 2, 4 without stride: effective kernels k̂ = 3, 5, 9, a field of 15 cells
with no gaps (7 without dilation), why there are no gaps (each dilation fits in the field
below it), and what happens when it does not: dilations 2, 2, 2 leave every other cell
unseen (gridding).

Every number, formula, highlight and caption the voice names appears on its word.

    manim render scenes/x3_campo_receptivo.py CampoReceptivo
"""

from __future__ import annotations

from fractions import Fraction
from math import prod

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, AnimationGroup, Create, Dot, FadeIn, FadeOut, Indicate,
                   Succession, SurroundingRectangle, Text, VGroup, config)

import convmath as cm
from convmath.receptive import Layer
from scenes.kit import palette
from scenes.kit.cells.spans import SpanBracket
from scenes.kit.diagrams.layer_stack import LayerStack
from scenes.kit.motion.fade import fade_out
from scenes.kit.text.formula import FormulaCard
from scenes.kit.text.tex import LightenOnAdd, math_tex
from scenes.kit.text.titles import Headings
from scenes.kit.text.words import spoken_list
from scenes.narration.scene import NarratedScene
from scenes.title_beat import play_title

# Three 3-tap layers, the middle one with stride 2, over an input of 13 cells.
STRIDED = [Layer(3), Layer(3, stride=2), Layer(3)]
STRIDED_INPUT = 13
# Three 3-tap layers with dilations 1, 2 and 4 and no stride, over an input of 17 cells.
DILATED = [Layer(3, dilation=1), Layer(3, dilation=2), Layer(3, dilation=4)]
DILATED_INPUT = 17
# The same three layers without dilation (the field they would see) ...
PLAIN = [Layer(3)] * 3
# ... and with a dilation that skips more than the layer below sees (gridding).
GRIDDING = [Layer(3, dilation=2)] * 3

STACK_TOP = 3.0            # top of the network's highest row
ROW_GAP = 0.55             # between rows
MAX_CELL = 0.55
FRAME_LEFT, FRAME_RIGHT = -6.8, 6.8
CARD_BOTTOM = -2.7         # formulas stay above the subtitles
LANE_GAP = 0.45            # between brackets stacked under the input row
TABLE_STEP = 1.2           # between the columns right of the rows (room for a highlight box)
SPOKEN = {"es": ("por", "más"), "en": ("times", "plus")}
NEIGHBOR = palette.tap_color(4)


def closed_form_terms(layers) -> list[tuple[int, list[int]]]:
    """(k̂ₗ − 1, [s₁, …, s_{l−1}]) of each layer: the terms of r = Σ (k̂ₗ − 1)·Π sᵢ + 1."""
    terms, strides = [], []
    for layer in layers:
        terms.append((cm.effective_kernel(layer.kernel, layer.dilation) - 1, list(strides)))
        strides.append(layer.stride)
    return terms


def closed_form_latex(layers) -> tuple[str, str, int]:
    """The closed form in general and with this network's numbers, and its value."""
    general = r"r = \sum\nolimits_{l} (\hat{k}_l - 1) \prod\nolimits_{i<l} s_i + 1"
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


def shown_center(center: Fraction) -> Fraction:
    """A field's center as the lecture numbers cells, from 1 (convmath counts from 0)."""
    return center + 1


def number_text(v) -> str:
    v = Fraction(v)
    return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"


class CampoReceptivo(LightenOnAdd, NarratedScene):
    segment_id = "x3_campo_receptivo"

    # --- pictures ------------------------------------------------------------------------------
    def row_labels(self, n_input, layers, show) -> list[str]:
        """"Entrada 13", then "Capa 2 · k = 3, s = 2" (the parameters named in ``show``)."""
        labels = [f"{self.s('input')} {n_input}"]
        for n, layer in enumerate(layers, 1):
            parts = [f"{name} = {getattr(layer, attr)}" for name, attr in
                     (("k", "kernel"), ("s", "stride"), ("d", "dilation")) if name in show]
            labels.append(f"{self.s('layer', n=n)} · " + ", ".join(parts))
        return labels

    def network(self, n_input, layers, show="ks", columns: int = 0) -> LayerStack:
        """The network's rows with their labels, as large as the frame allows with
        ``columns`` columns of the table kept free right of the rows."""
        labels = self.row_labels(n_input, layers, show)
        label_w = max(Text(t, font=palette.FONT, font_size=palette.CAPTION_SIZE).width
                      for t in labels)
        room = FRAME_RIGHT - FRAME_LEFT - label_w - 0.3 - columns * TABLE_STEP - 0.3
        cell = min(MAX_CELL, room / n_input)
        stack = LayerStack(n_input, layers, cell_size=cell, row_gap=ROW_GAP, row_labels=labels,
                           label_size=palette.CAPTION_SIZE)
        rows = VGroup(*stack.rows)
        left = stack.labels.get_left()[0]
        right = rows.get_right()[0] + 0.3 + columns * TABLE_STEP
        stack.shift(np.array([(FRAME_LEFT + FRAME_RIGHT) / 2 - (left + right) / 2,
                              STACK_TOP - rows.get_top()[1], 0.0]))
        return stack

    def table(self, stack: LayerStack, columns) -> dict[str, VGroup]:
        """Columns right of the rows: ``columns`` is a list of (name, values per row); a value
        None leaves its row empty."""
        right = max(r.get_right()[0] for r in stack.rows) + 0.35
        cols = {}
        for n, (name, values) in enumerate(columns):
            col = VGroup()
            for row, v in zip(stack.rows, values):
                if v is None:
                    continue
                t = Text(f"{name} = {number_text(v)}", font=palette.FONT,
                         font_size=palette.CAPTION_SIZE,
                         color=palette.HIGHLIGHT if name == "r" else palette.TEXT)
                t.move_to(np.array([right + TABLE_STEP * n, row.get_center()[1], 0.0]),
                          aligned_edge=LEFT)
                t.value = v
                t.row = stack.rows.index(row)
                col.add(t)
            cols[name] = col
        return cols

    def bracket(self, stack, first, last, *, lane=0, color=palette.HIGHLIGHT, label=None,
                side=RIGHT, value=None) -> SpanBracket:
        """A bracket under input cells ``first..last``, in lane ``lane``."""
        return SpanBracket(stack.rows[0], first, last, side=DOWN, color=color, lane=lane,
                           lane_gap=LANE_GAP, label=label, label_side=side, value=value)

    def field_bracket(self, stack, field, **kwargs) -> SpanBracket:
        return self.bracket(stack, field[0], field[-1], label=f"r = {len(field)}",
                            value=len(field), **kwargs)

    def card(self, general, substituted=None, value=None) -> FormulaCard:
        card = FormulaCard(general, substituted, lang=self.lang, font_size=36,
                           max_width=config.frame_width - 1.2)
        card.move_to(np.array([0.0, CARD_BOTTOM + card.height / 2, 0.0]))
        card.value = value
        return card

    def swap_picture(self, new_animations, keep=()) -> Succession:
        """Everything on screen but the heading (and ``keep``) fades out, then the new
        picture comes in: two networks' labels are never on screen at once."""
        kept = {id(self.headings.current), *(id(m) for m in keep)}
        old = [m for m in self.mobjects if id(m) not in kept]
        return Succession(AnimationGroup(*(fade_out(m) for m in old), run_time=0.35),
                          AnimationGroup(*new_animations, run_time=0.7))

    def construct(self):
        play_title(self)
        self.headings = Headings(self)
        self.strided_part()
        self.dilated_part()
        self.gridding_part()
        self.play(*(fade_out(m) for m in list(self.mobjects)), run_time=0.8)

    # --- three layers, one strided ---------------------------------------------------------------
    def strided_part(self):
        stack = self.network(STRIDED_INPUT, STRIDED, show="ks", columns=3)
        self.stack = stack
        top = len(stack.rows) - 1
        # one layer: a cell of layer 1 in the middle and the input cells it reads
        mid1 = stack.sizes[1] // 2
        cone1 = stack.cone_marks(1, mid1)
        field1 = stack.cone(1, mid1)[0]
        bracket1 = self.field_bracket(stack, field1)
        self.idea_field = field1
        with self.beat("idea", values={"k": STRIDED[0].kernel,
                                       "r": stack.fields[0].size}) as beat:
            self.play(*self.headings.to(self.s("one_layer"), clear=True))
            beat.at("input", FadeIn(stack.rows[0]), FadeIn(stack.labels[0]))
            beat.at("layer", FadeIn(stack.rows[1]), FadeIn(stack.labels[1]),
                    Create(stack.lines[0]))
            beat.at("cell", FadeIn(cone1[0]))
            beat.at("r", FadeIn(cone1[1]), FadeIn(bracket1))

        strides = [layer.stride for layer in STRIDED]
        middle = strides.index(max(strides)) + 1          # the strided layer's row
        with self.beat("stack", values={"n": len(STRIDED), "k": STRIDED[0].kernel,
                                        "s": max(strides)}) as beat:
            self.play(*self.headings.to(self.s("stack")), *(FadeOut(g) for g in cone1),
                      FadeOut(bracket1))
            rest = []
            for level in range(2, top + 1):
                rest += [FadeIn(stack.rows[level]), FadeIn(stack.labels[level]),
                         Create(stack.lines[level - 1])]
            beat.at("n", *rest)
            beat.at("mid", Indicate(stack.labels[middle], color=palette.HIGHLIGHT))

        # the cone of a top cell
        m = stack.sizes[top] // 2
        cone = stack.cone(top, m)
        marks = stack.cone_marks(top, m)
        field = cone[0]
        bracket = self.field_bracket(stack, field)
        self.cone_shown, self.cone_bracket = cone, bracket
        values = {"n2": len(cone[2]), "n1": len(cone[1]), "r": len(field)}
        with self.beat("cone", values=values) as beat:
            self.play(*self.headings.to(self.s("cone")))
            for name, g in zip(("top", "n2", "n1"), marks):
                beat.at(name, FadeIn(g))
            beat.at("r", FadeIn(marks[3]), FadeIn(bracket))

        # the neighbor: its field shifted by the jump
        jump = stack.fields[-1].jump
        other = stack.cone(top, m + 1)[0]
        neighbor_field = self.bracket(stack, other[0], other[-1], lane=1, color=NEIGHBOR)
        shift = self.bracket(stack, field[0], other[0] - 1, lane=2, color=NEIGHBOR,
                             label=f"j = {jump}", side=LEFT, value=jump)
        neighbor_cell = stack.rows[top].cell((m + 1,)).copy().set_fill(opacity=0).set_stroke(
            NEIGHBOR, width=5)
        self.neighbor = (other, neighbor_field, shift)
        with self.beat("jump", values={"j": jump}) as beat:
            self.play(*self.headings.to(self.s("jump")))
            beat.at("nb", Create(neighbor_cell), FadeIn(neighbor_field))
            beat.at("shift", FadeIn(shift))

        # recurrences: size and jump per row
        fields = stack.fields
        cols = self.table(stack, [
            ("r", [1] + [f.size for f in fields]),
            ("j", [1] + [f.jump for f in fields]),
            ("c", [shown_center(Fraction(0))] + [shown_center(f.center) for f in fields])])
        self.columns = cols
        size_card = FormulaCard(r"r_l = r_{l-1} + (\hat{k}_l - 1)\, j_{l-1}", lang=self.lang,
                                font_size=36)
        jump_card = FormulaCard(r"j_l = j_{l-1}\, s_l", lang=self.lang, font_size=36)
        rules = VGroup(size_card, jump_card).arrange(RIGHT, buff=0.4)
        rules.move_to(np.array([0.0, CARD_BOTTOM + rules.height / 2, 0.0]))
        self.rule_cards = rules
        sizes = [1] + [f.size for f in fields]
        jumps = [1] + [f.jump for f in fields]
        with self.beat("recurrence", values={"sizes": spoken_list(sizes, self.lang),
                                             "jumps": spoken_list(jumps, self.lang)}) as beat:
            self.play(*self.headings.to(self.s("recurrence")), FadeOut(neighbor_field),
                      FadeOut(shift), FadeOut(neighbor_cell), *(FadeOut(g) for g in marks),
                      FadeOut(bracket))
            beat.at("size", size_card.write(run_time=1.0))
            beat.at("jump", jump_card.write(run_time=0.8))
            beat.at("sizes", FadeIn(cols["r"], lag_ratio=0.4))
            beat.at("jumps", FadeIn(cols["j"], lag_ratio=0.4))

        # the center of the first top cell's field
        f_top = fields[-1]
        first = stack.cone(top, 0)[0]
        first_bracket = self.field_bracket(stack, first, color=NEIGHBOR)
        center_x = stack.rows[0].cell((0,)).get_center()[0] + float(f_top.center) * \
            stack.cell_size
        dot = Dot(np.array([center_x, stack.rows[0].get_center()[1], 0.0]), radius=0.09,
                  color=palette.HIGHLIGHT)
        c_value = shown_center(f_top.center)
        dot_label = Text(f"c = {number_text(c_value)}", font=palette.FONT,
                         font_size=palette.CAPTION_SIZE, color=palette.HIGHLIGHT)
        dot_label.next_to(first_bracket.path, DOWN, buff=0.15).set_x(center_x)
        dot_label.value = c_value
        first_marks = stack.cone_marks(top, 0, color=NEIGHBOR)
        center_card = self.card(r"c_l = c_{l-1} + \left(\frac{\hat{k}_l - 1}{2} - p_l\right)"
                                r" j_{l-1}")
        # right-aligned: the "c = …" label under the field's bracket stays clear of it
        center_card.set_x(FRAME_RIGHT - center_card.width / 2)
        self.first_field = (first, first_bracket, dot_label)
        self.center_card = center_card
        with self.beat("start", values={"c": number_text(c_value)}) as beat:
            self.play(*self.headings.to(self.s("start")), FadeOut(rules))
            beat.at("center", center_card.write(run_time=1.0), FadeIn(cols["c"], lag_ratio=0.4))
            beat.at("first", *(FadeIn(g) for g in first_marks), FadeIn(first_bracket))
            beat.at("c", FadeIn(dot), FadeIn(dot_label))

        # the closed form
        general, subst, value = closed_form_latex(STRIDED)
        closed = self.card(general, subst, value)
        self.closed_card = closed
        with self.beat("closed", values={"terms": spoken_terms(STRIDED, self.lang),
                                         "r": value}) as beat:
            self.play(*self.headings.to(self.s("closed")), FadeOut(center_card), FadeOut(dot),
                      FadeOut(dot_label), FadeOut(first_bracket),
                      *(FadeOut(g) for g in first_marks))
            beat.at("formula", closed.write(run_time=1.0))
            beat.at("terms", closed.substitute(run_time=1.2))
            beat.at("r", Create(SurroundingRectangle(cols["r"][-1], color=palette.HIGHLIGHT,
                                                     buff=0.08)))

    # --- dilation --------------------------------------------------------------------------------
    def dilated_part(self):
        stack = self.network(DILATED_INPUT, DILATED, show="kd", columns=3)
        self.dilated = stack
        top = len(stack.rows) - 1
        fields = stack.fields
        dil = [layer.dilation for layer in DILATED]
        kks = [cm.effective_kernel(layer.kernel, layer.dilation) for layer in DILATED]
        cols = self.table(stack, [("k̂", [None] + kks), ("r", [1] + [f.size for f in fields]),
                                  ("j", [1] + [f.jump for f in fields])])
        self.dilated_columns = cols
        kk_card = self.card(r"\hat{k} = d\,(k - 1) + 1")
        picture = [FadeIn(r) for r in stack.rows] + [FadeIn(stack.labels)] + \
            [Create(g) for g in stack.lines]
        with self.beat("dilation", values={"ds": spoken_list(dil, self.lang),
                                           "kks": spoken_list(kks, self.lang)}) as beat:
            self.play(*self.headings.to(self.s("dilation")))
            beat.at("ds", self.swap_picture(picture))
            beat.at("kk", kk_card.write(run_time=1.0))
            beat.at("kks", FadeIn(cols["k̂"], lag_ratio=0.4))

        m = stack.sizes[top] // 2
        cone = stack.cone(top, m)
        marks = stack.cone_marks(top, m)
        field = cone[0]
        bracket = self.field_bracket(stack, field)
        self.dilated_cone, self.dilated_bracket = cone, bracket
        jump = fields[-1].jump
        with self.beat("dilation_cone", values={"r": len(field), "j": jump}) as beat:
            beat.at("top", Succession(*(FadeIn(g, run_time=0.5) for g in marks[:3])))
            beat.at("r", FadeIn(marks[3]), FadeIn(bracket), FadeIn(cols["r"], lag_ratio=0.4))
            beat.at("j", FadeIn(cols["j"], lag_ratio=0.4))

        general, subst, value = closed_form_latex(DILATED)
        closed = self.card(general, subst, value)
        self.dilated_card = closed
        plain = cm.closed_form_size(PLAIN)
        center = int(stack.center_of(top, m))
        plain_bracket = self.bracket(stack, center - (plain - 1) // 2, center + plain // 2,
                                     lane=1, color=NEIGHBOR,
                                     label=self.s("plain_label", r=plain), value=plain)
        self.plain_bracket = plain_bracket
        with self.beat("dilation_sum", values={"terms": spoken_terms(DILATED, self.lang),
                                               "r": value, "n": len(DILATED),
                                               "plain": plain}) as beat:
            self.play(FadeOut(kk_card))
            beat.at("formula", closed.write(run_time=1.0))
            beat.at("terms", closed.substitute(run_time=1.2))
            beat.at("r", Create(SurroundingRectangle(cols["r"][-1], color=palette.HIGHLIGHT,
                                                     buff=0.08)))
            beat.at("plain", FadeIn(plain_bracket))

        # no gaps: each dilation is at most the field the layer below already sees
        checks = [(dil[n], fields[n - 1].size) for n in range(1, len(DILATED))]
        self.no_gap_checks = checks
        values = {"d2": checks[0][0], "r1": checks[0][1], "d3": checks[1][0],
                  "r2": checks[1][1]}
        r_col = cols["r"]
        # what the voice says, written: d_l ≤ r_{l−1} with the numbers, one per mark
        rules = VGroup(*(math_tex(rf"d_{n + 1} = {d} \le {r} = r_{n}", self.lang,
                                  font_size=40)
                         for n, (d, r) in enumerate(checks, start=1)))
        rules.arrange(RIGHT, buff=1.2)
        rules.move_to(np.array([0.0, CARD_BOTTOM + 0.3 + rules.height / 2, 0.0]))
        self.no_gap_rules = rules
        with self.beat("no_holes", values=values) as beat:
            self.play(*self.headings.to(self.s("no_holes")), FadeOut(closed),
                      FadeOut(plain_bracket))
            for rule, (n, mark) in zip(rules, ((2, "d2"), (3, "d3"))):
                pair = VGroup(SurroundingRectangle(stack.labels[n], color=NEIGHBOR, buff=0.06),
                              SurroundingRectangle(r_col[n - 1], color=NEIGHBOR, buff=0.06))
                beat.at(mark, Create(pair), FadeIn(rule, shift=0.1 * UP))

    # --- gridding --------------------------------------------------------------------------------
    def gridding_part(self):
        stack = self.network(DILATED_INPUT, GRIDDING, show="kd")
        self.gridding = stack
        top = len(stack.rows) - 1
        m = stack.sizes[top] // 2
        cone = stack.cone(top, m)
        marks = stack.cone_marks(top, m)
        seen = cone[0]
        span = seen[-1] - seen[0] + 1
        covers = self.bracket(stack, seen[0], seen[-1], label=self.s("covers", n=span),
                              value=span, side=None)
        sees = Text(self.s("sees", n=len(seen)), font=palette.FONT,
                    font_size=palette.CAPTION_SIZE, color=palette.HIGHLIGHT)
        words = VGroup(covers.label.copy(), sees).arrange(RIGHT, buff=0.5)
        words.move_to(covers.label)
        covers.label.move_to(words[0])
        sees.value = len(seen)
        name = Text(self.s("gridding_name"), font=palette.FONT, font_size=palette.BODY_SIZE,
                    color=palette.TEXT)
        name.next_to(words, DOWN, buff=0.35)
        self.gridding_field = (seen, covers, sees)
        picture = [FadeIn(r) for r in stack.rows] + [FadeIn(stack.labels)] + \
            [Create(g) for g in stack.lines]
        dil = [layer.dilation for layer in GRIDDING]
        with self.beat("gridding", values={"gds": spoken_list(dil, self.lang), "span": span,
                                           "seen": len(seen)}) as beat:
            self.play(*self.headings.to(self.s("gridding")))
            beat.at("grid", self.swap_picture(picture))
            beat.at("span", FadeIn(marks[0]), FadeIn(covers))
            beat.at("seen", *(FadeIn(g) for g in marks[1:]), FadeIn(sees))
            beat.at("name", FadeIn(name))


__all__ = ["CampoReceptivo", "closed_form_latex", "spoken_terms"]

"""Part 10, "De convolución a transpuesta": output formulas, and planning a transpose.

Beats (segment ``s10_transpuesta_formulas``):

- title: the title card.
- canvas: a 1D transposed convolution by superposition (kit StampView): the stamps cover a
  canvas of (i−1)s + d(k−1) + 1 cells and the padding crops p from each side.
- formula, formula_numbers: PyTorch's output formula of a transposed convolution
  (``convmath.formulas.transposed_output``) written out, then with the numbers.
- r8 … r14: the guide's relationships 8–14 (``convmath.relationships``), one per beat, for
  the transposes of the guide's convolutions (4,3,1,0), (5,4,1,2), (5,3,1,1), (5,3,1,2),
  (5,3,2,0), (5,3,2,1) and (6,3,2,1): each drawn as the equivalent direct convolution
  (kit :class:`~scenes.kit.transposed_case.TransposedCasePanel`: zeros inserted, padding,
  the footprint visiting every position) with the relationship's card; the odd case frames
  the a extra zeros at the bottom and right.
- output_padding: the same case in PyTorch's terms: output_padding = a, in the formula.
- plan_conv, plan_paper, plan_pytorch: a convolution 28×28 → 14×14 and the transposed
  convolution that goes back (``convmath.plan_transpose``), in the guide's terms and as a
  ``ConvTranspose2d`` call, checked by the formula.
- closing: the transpose recovers the shape, not the values.

    manim render scenes/s10_transpuesta_formulas.py FormulasTranspuesta
"""

from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Arrow, FadeIn, FadeOut, GrowArrow, Square, Text,
                   VGroup)

import convmath as cm
from convmath.examples import example_values
from convmath.formulas import transposed_output
from scenes.kit import FormulaCard, palette
from scenes.kit.fade import fade_in, fade_out
from scenes.kit.light import LightenOnAdd
from scenes.kit.superposition import StampView
from scenes.kit.transposed_case import TransposedCasePanel
from scenes.kit.words import size_text
from scenes.kit.titles import play_title
from scenes.narration.scene import NarratedScene

SEGMENT_ID = "s10_transpuesta_formulas"

# The superposition reminder and the formula: the transpose of the convolution (5, 3, 2, 1),
# in 1D, with values from convmath.examples.
FORMULA_CONV = cm.spec(5, 3, stride=2, padding=1)
FORMULA_T = cm.plan_transpose(FORMULA_CONV).transposed
FORMULA_X = example_values(FORMULA_T.input, seed=9, low=1, high=3)
FORMULA_W = example_values(FORMULA_T.kernel, seed=1, low=1, high=2)

# (beat id, relationship of the guide, the convolution (i, k, s, p) whose transpose is shown)
CASES = [
    ("r8", 8, (4, 3, 1, 0)),
    ("r9", 9, (5, 4, 1, 2)),
    ("r10", 10, (5, 3, 1, 1)),
    ("r11", 11, (5, 3, 1, 2)),
    ("r12", 12, (5, 3, 2, 0)),
    ("r13", 13, (5, 3, 2, 1)),
    ("r14", 14, (6, 3, 2, 1)),
]

# The worked example: a layer that halves a 28×28 image.
PLAN_CONV = cm.spec((28, 28), 3, stride=2, padding=1)

HEADER_Y = 3.5
ROW_BOX = (-6.8, -1.6, 6.8, 3.05)
CARD_BOX = (-6.8, -3.75, 6.8, -1.8)
FORMULA_SIZE = 44
CODE_FONT = "DejaVu Sans Mono"


def shared_cell_size(legend_width: float = 4.2, gap: float = 1.2) -> float:
    """One cell size for every case: the tallest padded input and output must fit the row
    box, and the widest padded input beside its output (or the legend under it)."""
    l, b, r, t = ROW_BOX
    best = 0.55
    for _, _, (i, k, s, p) in CASES:
        t_ = cm.plan_transpose(cm.spec((i, i), k, s, p)).transposed
        padded = cm.direct_storyboard(t_, np.zeros(t_.input, dtype=np.int64),
                                      np.zeros(t_.kernel, dtype=np.int64)).conv.padded_input
        rows = max(padded[0], t_.output[0] + 2.4)          # output, legend under it
        best = min(best, (t - b - 0.55) / rows,
                   (r - l - gap - legend_width) / padded[1],
                   (r - l - gap) / (padded[1] + t_.output[1]))
    return best


def scalar(values):
    """One value for a square layer's per-axis list ([3, 3] → 3)."""
    values = list(values)
    return values[0] if all(v == values[0] for v in values) else tuple(values)


def pytorch_call(name: str, kwargs: dict) -> str:
    """``nn.Name(key=value, ...)`` from keyword arguments (per-axis lists of a square layer
    written once; dilation 1 and output_padding 0, PyTorch's defaults, left out)."""
    parts = []
    for key, value in kwargs.items():
        v = scalar(value)
        if (key == "dilation" and v == 1) or (key == "output_padding" and v == 0):
            continue
        parts.append(f"{key}={v}")
    return f"nn.{name}({', '.join(parts)})"


def conv_kwargs(sp) -> dict:
    return {"kernel_size": list(sp.kernel), "stride": list(sp.stride),
            "padding": [b for b, _ in sp.padding], "dilation": list(sp.dilation)}


def code_lines(*texts: str, max_width: float = 13.2) -> list[Text]:
    """Lines of code in a monospaced font, one size for all (the longest fits ``max_width``)."""
    lines = [Text(t, font=CODE_FONT, font_size=26, color=palette.TEXT) for t in texts]
    factor = min(1.0, *(max_width / line.width for line in lines))
    for line in lines:
        line.scale(factor)
    return lines


class FormulasTranspuesta(LightenOnAdd, NarratedScene):
    segment_id = SEGMENT_ID

    def construct(self):
        lang = self.lang
        card = play_title(self)

        # --- the formula, from the superposition ------------------------------------------------
        t = FORMULA_T
        sup = cm.superposition(t, FORMULA_X, FORMULA_W)
        view = StampView(sup, lang=lang, region=(-6.8, -0.75, 6.8, 3.75), max_cell=0.85,
                         sum_room=0.55, words={k: self.s(k) for k in
                                               ("input", "output", "kernel", "canvas")})
        self.view = view
        values = {"i": t.input[0], "s": t.stride[0], "c": sup.canvas_shape[0],
                  "p": t.padding[0][0]}
        with self.beat("canvas", values=values) as beat:
            self.play(fade_out(card), run_time=0.6)
            self.play(view.intro(run_time=1.5))
            budget = max(1.5, beat.split(1, leave=3.5)[0])
            view.play(self, budget=min(budget, 4.5), detailed=0)
            self.play(view.outro(run_time=0.5))
            self.play(view.crop(self.s("output_size", size=size_text(t.output)), run_time=2.0))

        formula = transposed_output(t, latex=True)
        fcard = FormulaCard.from_formula(formula, title=self.s("formula_title"), lang=lang,
                                         font_size=FORMULA_SIZE)
        fcard.move_to(np.array([0.0, -2.55, 0.0]))
        self.formula_card = fcard
        with self.beat("formula") as beat:
            self.play(fcard.write(run_time=min(3.0, beat.split(1, leave=2.0)[0])))
        values = {"i": t.input[0], "k": t.kernel[0], "s": t.stride[0], "p": t.padding[0][0],
                  "o": formula.value}
        with self.beat("formula_numbers", values=values) as beat:
            self.play(fcard.substitute(run_time=min(2.5, beat.split(1, leave=1.5)[0])))
        previous = VGroup(view, view.crop_rect, view.output_label, fcard)

        # --- the guide's relationships 8–14 -------------------------------------------------------
        cell = shared_cell_size()
        self.panels: dict[str, TransposedCasePanel] = {}
        for beat_id, rel, (i, k, s, p) in CASES:
            panel = self.make_panel(beat_id, rel, (i, k, s, p), cell)
            self.panels[beat_id] = panel
            with self.beat(beat_id, values=panel.values) as beat:
                odd = beat_id == "r14"
                out_t, intro_t, sweep_t, subst_t, mark_t = beat.split(
                    0.5, 1.8, 3.0, 1.5, 1.0 if odd else 0.01, leave=1.0)
                self.play(fade_out(previous), run_time=min(out_t, 0.7))
                self.play(panel.intro(run_time=min(intro_t, 2.0)))
                self.play(panel.sweep(min(sweep_t, 4.0)))
                self.play(panel.substitute(run_time=min(subst_t, 2.0)))
                if odd:
                    self.play(panel.mark_extra(self.s("extra", a=panel.values["a"]),
                                               run_time=min(mark_t, 1.2)))
            previous = panel

        # --- the odd case in PyTorch's terms: output_padding ----------------------------------
        odd = self.panels["r14"]
        a = odd.plan.a[0]
        tp = odd.spec
        without = cm.transposed(tp.input, tp.kernel, tp.stride, tp.padding).output[0]
        op_formula = transposed_output(tp, latex=True)
        op_card = FormulaCard.from_formula(op_formula, title=self.s("output_padding_title", a=a),
                                           lang=lang, font_size=FORMULA_SIZE,
                                           max_width=CARD_BOX[2] - CARD_BOX[0] - 0.8)
        op_card.move_to(odd.card)
        self.op_card, self.op_without = op_card, without
        with self.beat("output_padding", values={"o0": without, "a": a,
                                                 "o": op_formula.value}) as beat:
            self.play(fade_out(odd.card), run_time=0.6)
            self.play(op_card.write(run_time=1.5))
            self.play(op_card.substitute(run_time=min(2.0, beat.split(1, leave=1.0)[0])))
        previous = VGroup(odd, op_card)

        # --- planning the transpose of a real layer ------------------------------------------
        self.plan_example(previous)

    # --- pieces ---------------------------------------------------------------------------------
    def make_panel(self, beat_id: str, rel: int, params, cell: float) -> TransposedCasePanel:
        i, k, s, p = params
        plan = cm.plan_transpose(cm.spec((i, i), k, s, p))
        b, after = plan.direct_padding[0]
        legend = {"padding": (self.s("padding", p=b) if b == after
                              else self.s("padding_odd", b=b, a=after))}
        if plan.zeros_between[0]:
            legend["inserted"] = self.s("inserted", z=plan.zeros_between[0])
        title = (self.s("relationship", n=rel) + "  ·  "
                 + self.s("transposed_of", i=i, k=k, s=s, p=p))
        return TransposedCasePanel(i, k, s, p, relationship=rel,
                                   header=self.s(f"head_{beat_id}"), card_title=title,
                                   words={"input": self.s("input"), "output": self.s("output")},
                                   legend=legend, lang=self.lang, cell_size=cell,
                                   formula_size=FORMULA_SIZE, row_box=ROW_BOX, card_box=CARD_BOX,
                                   header_y=HEADER_Y)

    def plan_example(self, previous):
        lang = self.lang
        conv = PLAN_CONV
        plan = cm.plan_transpose(conv)
        self.plan = plan
        tp = plan.transposed
        unit = 2.3 / conv.input[0]                 # squares drawn to scale

        def square(shape, role, text):
            sq = Square(shape[0] * unit, stroke_color=palette.ROLE_COLORS[role],
                        stroke_width=3, fill_color=palette.ROLE_COLORS[role], fill_opacity=0.3)
            lab = Text(f"{text} {size_text(shape)}", font=palette.FONT,
                       font_size=palette.LABEL_SIZE, color=palette.ROLE_COLORS[role])
            lab.next_to(sq, UP, buff=0.2)
            group = VGroup(sq, lab)
            group.shape = tuple(shape)
            return group

        src = square(conv.input, "input", self.s("input"))
        mid = square(conv.output, "output", self.s("output"))
        back = square(tp.output, "output", self.s("output"))
        row = VGroup(src, mid, back).arrange(RIGHT, buff=2.6, aligned_edge=DOWN)
        row.move_to(np.array([0.0, 1.75, 0.0]))
        arrows, names = VGroup(), VGroup()
        y = mid[0].get_center()[1]
        for a, b, key in ((src, mid, "conv_name"), (mid, back, "transposed_name")):
            arrow = Arrow(np.array([a[0].get_right()[0], y, 0.0]),
                          np.array([b[0].get_left()[0], y, 0.0]), buff=0.25,
                          color=palette.TEXT_DIM, stroke_width=4,
                          max_tip_length_to_length_ratio=0.12)
            name = Text(self.s(key), font=palette.FONT, font_size=palette.CAPTION_SIZE,
                        color=palette.TEXT_DIM).next_to(arrow, UP, buff=0.12)
            arrows.add(arrow)
            names.add(name)
        self.plan_squares = (src, mid, back)

        conv_code, t_code = code_lines(pytorch_call("Conv2d", conv_kwargs(conv)),
                                       pytorch_call("ConvTranspose2d", plan.pytorch))
        conv_code.move_to(np.array([0.0, -0.6, 0.0]))
        self.conv_code = conv_code
        values = {"i": conv.input[0], "o": conv.output[0], "k": conv.kernel[0],
                  "s": conv.stride[0], "p": conv.padding[0][0]}
        with self.beat("plan_conv", values=values) as beat:
            self.play(fade_out(previous), run_time=0.7)
            self.play(fade_in(src), run_time=1.0)
            self.play(GrowArrow(arrows[0]), FadeIn(names[0]), fade_in(mid), run_time=1.5)
            self.play(FadeIn(conv_code, shift=0.1 * UP), run_time=1.0)
            self.hold_until(beat, 0.75)
            self.play(GrowArrow(arrows[1]), FadeIn(names[1]), run_time=1.0)

        # the guide's direct convolution, from a storyboard of zeros (only its shape is used)
        direct = cm.direct_storyboard(tp, np.zeros(tp.input, dtype=np.int64),
                                      np.zeros(tp.kernel, dtype=np.int64))
        z = plan.zeros_between[0]
        b, after = plan.direct_padding[0]
        stretched = (tp.input[0] - 1) * (z + 1) + 1
        padded = direct.conv.padded_input[0]
        title = Text(self.s("paper_title"), font=palette.FONT, font_size=palette.BODY_SIZE,
                     color=palette.TITLE)
        lines = VGroup(
            Text("• " + self.s("paper_zeros", z=z, ip=tp.input[0], st=stretched),
                 font=palette.FONT, font_size=palette.BODY_SIZE * 0.9, color=palette.INSERTED),
            Text("• " + self.s("paper_padding", b=b, a=after, pd=padded), font=palette.FONT,
                 font_size=palette.BODY_SIZE * 0.9, color=palette.TEXT),
            Text("• " + self.s("paper_kernel", k=tp.kernel[0], o=direct.conv.output[0]),
                 font=palette.FONT, font_size=palette.BODY_SIZE * 0.9, color=palette.KERNEL),
        ).arrange(DOWN, buff=0.22, aligned_edge=LEFT)
        paper = VGroup(title, lines).arrange(DOWN, buff=0.3, aligned_edge=LEFT)
        if paper.width > 13.0:
            paper.scale_to_fit_width(13.0)
        paper.move_to(np.array([0.0, -1.75, 0.0]))
        self.paper_lines = lines
        self.paper_numbers = {"z": z, "b": b, "a": after, "ip": tp.input[0],
                              "stretched": stretched, "padded": padded,
                              "o": direct.conv.output[0]}
        with self.beat("plan_paper", values={"z": z, "b": b, "a": after}) as beat:
            self.play(FadeOut(conv_code), FadeIn(title), run_time=0.8)
            for line in lines:
                self.play(FadeIn(line, shift=0.1 * UP), run_time=1.0)
                hold = min(1.5, beat.remaining / 4)
                if hold > 0.1:
                    self.wait(hold)
            self.play(fade_in(back), run_time=1.0)

        t_code.move_to(np.array([0.0, -0.6, 0.0]))
        self.transposed_code = t_code
        formula = transposed_output(tp, latex=True)
        fcard = FormulaCard.from_formula(formula, title=self.s("pytorch_title"), lang=lang,
                                         font_size=FORMULA_SIZE, max_width=12.6)
        fcard.move_to(np.array([0.0, -2.55, 0.0]))
        self.plan_card = fcard
        with self.beat("plan_pytorch", values={"op": plan.a[0], "i": tp.output[0]}) as beat:
            self.play(fade_out(paper), run_time=0.7)
            self.play(FadeIn(t_code, shift=0.1 * UP), run_time=1.2)
            self.play(fcard.write(run_time=1.5))
            self.hold_until(beat, 0.6)
            self.play(fcard.substitute(run_time=2.0))

        closing = Text(self.s("closing"), font=palette.FONT, font_size=palette.SUBTITLE_SIZE,
                       color=palette.HIGHLIGHT).move_to(np.array([0.0, -1.6, 0.0]))
        self.closing = closing
        with self.beat("closing") as beat:
            self.play(fade_out(t_code), fade_out(fcard), run_time=0.7)
            self.play(FadeIn(closing, shift=0.1 * UP), run_time=1.2)
        self.next_section("end")
        self.play(fade_out(row), fade_out(arrows), fade_out(names), fade_out(closing),
                  run_time=0.8)

    def hold_until(self, beat, fraction: float) -> None:
        """Hold the picture until ``fraction`` of the beat's voice has been spoken."""
        beat.wait_until(fraction)

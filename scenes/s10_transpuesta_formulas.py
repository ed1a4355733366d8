"""Part 10, "De convolución a transpuesta": output formulas, and planning a transpose.

Beats (segment ``s10_transpuesta_formulas``); every picture change the voice names is anchored
to its word (``<bookmark mark='...'/>`` in the narration text, ``beat.at`` here):

- title: the title card.
- canvas: a 1D transposed convolution by superposition (kit StampView): the stamps cover a
  canvas of (i−1)s + d(k−1) + 1 cells and the padding crops p from each side.
- formula, formula_numbers: PyTorch's output formula of a transposed convolution
  (``convmath.formulas.transposed_output``) written out, then with the numbers.
- r8 … r13, r14, r14_a: the guide's relationships 8–14 (``convmath.relationships``), one case
  per beat, for the transposes of the guide's convolutions (4,3,1,0), (5,4,1,2), (5,3,1,1),
  (5,3,1,2), (5,3,2,0), (5,3,2,1) and (6,3,2,1): each drawn as the equivalent direct
  convolution (kit :class:`~scenes.kit.cases.transposed_case.TransposedCasePanel`: zeros inserted,
  padding p′, the footprint visiting every position) with the relationship's card; beside it
  the convolution (i → o), the transposed one (i′ → o′), the legend with p′'s formula and the
  notation (i′, o′, p′ defined where they first appear). The odd case shows that two inputs
  (5 and 6) give the same output, then a = (i + 2p − k) mod s and the a extra zeros at the
  bottom and right.
- output_padding: the same case in PyTorch's terms: output_padding = a; the formula without
  it (5) and with it (6).
- plan_conv, plan_paper, plan_pytorch: a convolution 3×28×28 → 16×14×14 and the transposed
  convolution that goes back (``convmath.plan_transpose``), in the guide's terms and as
  PyTorch code that runs (channels included; the shape it prints is convmath's), checked by
  the formula.
- closing: the transpose recovers the shape, not the values.

    manim render scenes/s10_transpuesta_formulas.py FormulasTranspuesta
"""

from __future__ import annotations

import re

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, AnimationGroup, Arrow, FadeIn, GrowArrow, Indicate,
                   ReplacementTransform, Restore, Square, Text, VGroup)

import convmath as cm
from convmath.examples import example_values
from convmath.formulas import Formula, transposed_output
from convmath.relationships import relationship
from scenes.kit import FormulaCard, palette
from scenes.kit.cases.case_panel import substitute_symbols
from scenes.kit.cases.transposed_case import TransposedCasePanel
from scenes.kit.motion.fade import fade_in, fade_out, fade_out_all
from scenes.kit.operation.superposition import StampView
from scenes.kit.text.numfmt import counted, en_article
from scenes.kit.text.tex import LightenOnAdd, math_tex
from scenes.kit.text.titles import heading
from scenes.kit.text.words import size_text
from scenes.narration.scene import NarratedScene
from scenes.title_beat import play_title

SEGMENT_ID = "s10_transpuesta_formulas"

# The superposition reminder and the formula: the transpose of the convolution (5, 3, 2, 1),
# in 1D, with values from convmath.examples.
FORMULA_CONV = cm.spec(5, 3, stride=2, padding=1)
FORMULA_T = cm.plan_transpose(FORMULA_CONV).transposed
FORMULA_X = example_values(FORMULA_T.input, seed=9, low=1, high=3)
FORMULA_W = example_values(FORMULA_T.kernel, seed=1, low=1, high=2)

# (beat id, relationship of the guide, the convolution (i, k, s, p) whose transpose is shown);
# the odd case (14) takes two beats on one panel: r14 and r14_a.
CASES = [
    ("r8", 8, (4, 3, 1, 0)),
    ("r9", 9, (5, 4, 1, 2)),
    ("r10", 10, (5, 3, 1, 1)),
    ("r11", 11, (5, 3, 1, 2)),
    ("r12", 12, (5, 3, 2, 0)),
    ("r13", 13, (5, 3, 2, 1)),
    ("r14", 14, (6, 3, 2, 1)),
]

# The worked example: a layer that halves a 28×28 image with 3 channels into 16 channels.
PLAN_CONV = cm.spec((28, 28), 3, stride=2, padding=1, in_channels=3, out_channels=16)

HEADER_Y = 3.5
ROW_BOX = (-6.8, -0.85, 1.0, 3.15)      # a relationship's grids, labels included
CARD_BOX = (-6.8, -2.75, 1.0, -1.45)    # its formula card, above the subtitle band
SIDE_X = 1.45                           # left edge of the column beside the grids
SIDE_W = 6.8 - SIDE_X
GRID_GAP = 0.7
LABEL_ROOM = 0.5
FORMULA_SIZE = 44
SIDE_SIZE = 24
NOTE_SIZE = 20
CODE_FONT = "DejaVu Sans Mono"
CODE_SIZE = 20


def padded_size(plan: cm.TransposePlan) -> int:
    """Cells per axis of the guide's direct convolution's input (zeros and padding in)."""
    t = plan.transposed
    return cm.direct_storyboard(t, np.zeros(t.input, dtype=np.int64),
                                np.zeros(t.kernel, dtype=np.int64)).conv.padded_input[0]


def case_cell_size(params, largest: float = 0.62) -> float:
    """The cell size of a case: its padded input fits the row box with its label above (and
    the odd case's "a" label below), beside its output (at most ``largest``)."""
    l, b, r, t = ROW_BOX
    i, k, s, p = params
    plan = cm.plan_transpose(cm.spec((i, i), k, s, p))
    n = padded_size(plan)
    return min(largest, (t - b - LABEL_ROOM) / n,
               (r - l - GRID_GAP) / (n + plan.transposed.output[0]))


def prime_padding_rule(number: int) -> str:
    """The guide's p′ of relationship ``number`` as written in convmath ("k − p − 1")."""
    return re.search(r"p′ = ([^,;]+)", relationship(number).condition).group(1).strip()


def remainder_formula(conv: cm.ConvSpec, a: int) -> Formula:
    """a = (i + 2p − k) mod s (the guide's, from convmath's relationship 14), with the numbers
    of ``conv``; checked against ``a`` (convmath's plan)."""
    rule = re.search(r"a = ([^;]+)", relationship(14).condition).group(1).strip()
    latex = rule.replace("−", "-").replace("mod", r"\bmod")
    i, k, s, p = conv.input[0], conv.kernel[0], conv.stride[0], conv.padding[0][0]
    if (i + 2 * p - k) % s != a:
        raise cm.ConvError(f"a = {a} disagrees with (i + 2p − k) mod s for {conv}")
    return Formula(f"a = {latex}", substitute_symbols(latex, {"i": i, "k": k, "s": s, "p": p}), a)


def same_output_inputs(conv: cm.ConvSpec) -> list[int]:
    """The input sizes that a convolution with ``conv``'s k, s, p maps to its output size
    (with stride s, up to s of them), smallest first."""
    i, k, s, p = conv.input[0], conv.kernel[0], conv.stride[0], conv.padding[0][0]
    found = []
    for n in range(max(1, i - s + 1), i + s):
        try:
            if cm.spec(n, k, s, p).output[0] == conv.output[0]:
                found.append(n)
        except cm.ConvError:
            continue
    return found


def scalar(values):
    """One value for a square layer's per-axis list ([3, 3] → 3)."""
    values = list(values)
    return values[0] if all(v == values[0] for v in values) else tuple(values)


def pytorch_call(name: str, channels: tuple[int, int], kwargs: dict) -> str:
    """``nn.Name(in, out, key=value, ...)`` from the channels and keyword arguments (per-axis
    lists of a square layer written once; dilation 1 and output_padding 0, PyTorch's
    defaults, left out)."""
    parts = [str(c) for c in channels]
    for key, value in kwargs.items():
        v = scalar(value)
        if (key == "dilation" and v == 1) or (key == "output_padding" and v == 0):
            continue
        parts.append(f"{key}={v}")
    return f"nn.{name}({', '.join(parts)})"


def conv_kwargs(sp) -> dict:
    return {"kernel_size": list(sp.kernel), "stride": list(sp.stride),
            "padding": [b for b, _ in sp.padding], "dilation": list(sp.dilation)}


def wrap_call(line: str, width: int) -> list[str]:
    """A Python call split after a comma into lines of at most ``width`` characters, the
    continuation lines indented under the opening parenthesis (still valid Python)."""
    if len(line) <= width:
        return [line]
    indent = " " * (line.index("(") + 1)
    out, current = [], ""
    for piece in re.split(r"(?<=, )", line):
        if current and len(current) + len(piece.rstrip()) > width:
            out.append(current.rstrip())
            current = indent
        current += piece
    out.append(current)
    return out


def plan_code(plan: cm.TransposePlan) -> dict[str, list[str]]:
    """The PyTorch lines of the worked example: the imports (so the lines run as shown), the
    convolution, the transposed convolution that goes back (channels swapped,
    output_padding = a), an input and the shape it ends with (convmath's, as ``torch.Size``
    prints it)."""
    conv, t = plan.conv, plan.transposed
    shape = (1, t.out_channels, *t.output)
    return {
        "imports": ["import torch", "from torch import nn"],
        "conv": [f"conv = {pytorch_call('Conv2d', (conv.in_channels, conv.out_channels), conv_kwargs(conv))}"],
        "up": wrap_call(f"up = {pytorch_call('ConvTranspose2d', (t.in_channels, t.out_channels), plan.pytorch)}", 64),
        "run": [f"x = torch.randn(1, {conv.in_channels}, {', '.join(map(str, conv.input))})",
                f"up(conv(x)).shape   # torch.Size([{', '.join(map(str, shape))}])"],
    }


def code_text(lines: list[str]) -> VGroup:
    """Lines of code in a monospaced font, one size for all, left-aligned and indented as
    written (a glyph-less leading space takes no room in a Text, so it is shifted in)."""
    group = VGroup(*(Text(t.lstrip(" "), font=CODE_FONT, font_size=CODE_SIZE,
                          color=palette.TEXT) for t in lines))
    group.arrange(DOWN, buff=0.1, aligned_edge=LEFT)
    sample = "m" * 20
    char = Text(sample, font=CODE_FONT, font_size=CODE_SIZE).width / len(sample)
    for line, text in zip(group, lines):
        line.shift(RIGHT * char * (len(text) - len(text.lstrip(" "))))
    group.lines = list(lines)
    return group


def side_text(text: str, size: float = SIDE_SIZE, color=palette.TEXT) -> Text:
    return Text(text, font=palette.FONT, font_size=size, color=color)


def flash_cells(cells) -> AnimationGroup:
    """Each cell pulses once in the highlight colour (a reminder of which cells are meant)."""
    return AnimationGroup(*(Indicate(c, scale_factor=1.12, color=palette.HIGHLIGHT) for c in cells),
                          lag_ratio=0.03)


class CaseNotes(VGroup):
    """Beside a relationship's grids: the convolution ("k = 3, s = 1, p = 0", "i = 4 → o = 2"),
    the transposed one ("i′ = 2", "→ o′ = 4") and the panel's legend, stacked from the top
    of the side column. Parts are shown one by one, when the voice names them."""

    def __init__(self, scene: "FormulasTranspuesta", panel: TransposedCasePanel,
                 others: list[int] = ()):
        super().__init__()
        v = panel.values
        conv = panel.conv
        self.conv_head = side_text(scene.s("conv_head", k=v["k"], s=v["s"], p=v["p"]),
                                   NOTE_SIZE + 2, palette.TEXT_DIM)
        self.maps = VGroup(*(side_text(scene.s("maps", i=n, o=cm.spec(n, v["k"], v["s"], v["p"])
                                              .output[0]), SIDE_SIZE, palette.INPUT_TEXT)
                             for n in [conv.input[0], *others]))
        self.maps.arrange(DOWN, buff=0.16, aligned_edge=LEFT)
        self.t_head = side_text(scene.s("t_head"), NOTE_SIZE + 2, palette.TEXT_DIM)
        self.t_in = side_text(scene.s("t_in", ip=v["ip"]), SIDE_SIZE, palette.INPUT_TEXT)
        self.t_out = side_text(scene.s("t_out", op=v["o"]), SIDE_SIZE, palette.OUTPUT_TEXT)
        self.t_out.next_to(self.t_in, RIGHT, buff=0.3)
        self.sizes = VGroup(self.t_in, self.t_out)
        parts = [self.conv_head, self.maps, self.t_head, self.sizes]
        self.legend = panel.legend
        if self.legend is not None:
            parts.append(self.legend)
        column = VGroup(*parts).arrange(DOWN, buff=0.22, aligned_edge=LEFT)
        column.move_to(np.array([SIDE_X, 3.1, 0.0]), aligned_edge=UP + LEFT)
        if self.legend is not None:
            self.legend.shift(0.12 * DOWN)
        self.add(*parts)

    def legend_row(self, kind: str):
        """The legend row of a cell kind ("inserted", "padding")."""
        for row, sample in zip(self.legend.rows, self.legend.samples):
            if sample.cell_kind.ravel()[0] == kind:
                return row
        raise KeyError(kind)


class FormulasTranspuesta(LightenOnAdd, NarratedScene):
    segment_id = SEGMENT_ID

    def construct(self):
        card = play_title(self)
        self.superposition(card)
        self.relationships()
        self.odd_case_in_pytorch()
        self.plan_example()

    # --- the formula, from the superposition ------------------------------------------------
    def superposition(self, title_card) -> None:
        lang = self.lang
        t = FORMULA_T
        sup = cm.superposition(t, FORMULA_X, FORMULA_W)
        view = StampView(sup, lang=lang, region=(-6.8, -0.6, 6.8, 3.85), max_cell=1.1,
                         sum_room=0.55, words={k: self.s(k) for k in
                                               ("input", "output", "kernel", "canvas")})
        self.view = view
        values = {"i": t.input[0], "s": t.stride[0], "c": sup.canvas_shape[0],
                  "p": t.padding[0][0]}
        with self.beat("canvas", values=values) as beat:
            beat.at("input", fade_out(title_card), fade_in(view.input), run_time=0.8)
            beat.at("stamps", fade_in(view.kernel), fade_in(view.canvas), fade_in(view.marker),
                    run_time=0.6)
            view.play(self, budget=max(1.0, min(3.0, beat.next_mark_time() - self.time - 0.1)),
                      detailed=0)
            beat.at("canvas", Indicate(view.canvas.label, color=palette.HIGHLIGHT))
            beat.at("crop")
            self.play(view.outro(run_time=0.4))
            self.play(view.crop(self.s("output_size", size=size_text(t.output)), run_time=1.2,
                                cropped_color=palette.TEXT_DIM))

        formula = transposed_output(t, latex=True)
        fcard = FormulaCard.from_formula(formula, title=self.s("formula_title"), lang=lang,
                                         font_size=FORMULA_SIZE)
        fcard.move_to(np.array([0.0, -2.75 + fcard.height / 2, 0.0]))
        self.formula_card = fcard
        with self.beat("formula") as beat:
            beat.at("formula", fcard.write(run_time=1.2))
        values = {"i": t.input[0], "k": t.kernel[0], "s": t.stride[0], "p": t.padding[0][0],
                  "o": formula.value}
        with self.beat("formula_numbers", values=values) as beat:
            beat.at("numbers", fcard.substitute(run_time=1.2, result_later=True))
            beat.at("o", fcard.show_result(), Indicate(view.output_label,
                                                       color=palette.HIGHLIGHT))

    # --- the guide's relationships 8–14 -------------------------------------------------------
    def relationships(self) -> None:
        self.panels: dict[str, TransposedCasePanel] = {}
        self.notes: dict[str, CaseNotes] = {}
        self.notation = self.make_notation()
        previous_head = None
        for n, (beat_id, rel, params) in enumerate(CASES):
            panel = self.make_panel(beat_id, rel, params, case_cell_size(params))
            self.panels[beat_id] = panel
            odd = rel == 14
            others = [m for m in same_output_inputs(panel.conv) if m != panel.conv.input[0]]
            notes = CaseNotes(self, panel, others if odd else [])
            self.notes[beat_id] = notes
            head = heading(self.s("head", n=rel, name=self.s(f"head_{beat_id}")), y=HEADER_Y)
            values = dict(panel.values)
            if odd:
                values["i0"] = others[0]
            with self.beat(beat_id, values=values) as beat:
                if previous_head is None:
                    # the superposition leaves; PyTorch's formula stays until the first case
                    self.play(*fade_out_all(self, keep=[self.formula_card], copy_free=True),
                              run_time=0.4)
                    self.play(FadeIn(head), run_time=0.4)
                    beat.at("conv", fade_out(self.formula_card), run_time=0.4)
                else:
                    keep = ([] if odd else list(self.notation)) + [previous_head]
                    self.play(*fade_out_all(self, keep=keep, copy_free=True),
                              ReplacementTransform(previous_head, head), run_time=0.5)
                    beat.at("conv")
                self.play(panel.intro(run_time=0.8, legend=False, card=False),
                          FadeIn(notes.conv_head), FadeIn(notes.maps[0]), FadeIn(notes.t_head),
                          *([FadeIn(notes.t_in)] if beat_id != "r8" else []),
                          *([fade_in(notes.legend)] if odd else []))
                self.sweep(beat, panel)
                if odd:
                    beat.at("other", FadeIn(notes.maps[1:], shift=0.1 * DOWN), run_time=0.6)
                else:
                    self.case_marks(beat, panel, notes)
            previous_head = head
        self.odd_case(self.panels["r14"], self.notes["r14"])
        self.case_head = previous_head

    def case_marks(self, beat, panel: TransposedCasePanel, notes: CaseNotes) -> None:
        """The anchored steps of a case: the zeros inserted, the padding p′, (first case) i′,
        the relationship's formula and its result, the notation lines when first named."""
        first = beat.id == "r8"
        if "zeros" in beat.marks:
            beat.at("zeros", fade_in(notes.legend_row("inserted")),
                    flash_cells(self.cells_of(panel, "inserted")), run_time=0.8)
        beat.at("pp", fade_in(notes.legend_row("padding")),
                *([flash_cells(self.cells_of(panel, "padding"))]
                  if panel.plan.direct_padding[0][0] else []),
                *([FadeIn(self.notation.title), FadeIn(self.notation.lines["conv"]),
                   FadeIn(self.notation.lines["pprime"])] if first else []), run_time=0.8)
        if first:
            beat.at("iprime", FadeIn(notes.t_in), FadeIn(self.notation.lines["iprime"]),
                    Indicate(panel.input.label, color=palette.HIGHLIGHT), run_time=0.8)
        beat.at("oprime", panel.card.write(run_time=1.0),
                *([FadeIn(self.notation.lines["oprime"])] if first else []))
        beat.at("o", panel.substitute(run_time=1.0), FadeIn(notes.t_out),
                Indicate(panel.output.label, color=palette.HIGHLIGHT))

    def odd_case(self, panel: TransposedCasePanel, notes: CaseNotes) -> None:
        """Relationship 14, second beat: the a extra zeros, a's formula, o′ with a."""
        a = panel.plan.a[0]
        acard = FormulaCard.from_formula(remainder_formula(panel.conv, a), lang=self.lang,
                                         font_size=36, max_width=SIDE_W - 0.7)
        a_title = side_text(self.s("a_title"), NOTE_SIZE)
        a_title.next_to(notes, DOWN, buff=0.35).align_to(notes, LEFT)
        acard.next_to(a_title, DOWN, buff=0.15).align_to(notes, LEFT)
        self.a_card, self.a_title = acard, a_title
        values = dict(panel.values, i0=None)
        with self.beat("r14_a", values=values) as beat:
            beat.at("extra", panel.mark_extra(None, run_time=0.8))
            beat.at("aformula", acard.write(run_time=1.0), FadeIn(a_title))
            label = Text(self.s("extra", a=a), font=palette.FONT, font_size=palette.CAPTION_SIZE,
                         color=palette.HIGHLIGHT)
            label.next_to(panel.input.cells, DOWN, buff=0.1).align_to(panel.input.cells, RIGHT)
            panel.extra_label = label
            beat.at("a", acard.substitute(run_time=1.0), FadeIn(label))
            beat.at("oprime", panel.card.write(run_time=1.0))
            beat.at("o", panel.substitute(run_time=1.0), FadeIn(notes.t_out),
                    Indicate(panel.output.label, color=palette.HIGHLIGHT))

    def sweep(self, beat, panel: TransposedCasePanel) -> None:
        """The footprint visits every position in the time left before the next anchor (at
        most 3 s), then leaves (the cells it covered stay readable)."""
        nxt = beat.next_mark_time()
        room = 3.0 if nxt is None else min(3.0, nxt - float(self.time) - 0.5)
        if room >= 0.6:
            self.play(panel.sweep(room))
        else:
            self.play(*(panel.output.fill_animation(st.output, None)
                        for st in panel.board.steps), run_time=max(0.2, room))
        # faded in place (not removed: the grids stay whole in the scene)
        self.play(panel.footprint.animate.set_opacity(0), run_time=0.3)

    @staticmethod
    def cells_of(panel: TransposedCasePanel, kind: str) -> list:
        kinds = panel.input.cell_kind
        return [panel.input.cell(idx) for idx in np.ndindex(*kinds.shape) if kinds[idx] == kind]

    def make_notation(self) -> VGroup:
        """What i, k, s, p, i′, o′ and p′ stand for, at the bottom of the side column; each
        line is shown when the voice first names it."""
        title = side_text(self.s("notation"), NOTE_SIZE + 2, palette.TEXT_DIM)
        keys = ("conv", "iprime", "oprime", "pprime")
        lines = {k: side_text(self.s(f"note_{k}"), NOTE_SIZE) for k in keys}
        group = VGroup(title, *lines.values()).arrange(DOWN, buff=0.16, aligned_edge=LEFT)
        if group.width > SIDE_W:
            group.scale_to_fit_width(SIDE_W)
        group.move_to(np.array([SIDE_X, -2.75, 0.0]), aligned_edge=DOWN + LEFT)
        group.title, group.lines = title, lines
        return group

    def make_panel(self, beat_id: str, rel: int, params, cell: float) -> TransposedCasePanel:
        i, k, s, p = params
        plan = cm.plan_transpose(cm.spec((i, i), k, s, p))
        pp = plan.direct_padding[0][0]
        rule = prime_padding_rule(rel)
        legend = {"padding": (self.s("padding_value", p=pp) if rule == str(pp)
                              else self.s("padding", expr=rule, p=pp))}
        if plan.zeros_between[0]:
            legend["inserted"] = self.s("inserted", z=plan.zeros_between[0])
        panel = TransposedCasePanel(i, k, s, p, relationship=rel, header=None, card_title=None,
                                    words={"input": self.s("input"), "output": self.s("output")},
                                    legend=legend, lang=self.lang, cell_size=cell,
                                    formula_size=FORMULA_SIZE, row_box=ROW_BOX,
                                    card_box=CARD_BOX, header_y=HEADER_Y, grid_gap=GRID_GAP,
                                    legend_under_output=False, legend_cell=0.46)
        return panel

    # --- the odd case in PyTorch's terms: output_padding ----------------------------------
    def odd_case_in_pytorch(self) -> None:
        odd = self.panels["r14"]
        a = odd.plan.a[0]
        tp = odd.spec
        bare = cm.transposed(tp.input, tp.kernel, tp.stride, tp.padding)
        without, with_op = transposed_output(bare, latex=True), transposed_output(tp, latex=True)
        self.op_without, self.op_with = without, with_op
        l, b, r, t = CARD_BOX
        # two lines, the same size: without output_padding (the card's own substitution),
        # then with it (the substituted line of a card built the same way)
        first, second = (FormulaCard.from_formula(f, lang=self.lang, font_size=36, box=False,
                                                  max_width=r - l - 0.3)
                         for f in (without, with_op))
        second = second.substituted
        first.move_to(np.array([(l + r) / 2, t - 0.3 - first.height / 2, 0.0]))
        self.op_lines = (first, second)
        head = heading(self.s("op_head"), y=HEADER_Y)
        rows, cols = odd.output.shape
        small = odd.output.window_rectangle((0, 0), (rows - tp.output_padding[0],
                                                     cols - tp.output_padding[1]),
                                            color=palette.HIGHLIGHT, width=5)
        full = odd.output.window_rectangle((0, 0), (rows, cols), color=palette.HIGHLIGHT,
                                           width=5)
        small_label = side_text(size_text(bare.output), palette.CAPTION_SIZE, palette.HIGHLIGHT)
        full_label = side_text(size_text(tp.output), palette.CAPTION_SIZE, palette.HIGHLIGHT)
        for lab in (small_label, full_label):
            lab.next_to(odd.output.cells, DOWN, buff=0.12)
        self.op_frames = (small, full)
        values = {"o0": without.value, "a": a, "o": with_op.value}
        with self.beat("output_padding", values=values) as beat:
            beat.at("op", fade_out(odd.card), ReplacementTransform(self.case_head, head),
                    run_time=0.5)
            self.play(first.write(run_time=1.0))
            beat.at("without", first.substitute(run_time=1.0), FadeIn(small),
                    FadeIn(small_label))
            second.next_to(first, DOWN, buff=0.22).align_to(first.body, LEFT)
            beat.at("with", FadeIn(second, shift=0.1 * DOWN),
                    ReplacementTransform(small, full),
                    ReplacementTransform(small_label, full_label))
        self.case_head = head

    # --- planning the transpose of a real layer ------------------------------------------
    def plan_example(self) -> None:
        lang = self.lang
        conv = PLAN_CONV
        plan = cm.plan_transpose(conv)
        self.plan = plan
        tp = plan.transposed
        unit = 2.2 / conv.input[0]                 # squares drawn to scale

        def square(shape, channels, role, text):
            sq = Square(shape[0] * unit, stroke_color=palette.ROLE_COLORS[role],
                        stroke_width=3, fill_color=palette.ROLE_COLORS[role], fill_opacity=0.3)
            lab = Text(f"{text} {size_text((channels, *shape))}", font=palette.FONT,
                       font_size=palette.LABEL_SIZE, color=palette.ROLE_COLORS[role])
            lab.next_to(sq, UP, buff=0.2)
            group = VGroup(sq, lab)
            group.shape = tuple(shape)
            return group

        # labelled channels × height × width, as PyTorch writes a shape
        src = square(conv.input, conv.in_channels, "input", self.s("input"))
        mid = square(conv.output, conv.out_channels, "output", self.s("output"))
        back = square(tp.output, tp.out_channels, "output", self.s("output"))
        row = VGroup(src, mid, back).arrange(RIGHT, buff=2.4, aligned_edge=DOWN)
        row.move_to(np.array([0.0, 3.8 - row.height / 2, 0.0]))
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

        # the code: the convolution first; the rest comes with PyTorch's answer
        code = plan_code(plan)
        self.code_lines = code
        block = code_text(code["imports"] + code["conv"] + code["up"] + code["run"])
        block.move_to(np.array([0.0, row.get_bottom()[1] - 0.2, 0.0]), aligned_edge=UP)
        n_conv, n_up = len(code["imports"]) + len(code["conv"]), len(code["up"])
        conv_code = VGroup(*block[:n_conv])
        up_lines = VGroup(*block[n_conv:n_conv + n_up])
        run_lines = VGroup(*block[n_conv + n_up:])
        self.conv_code, self.transposed_code = conv_code, VGroup(up_lines, run_lines)
        channels = {"cin": counted(conv.in_channels, self.s("channel_one"),
                                   self.s("channel_many")),
                    "cout": counted(conv.out_channels, self.s("channel_one"),
                                    self.s("channel_many"))}
        values = {"i": conv.input[0], "o": conv.output[0], "k": conv.kernel[0],
                  "s": conv.stride[0], "p": conv.padding[0][0], "art": en_article(conv.input[0]),
                  **channels}
        # the question first fills the frame; the squares move up when the answers come
        stage = VGroup(row, arrows, names)
        if stage.width > 13.4:
            stage.scale_to_fit_width(13.4)
        stage.move_to(np.array([0.0, 3.8 - stage.height / 2, 0.0]))
        block.next_to(stage, DOWN, buff=0.2).set_x(0.0)
        stage.save_state()
        conv_code.save_state()
        stage.scale(min(1.25, 13.4 / stage.width)).move_to(np.array([0.0, 1.0, 0.0]))
        conv_code.next_to(stage, DOWN, buff=0.6).set_x(0.0)
        plan_head = heading(self.s("plan_head"), y=HEADER_Y)
        with self.beat("plan_conv", values=values) as beat:
            self.play(*fade_out_all(self, keep=[self.case_head], copy_free=True),
                      ReplacementTransform(self.case_head, plan_head), run_time=0.5)
            beat.at("input", fade_in(src), run_time=0.6)
            beat.at("output", GrowArrow(arrows[0]), FadeIn(names[0]), fade_in(mid), run_time=0.8)
            beat.at("code", FadeIn(conv_code, shift=0.1 * UP), run_time=0.8)
            beat.at("back", GrowArrow(arrows[1]), FadeIn(names[1]), fade_in(back), run_time=0.8)

        # the guide's direct convolution, from a storyboard of zeros (only its shape is used)
        direct = cm.direct_storyboard(tp, np.zeros(tp.input, dtype=np.int64),
                                      np.zeros(tp.kernel, dtype=np.int64))
        z = plan.zeros_between[0]
        b, after = plan.direct_padding[0]
        stretched = (tp.input[0] - 1) * (z + 1) + 1
        padded = direct.conv.padded_input[0]
        zeros = counted(z, self.s("zero_one"), self.s("zero_many"))
        title = Text(self.s("paper_title"), font=palette.FONT, font_size=palette.BODY_SIZE,
                     color=palette.TITLE)
        size = palette.BODY_SIZE * 0.9
        lines = VGroup(
            Text("• " + self.s("paper_zeros", zeros=zeros, ip=tp.input[0], st=stretched),
                 font=palette.FONT, font_size=size, color=palette.INSERTED),
            Text("• " + self.s("paper_padding", b=b, a=after, pd=padded), font=palette.FONT,
                 font_size=size, color=palette.TEXT),
            Text("• " + self.s("paper_kernel", k=tp.kernel[0], o=direct.conv.output[0]),
                 font=palette.FONT, font_size=size, color=palette.KERNEL),
        ).arrange(DOWN, buff=0.25, aligned_edge=LEFT)
        paper = VGroup(title, lines).arrange(DOWN, buff=0.3, aligned_edge=LEFT)
        if paper.width > 13.0:
            paper.scale_to_fit_width(13.0)
        paper.move_to(np.array([0.0, -2.75 + paper.height / 2, 0.0]))
        self.paper_lines = lines
        self.paper_numbers = {"z": z, "b": b, "a": after, "ip": tp.input[0],
                              "stretched": stretched, "padded": padded,
                              "o": direct.conv.output[0]}
        with self.beat("plan_paper", values={"zeros": zeros, "b": b, "a": after}) as beat:
            self.play(fade_out(plan_head), run_time=0.3)
            self.play(Restore(stage), Restore(conv_code), run_time=0.6)
            self.play(FadeIn(title), run_time=0.5)
            for mark, line in zip(("zeros", "pad", "kernel"), lines):
                beat.at(mark, FadeIn(line, shift=0.1 * UP), run_time=0.8)

        formula = transposed_output(tp, latex=True)
        fcard = FormulaCard.from_formula(formula, lang=lang, font_size=FORMULA_SIZE * 0.9,
                                         max_width=12.6)
        fcard.move_to(np.array([0.0, -2.75 + fcard.height / 2, 0.0]))
        self.plan_card = fcard
        op_index = next(n for n, line in enumerate(code["up"]) if "output_padding" in line)
        with self.beat("plan_pytorch", values={"op": plan.a[0], "i": tp.output[0]}) as beat:
            self.play(fade_out(paper), run_time=0.4)
            beat.at("code", FadeIn(up_lines, shift=0.1 * UP), run_time=0.8)
            beat.at("op", Indicate(up_lines[op_index], color=palette.HIGHLIGHT, scale_factor=1.05))
            beat.at("formula", fcard.write(run_time=1.0), FadeIn(run_lines, shift=0.1 * UP))
            beat.at("size", fcard.substitute(run_time=1.0), Indicate(back[1],
                                                                     color=palette.HIGHLIGHT))

        closing = Text(self.s("closing"), font=palette.FONT, font_size=palette.SUBTITLE_SIZE,
                       color=palette.HIGHLIGHT).move_to(np.array([0.0, -1.6, 0.0]))
        self.closing = closing
        with self.beat("closing") as beat:
            self.play(fade_out(block), fade_out(fcard), run_time=0.5)
            beat.at("shape", FadeIn(closing, shift=0.1 * UP), run_time=0.8)
        self.next_section("end")
        self.play(*fade_out_all(self, copy_free=True), run_time=0.8)

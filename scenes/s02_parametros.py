"""Part 2, "Parámetros de la convolución", and the post's animation A1.

``ParametrosConvolucion`` (segment ``s02_parametros``): the guide's 5×5 input and 3×3
kernel (``convmath.examples``; the kernel drawn in its tap colours, the key of the footprint's
colours and of the weights in the products lines). Each parameter on its own, on the same
grid: the input size i, the kernel size k (its first products line), the kernel sliding over
every position (output 3×3), stride 2 (output 2×2), back to stride 1 and padding 1 (dashed
border, output 5×5), back to padding 0 and dilation 2 (a footprint with gaps, output 1×1); a
line at the top keeps the parameters and the output size, one fixed place each. Every
parameter change is one play: the line, the padding, the output, the footprint. Then the
general output equation (``convmath.formulas.conv_output``) written out, then with the numbers
of i=5, k=3, s=2, p=1, d=1 substituted, and that whole convolution slid position by position
(the corner in detail, with its products and sum, the rest faster). Each number, formula and
highlight comes in on the word that names it (anchors in the narration text).

``ConvolucionConfigurable`` (segment ``a1_configurable``, narrated): the same sliding
convolution for parameters chosen with environment variables or a config file, read by
:mod:`scenes.configurable.params_env`::

    CONV_INPUT=5x5 CONV_KERNEL=3 CONV_STRIDE=2 CONV_PADDING=1 CONV_DILATION=1 \\
        manim render scenes/s02_parametros.py ConvolucionConfigurable
    CONV_INPUT_VALUES='[1,2,3,4,5,6,7]' CONV_KERNEL_VALUES='[1,0,-1]' CONV_PADDING=same \\
        CONV_OP=convolution manim render scenes/s02_parametros.py ConvolucionConfigurable
    CONV_CONFIG=my_conv.json manim render scenes/s02_parametros.py ConvolucionConfigurable

Sizes like ``7`` (1D) or ``5x5`` (2D); padding ``1``, ``1,2``, ``0:1`` or valid|same|full;
values as JSON arrays or ``@file.json``; ``CONV_SEED`` picks example values; ``CONV_OP``
correlation|convolution. A bad parameter prints one line (``convmath: error: ...``) and
exits before anything renders.

Transposed convolutions (``CONV_TRANSPOSED=1``, ``CONV_OUTPUT_PADDING``: the ``convmath``
command's ``--transposed``/``--output-padding``, PyTorch's meaning) and the view
(``CONV_VIEW``, :mod:`scenes.configurable.views`)::

    CONV_TRANSPOSED=1 CONV_INPUT=3x3 CONV_STRIDE=2 CONV_PADDING=1 CONV_OUTPUT_PADDING=1 \\
        manim render scenes/s02_parametros.py ConvolucionConfigurable
    CONV_TRANSPOSED=1 CONV_INPUT=2x2 CONV_STRIDE=2 CONV_VIEW=superposition manim render ...

- ``slide`` (default): the kernel sliding; a transposed convolution slides as the paper's
  equivalent direct convolution (``direct``): s − 1 zeros inserted between the input cells
  (violet), padding d(k−1) − p (dashed; the odd case's extra cells bottom/right), the kernel
  flipped, stride 1 (``convmath.direct_storyboard``). Narration: ``a1_directa``.
- ``superposition``: each input cell stamps the kernel scaled by its value on a canvas, overlaps
  add up, the padding crops the canvas to the output (``convmath.superposition``, kit
  :class:`~scenes.kit.operation.superposition.StampView`). Narration: ``a1_superposicion``.

``CONV_NARRATION=0`` makes it a short silent clip for a blog (what ``lecture clip`` renders):
no title card, voice or subtitles; the settings in one plain-text row, the grids, and the
kernel visiting every position (or every stamp) at ``CONV_PACE`` seconds each, then a hold.
"""

from __future__ import annotations

from dataclasses import dataclass, replace as dataclass_replace
from fractions import Fraction
from html import escape

import numpy as np
from manim import (DOWN, LEFT, PI, RIGHT, UP, AnimationGroup, Brace, Create, FadeIn, FadeOut,
                   GrowFromCenter, Indicate, MarkupText, MathTex, ReplacementTransform, Restore,
                   Rotate, Text, VGroup, config)

import convmath as cm
from convmath import formulas
from convmath.examples import example_input, example_kernel
from scenes.configurable.params_env import ConvParams, conv_params_from_env, exit_with
from scenes.configurable.views import (DEFAULT_PACE, LIMITS, check_drawable, effective_view,
                                       read_narration, read_pace, read_view, scene_environ)
from scenes.kit import (CellGrid, FormulaCard, OpCaption, Slider, TitleCard, math_tex,
                        palette)
from scenes.kit.cases.case_panel import scale_card
from scenes.kit.cells.grid import FadeParts
from scenes.kit.cells.legend import CellLegend, tap_kernel
from scenes.kit.cells.settings_text import axes_text, header_row, relabel
from scenes.kit.motion.fade import fade_in, fade_out, hand_over
from scenes.kit.motion.moves import pulse
from scenes.kit.operation.conv_stage import ConvStage
from scenes.kit.operation.quick_slide import QuickSlider
from scenes.kit.operation.superposition import StampView
from scenes.kit.text.numfmt import decimal
from scenes.kit.text.words import size_text, word
from scenes.narration.scene import NarratedScene
from scenes.segments import SEGMENTS

SEGMENT_ID = "s02_parametros"
A1_ID = "a1_configurable"

# the guide's example: a 5×5 input and a 3×3 kernel; then one parameter at a time
SIZE = (5, 5)
KERNEL = (3, 3)
CASES = {                      # beat: (stride, padding, dilation)
    "slide": (1, 0, 1),
    "stride": (2, 0, 1),
    "padding": (1, 1, 1),
    "dilation": (1, 0, 2),
}
TOGETHER = (2, 1, 1)          # the convolution of the equation's numbers, slid in full
TICKER_NAMES = ("i", "k", "s", "p", "d")

TICKER_Y = 3.5
CELL = 0.72                    # cell size of the parameter beats
ROW_Y = 0.0                    # centre of the cell rows in the parameter beats
INPUT_X, KERNEL_X, OUTPUT_X = -4.15, 0.0, 4.2
LINE_Y = -2.4                  # products line, above the subtitles
LINE_SIZE = 36


def segment_number(segment_id: str) -> int | None:
    ids = [s.id for s in SEGMENTS]
    return ids.index(segment_id) + 1 if segment_id in ids else None


def guide_example():
    """The guide's 5×5 input and 3×3 kernel, from convmath.examples."""
    return example_input(SIZE), example_kernel(KERNEL)


def case_spec(stride: int, padding: int, dilation: int) -> cm.ConvSpec:
    return cm.spec(SIZE, KERNEL, stride, padding, dilation)


def spec_values(sp: cm.ConvSpec) -> dict[str, int]:
    """i, k, s, p, d and o of a square convolution, as shown on screen."""
    return {"i": sp.input[0], "k": sp.kernel[0], "s": sp.stride[0], "p": sp.padding[0][0],
            "d": sp.dilation[0], "o": sp.output[0]}


def place_row(grid: CellGrid, x: float, y: float = ROW_Y) -> CellGrid:
    """Centre a grid's cells (not its label) on (x, y)."""
    grid.shift(np.array([x, y, 0.0]) - grid.cells.get_center())
    return grid


def spoken_value(v, lang: str) -> str:
    """An exact value as the narrator says it (numbers only from convmath)."""
    if isinstance(v, np.generic):
        v = v.item()
    minus = "menos " if lang == "es" else "minus "
    if isinstance(v, Fraction) and v.denominator != 1:
        sign = minus if v < 0 else ""
        sep = " sobre " if lang == "es" else " over "
        return f"{sign}{abs(v.numerator)}{sep}{v.denominator}"
    if isinstance(v, Fraction):
        v = v.numerator
    if isinstance(v, float) and not v.is_integer():
        text = decimal(abs(v), 2, lang).rstrip("0").rstrip(",.")
        return (minus if v < 0 else "") + text
    v = int(v)
    return f"{minus}{-v}" if v < 0 else str(v)


class ParamTicker(VGroup):
    """The line of parameters at the top, "i = 5   k = 3   s = 2   ⇒ o = 2": one fixed place
    per parameter, so a parameter that comes in or changes never pushes the others around
    (and no two texts cross while it changes). :meth:`switch` returns the animations of one
    change; :meth:`snapshot` keeps what the line shows (for tests)."""

    def __init__(self, lang, y: float = TICKER_Y):
        super().__init__()
        self.lang = lang
        self.items: dict[str, MathTex] = {}
        widest = [math_tex(f"{n} = 9", lang=lang) for n in TICKER_NAMES] + [
            math_tex(r"\Rightarrow", lang=lang), math_tex("o = 9", lang=lang)]
        row = VGroup(*widest).arrange(RIGHT, buff=0.55).move_to(np.array([0.0, y, 0.0]))
        self.slots = {n: m.get_center() for n, m in zip(TICKER_NAMES + ("=>", "o"), row)}
        self.arrow = math_tex(r"\Rightarrow", lang=lang).move_to(self.slots["=>"])

    def item(self, name: str, value: int, highlight: bool) -> MathTex:
        color = palette.OUTPUT_TEXT if name == "o" else (
            palette.HIGHLIGHT if highlight else palette.TEXT)
        return math_tex(f"{name} = {value}", lang=self.lang, color=color).move_to(
            self.slots[name])

    def switch(self, values: dict[str, int], new: str | None = None) -> list:
        """Show ``values`` (names in the line → numbers; ``o`` puts "⇒ o = …" at the end),
        ``new`` highlighted; the animations of the change (empty when nothing changes)."""
        anims = []
        for name, value in values.items():
            target = self.item(name, value, name == new)
            old = self.items.get(name)
            if old is None:
                anims.append(FadeIn(target, shift=0.15 * DOWN))
                if name == "o":
                    anims.append(FadeIn(self.arrow, shift=0.15 * DOWN))
                    self.add(self.arrow)
            elif old.tex_string != target.tex_string or old.get_color() != target.get_color():
                anims.append(ReplacementTransform(old, target))
                self.remove(old)
            else:
                continue
            self.items[name] = target
            self.add(target)
        return anims

    def snapshot(self) -> VGroup:
        return VGroup(*(m.copy() for m in self.items.values()))


@dataclass
class Case:
    """One parameter setting on screen: its storyboard, the input it slides over (the 5×5 grid,
    or a padded one), the empty output, the slider, the output's label."""

    spec: cm.ConvSpec
    board: object
    input: CellGrid
    output: CellGrid
    out_label: Text
    slider: Slider


class ParametrosConvolucion(NarratedScene):
    segment_id = SEGMENT_ID

    def construct(self):
        lang = self.lang
        x, w = guide_example()
        self.x, self.w = x, w
        self.cases: dict[str, dict] = {}
        words = {"input": self.s("input"), "kernel": self.s("kernel"), "output": self.s("output")}
        self.words = words
        self.tickers: dict[str, VGroup] = {}

        # --- title -----------------------------------------------------------------------------
        with self.beat("title") as beat:
            card = TitleCard(segment_number(self.segment_id), self.text.title, self.s("subtitle"),
                             lang=lang)
            self.play(card.intro(run_time=min(2.0, beat.duration * 0.4)))

        # --- the input -------------------------------------------------------------------------
        sp0 = case_spec(*CASES["slide"])
        inp5 = CellGrid(x, role="input", cell_size=CELL,
                        label=f"{words['input']} {size_text(sp0.input)}", lang=lang,
                        label_buff=0.2 + CELL)      # where a padded grid's label goes
        place_row(inp5, INPUT_X)
        self.input_grid = inp5
        ticker = ParamTicker(lang)
        self.ticker = ticker
        with self.beat("input", values={"i": sp0.input[0]}) as beat:
            hand_over(self, beat, "input", fade_in(inp5))
            beat.at("i", *ticker.switch({"i": sp0.input[0]}, new="i"))
        self.tickers["input"] = ticker.snapshot()

        # --- the kernel and its first products --------------------------------------------------
        board0 = cm.storyboard(sp0, x, w)
        ker = tap_kernel(w, cell_size=CELL, label=f"{words['kernel']} {size_text(sp0.kernel)}")
        place_row(ker, KERNEL_X)
        self.kernel_grid = ker
        case = self._case(sp0, inp5)
        slider = case.slider
        slider.footprint.save_state()
        slider.footprint.set_opacity(0)
        line = slider.products_line(0)
        self.first_line = line
        with self.beat("kernel", values={"k": sp0.kernel[0], "first": board0.steps[0].total}) \
                as beat:
            beat.at("kernel", FadeIn(ker, shift=0.2 * LEFT))
            beat.at("k", *ticker.switch({"i": sp0.input[0], "k": sp0.kernel[0]}, new="k"))
            beat.at("weights", Restore(slider.footprint), FadeIn(line.body, shift=0.2 * UP))
            beat.at("first", FadeIn(line.total, scale=1.3))
        self.tickers["kernel"] = ticker.snapshot()

        # --- slide, stride, padding, dilation: one parameter at a time ------------------------
        with self.beat("slide", values=self._values(sp0)) as beat:
            beat.at("output", _keep(fade_in(case.output)), FadeIn(case.out_label),
                    _keep(Create(slider.marker)), slider.fill(0, source=line.total),
                    FadeOut(line.body))
            self.play(FadeOut(line.total))
            beat.at("sweep", slider.sweep(1))
            beat.at("o", *ticker.switch(self._shown(sp0, ("i", "k")), new=None),
                    Indicate(case.output.cells, color=palette.OUTPUT, scale_factor=1.05))
        self._keep_case("slide", case, ["i", "k"])

        sp = case_spec(*CASES["stride"])
        with self.beat("stride", values=self._values(sp)) as beat:
            case = self._switch_at(beat, "s", case, sp, names=("i", "k", "s"), new="s")
            beat.at("sweep", case.slider.sweep(0))
            beat.at("o", Indicate(ticker.items["o"], color=palette.OUTPUT_TEXT),
                    Indicate(case.output.cells, color=palette.OUTPUT, scale_factor=1.05))
        self._keep_case("stride", case, ["i", "k", "s"])

        sp_back = case_spec(1, 0, 1)
        sp = case_spec(*CASES["padding"])
        with self.beat("padding", values=self._values(sp)) as beat:
            case = self._switch_at(beat, "s", case, sp_back, names=("i", "k", "s"), new="s")
            case = self._switch_at(beat, "p", case, sp, names=("i", "k", "s", "p"), new="p")
            beat.at("sweep", case.slider.sweep(0))
            beat.at("o", Indicate(ticker.items["o"], color=palette.OUTPUT_TEXT),
                    Indicate(case.output.cells, color=palette.OUTPUT, scale_factor=1.05))
        self._keep_case("padding", case, ["i", "k", "s", "p"])

        sp_back = case_spec(1, 0, 1)
        sp = case_spec(*CASES["dilation"])
        values = self._values(sp) | {"p": sp_back.padding[0][0]}
        with self.beat("dilation", values=values) as beat:
            names = ("i", "k", "s", "p")
            case = self._switch_at(beat, "p", case, sp_back, names=names, new="p")
            case = self._switch_at(beat, "d", case, sp, names=names + ("d",), new="d")
            fp = case.slider.footprint
            brace = Brace(fp.outline, DOWN, buff=0.08, color=palette.KERNEL)
            span = Text(self.s("cells", n=sp.effective_kernel[0]), font=palette.FONT,
                        font_size=palette.LABEL_SIZE, color=palette.KERNEL)
            span.next_to(brace, DOWN, buff=0.1)
            span.value = sp.effective_kernel[0]
            self.dilated_span = span
            beat.at("kk", GrowFromCenter(brace), FadeIn(span),
                    Indicate(fp.outline, color=palette.KERNEL, scale_factor=1.02))
            line = case.slider.products_line(0)
            case.slider.lines.append(line)
            beat.at("sweep", FadeOut(brace), FadeOut(span), run_time=0.3)
            self.play(FadeIn(line, shift=0.2 * UP))
            beat.at("o", case.slider.fill(0, source=line.total),
                    Indicate(ticker.items["o"], color=palette.OUTPUT_TEXT))
        self.dilation_line = line
        self._keep_case("dilation", case, ["i", "k", "s", "p", "d"])

        # --- the general equation ---------------------------------------------------------------
        sp_all = case_spec(*TOGETHER)
        board_all = cm.storyboard(sp_all, x, w)
        formula = formulas.conv_output(sp_all, latex=True)
        card = FormulaCard.from_formula(formula, title=self.s("general"), lang=lang,
                                        font_size=48)
        card.move_to(np.array([0.0, 1.5, 0.0]))
        legend = self._legend()
        legend.next_to(card, DOWN, buff=0.6)
        self.formula_card = card
        with self.beat("formula") as beat:
            hand_over(self, beat, "o", card.write())
            self.play(FadeIn(legend, lag_ratio=0.15))

        # --- the numbers ------------------------------------------------------------------------
        nums = spec_values(sp_all)
        params_line = math_tex([rf"i = {nums['i']}", r",\quad", rf"k = {nums['k']}",
                               r",\quad", rf"s = {nums['s']}", r",\quad",
                               rf"p = {nums['p']}", r",\quad", rf"d = {nums['d']}"], lang=lang)
        params_line.move_to(legend)
        self.params_line = params_line
        # the numbers come in as they are said; the result when the output size is
        result = VGroup(card.substituted[1], card.substituted[2])
        result.set_opacity(0)
        with self.beat("numbers", values=nums) as beat:
            self.play(FadeOut(legend))
            beat.at("i", FadeIn(params_line, shift=0.2 * UP), card.substitute())
            beat.at("o", result.animate.set_opacity(1))

        # --- the whole convolution, slid --------------------------------------------------------
        stage = ConvStage(board_all, lang=lang, words=words, region=(-6.8, -1.95, 6.8, 2.85),
                          max_cell=0.72, gap=1.1)
        slider_all = Slider(board_all, stage.input, stage.output, lang=lang,
                            line_anchor=np.array([0, LINE_Y, 0]), products_font_size=LINE_SIZE)
        slider_all.footprint.save_state()
        slider_all.footprint.set_opacity(0)
        caption = OpCaption(board_all.op, lang=lang)
        self.final = {"spec": sp_all, "board": board_all, "stage": stage, "slider": slider_all}
        first = board_all.steps[0].total
        step0 = board_all.steps[0]
        line = slider_all.products_line(0)
        slider_all.lines.append(line)
        under = [t for t in step0.taps if t.input is None]          # taps on the padding
        padding_cells = [stage.input.cell(t.padded) for t in under]
        with self.beat("together", values={"first": first, **nums}) as beat:
            # the equation with its numbers stays on top, without its box
            self.play(FadeOut(params_line), FadeOut(card.box), FadeOut(card.title),
                      run_time=0.4)
            self.play(card.body.animate.scale(0.75).move_to(np.array([0.0, 3.35, 0.0])))
            self.play(fade_in(stage), FadeIn(caption))
            beat.at("products", Restore(slider_all.footprint), _keep(Create(slider_all.marker)),
                    FadeIn(line.body, shift=0.2 * UP))
            beat.at("corner", pulse(stage.input, padding_cells, color=palette.HIGHLIGHT,
                                    scale_factor=1.0),
                    pulse(line.body, [t for j, t in enumerate(line.terms)
                                      if step0.taps[j] in under], color=palette.HIGHLIGHT))
            beat.at("first", FadeIn(line.total, scale=1.3), slider_all.fill(0))
        n = len(board_all.steps)
        count = Text(self.s("positions", n=n), font=palette.FONT, font_size=palette.LABEL_SIZE,
                     color=palette.OUTPUT_TEXT)
        count.next_to(stage.output.cells, DOWN, buff=0.3)
        count.value = n
        self.positions_count = count
        with self.beat("rest", values={"n": n, **nums}) as beat:
            self.play(FadeOut(line.body), FadeOut(line.total))
            beat.at("sweep", slider_all.sweep(1))
            beat.at("n", FadeIn(count), Indicate(stage.output.cells, color=palette.OUTPUT,
                                                 scale_factor=1.05))
            beat.at("o", slider_all.outro(), Indicate(card.body[2], color=palette.OUTPUT_TEXT))

    # --- pieces ---------------------------------------------------------------------------------
    def _values(self, sp: cm.ConvSpec) -> dict:
        return spec_values(sp) | {"kk": sp.effective_kernel[0]}

    def _case(self, sp: cm.ConvSpec, inp: CellGrid) -> Case:
        """The grids and slider of one setting: ``inp`` itself when unpadded, else a padded
        grid whose input cells sit exactly on ``inp``'s."""
        board = cm.storyboard(sp, self.x, self.w)
        if any(b or a for b, a in sp.padding):
            padded = CellGrid(board.padded, cell_kind=board.cell_kind, role="input",
                              cell_size=CELL, label=inp.label.original_text, lang=self.lang)
            pad = tuple(b for b, _ in sp.padding)
            padded.shift(self.input_grid.cell_center((0, 0)) - padded.cell_center(pad))
            padded.label.move_to(inp.label)
            inp = padded
        out = CellGrid(shape=sp.output, role="output", cell_size=CELL, lang=self.lang)
        place_row(out, OUTPUT_X)
        label = Text(f"{self.words['output']} {size_text(sp.output)}", font=palette.FONT,
                     font_size=palette.LABEL_SIZE, color=palette.OUTPUT)
        label.next_to(out.cells, UP, buff=0.2)
        slider = Slider(board, inp, out, lang=self.lang, line_anchor=np.array([0, LINE_Y, 0]),
                        products_font_size=LINE_SIZE)
        return Case(sp, board, inp, out, label, slider)

    @staticmethod
    def _shown(sp: cm.ConvSpec, names) -> dict[str, int]:
        """The parameters ``names`` of ``sp`` and its output size, for the line at the top."""
        return {n: v for n, v in spec_values(sp).items() if n in names or n == "o"}

    def _switch_at(self, beat, mark: str, old: Case, sp: cm.ConvSpec, names, new: str) -> Case:
        """On the word ``mark``, every number that depends on the parameters changes in one
        play: the line at the top, the input's padding, the output (empty, its new size), the
        footprint and the marker. Returns the new case."""
        case = self._case(sp, self.input_grid)
        anims = self.ticker.switch(self._shown(sp, names), new=new)
        old_fp = old.slider.footprint
        anims += [old_fp.animate.set_opacity(0), FadeOut(old.slider.marker),
                  fade_out(old.output), ReplacementTransform(old.out_label, case.out_label),
                  fade_in(case.output), _keep(Create(case.slider.marker))]
        fp = case.slider.footprint
        fp.save_state()
        fp.set_opacity(0)
        anims.append(Restore(fp))
        beat.at(mark)
        swap_input = case.input is not old.input
        if swap_input:
            anims += self._swap_input(old.input, case.input)
        self.play(*anims)
        old.input.overlays.remove(old_fp)
        self.remove(old_fp)            # (animated apart from its grid when that grid left)
        if swap_input and old.input in self.mobjects:
            self.remove(old.input)
            self.add(case.input)
        return case

    def _swap_input(self, old: CellGrid, new: CellGrid) -> list:
        """The padding comes or goes around the same input cells: the padded grid's extra cells
        fade (the shared cells do not move, so no digit crosses another); the label moves."""
        padded, plain = (new, old) if new.shape[0] > old.shape[0] else (old, new)
        extra = VGroup(*(m for idx in np.ndindex(*padded.shape)
                         if padded.cell_kind[idx] == "padding"
                         for m in (padded.cell(idx), padded.number(idx)) if m is not None))
        if padded is new:
            # the padded grid takes the plain one's place at once (its input cells look the same)
            self.remove(old)
            self.add(new)
            return [FadeParts(new, extra, fade_in=True)]
        return [FadeParts(old, extra, fade_in=False)]

    def _keep_case(self, beat_id: str, case: Case, names: list[str]) -> None:
        self.tickers[beat_id] = self.ticker.snapshot()
        self.cases[beat_id] = {"spec": case.spec, "board": case.board, "input": case.input,
                               "output": case.output, "slider": case.slider,
                               "ticker": self.tickers[beat_id], "names": names,
                               "label": case.out_label}

    def _legend(self) -> VGroup:
        """What each letter of the equation names (words from the narration text file)."""
        rows = VGroup()
        for sym in ("i", "k", "s", "p", "d", "o"):
            color = (palette.OUTPUT_TEXT if sym == "o" else palette.HIGHLIGHT).to_hex()
            rows.add(MarkupText(f'<span foreground="{color}"><i>{sym}</i></span>   '
                                f'{escape(self.s(sym))}', font=palette.FONT,
                                font_size=palette.BODY_SIZE * 0.9, color=palette.TEXT))
        return rows.arrange_in_grid(rows=3, cols=2, buff=(1.2, 0.3), col_alignments="ll",
                                    flow_order="dr")


def _keep(anim):
    """An introducer of a mobject the scene already holds (inside a drawn group)."""
    anim.introducer = False
    return anim


# --- A1: the configurable convolution -----------------------------------------------------------

MAX_CELLS_2D = LIMITS["slide"][2]       # padded input cells per axis a 2D input can have on screen
MAX_CELLS_1D = LIMITS["slide"][1]
MAX_TAPS = LIMITS["slide"]["taps"]      # kernel taps a products line can hold legibly
PRECHECK_CELLS = 64                     # refused before any storyboard is computed
# the narration of each view (one text file each: every beat of a file is spoken)
A1_TEXTS = {"slide": A1_ID, "direct": "a1_directa", "superposition": "a1_superposicion"}
END_HOLD = 1.6                          # silent clips: the finished picture, before the loop


@dataclass(frozen=True)
class A1Settings:
    """What A1 draws: the convolution, the view, narrated or silent, the silent pace."""

    params: ConvParams
    view: str              # slide, direct (a transposed convolution slid) or superposition
    narrated: bool = True
    pace: float = DEFAULT_PACE


def a1_settings(environ=None) -> A1Settings:
    """The A1 scene's settings from ``CONV_*`` / ``CONV_CONFIG`` (see scenes.configurable.views for
    CONV_VIEW, CONV_NARRATION, CONV_PACE), checked to be drawable.

    Raises :class:`convmath.ConvError` with one line for anything that cannot be shown.
    """
    view = read_view(environ)
    narrated = read_narration(environ)
    pace = read_pace(environ)
    params = conv_params_from_env(environ, max_ndim=2, max_cells=PRECHECK_CELLS)
    view = effective_view(view, params.transposed)
    check_drawable(params.spec, view)
    return A1Settings(params, view, narrated, pace)


def a1_params(environ=None) -> ConvParams:
    """The A1 scene's convolution, checked to be drawable (one-line ConvError otherwise)."""
    return a1_settings(environ).params


def a1_settings_or_exit(environ=None) -> A1Settings:
    """:func:`a1_settings`, or ``SystemExit`` with the one-line error (no traceback)."""
    try:
        return a1_settings(environ)
    except cm.ConvError as exc:
        exit_with(exc)


def a1_params_or_exit(environ=None) -> ConvParams:
    """:func:`a1_params`, or ``SystemExit`` with the one-line error (no traceback)."""
    return a1_settings_or_exit(environ).params


def _joined(values, lang: str) -> str:
    """Per-axis numbers as spoken: "5" when all axes agree, else "5 por 3" / "5 by 3"."""
    values = [int(v) for v in values]
    if len(set(values)) == 1 and len(values) > 1:
        values = values[:1]
    return (" por " if lang == "es" else " by ").join(str(v) for v in values)


def _size_words(shape, lang: str) -> str:
    """A shape as spoken: "5 por 5", "7"."""
    return (" por " if lang == "es" else " by ").join(str(int(v)) for v in shape)


def _pairs_words(pairs, lang: str) -> str:
    """(before, after) per axis as spoken: "1", "1 antes y 2 después", per axis joined."""
    if all(b == a for b, a in pairs) and len({b for b, _ in pairs}) == 1:
        return str(pairs[0][0])
    before, after = ("antes", "después") if lang == "es" else ("before", "after")
    parts = [str(b) if b == a else f"{b} {before} {'y' if lang == 'es' else 'and'} {a} {after}"
             for b, a in pairs]
    return (" por " if lang == "es" else " by ").join(parts) if len(set(parts)) > 1 \
        else parts[0]


def _padding_words(sp: cm.ConvSpec, lang: str) -> str:
    if sp.padding_name:
        return sp.padding_name
    return _pairs_words(sp.padding, lang)


def a1_values(params: ConvParams, lang: str) -> dict:
    """The narration's fields, from the parameters and convmath."""
    sp = params.spec
    board = params.board()
    values = {"input": _size_words(sp.input, lang), "kernel": _size_words(sp.kernel, lang),
              "stride": _joined(sp.stride, lang), "dilation": _joined(sp.dilation, lang),
              "padding": _padding_words(sp, lang), "op": word(params.op, lang),
              "output": _size_words(sp.output, lang),
              "first": spoken_value(board.steps[0].total, lang), "n": len(board.steps)}
    if sp.transposed:
        de = params.direct()
        values.update(output_padding=_joined(sp.output_padding, lang),
                      zeros=_joined(de.zeros_between, lang),
                      pad=_pairs_words(de.padding, lang),
                      value=spoken_value(params.x.flat[0], lang), stamps=int(params.x.size))
    return values


def _axes_latex(values) -> str:
    values = [int(v) for v in values]
    if len(set(values)) == 1 and len(values) > 1:
        values = values[:1]
    return r"\times ".join(str(v) for v in values)


def padding_latex(sp: cm.ConvSpec) -> str:
    per_axis = [str(b) if b == a else f"{b}{{:}}{a}" for b, a in sp.padding]
    text = per_axis[0] if len(set(per_axis)) == 1 else "(" + r",\ ".join(per_axis) + ")"
    if sp.padding_name:
        return rf"\mathrm{{{sp.padding_name}}}\ ({text})" if sp.padding_name != "valid" \
            else r"\mathrm{valid}"
    return text


def params_parts(sp: cm.ConvSpec) -> list[str]:
    """LaTeX parts "i = 5\\times 5", "k = 3\\times 3", "s = 1", "p = …", "d = 1" (and for a
    transposed convolution with output padding, "op = 1")."""
    times = r"\times "
    items = [f"i = {times.join(str(v) for v in sp.input)}",
             f"k = {times.join(str(v) for v in sp.kernel)}",
             f"s = {_axes_latex(sp.stride)}", f"p = {padding_latex(sp)}",
             f"d = {_axes_latex(sp.dilation)}"]
    if sp.transposed and any(sp.output_padding):
        items.append(rf"\mathit{{op}} = {_axes_latex(sp.output_padding)}")
    parts = []
    for item in items:
        if parts:
            parts.append(r",\quad")
        parts.append(item)
    return parts


def direct_padding_text(de: cm.DirectEquivalent, s) -> str:
    """The direct equivalent's padding, in words from the text file (``s``: the scene's
    string lookup): one number, the two sides, or one pair per axis."""
    pads = de.padding
    if len(set(pads)) == 1:
        b, a = pads[0]
        if b == a:
            return s("padding", p=b)
        return s("padding_sides" if len(pads) == 2 else "padding_sides_1d", p=b, a=a)
    return s("padding_axes", p=", ".join(f"{b}:{a}" for b, a in pads))


def direct_legend(de: cm.DirectEquivalent, s, font_size: float = palette.CAPTION_SIZE,
                  cell_size: float = 0.36) -> CellLegend:
    """Inserted zeros and padding of the direct equivalent, as one row of samples."""
    entries = []
    if any(de.zeros_between):
        entries.append(("inserted", s("inserted", z=axes_text(de.zeros_between))))
    entries.append(("padding", direct_padding_text(de, s)))
    legend = CellLegend(entries, cell_size=cell_size, font_size=font_size, sample_value=0)
    legend.rows.arrange(RIGHT, buff=0.7)
    return legend


def _under(mob, top: float, room: float):
    """Centre ``mob`` horizontally on 0, its top at ``top`` (scaled down to ``room`` wide)."""
    if mob.width > room:
        mob.scale_to_fit_width(room)
    mob.move_to(np.array([0.0, top - mob.height / 2, 0.0]))
    return mob


class ConvolucionConfigurable(NarratedScene):
    """A1: any 1D or 2D convolution or transposed convolution, from ``CONV_*`` variables or
    ``CONV_CONFIG``; ``CONV_VIEW`` slide|direct|superposition; ``CONV_NARRATION=0`` for a
    short silent clip (no voice, no subtitles, no title card)."""

    segment_id = A1_ID
    CONV_ENV: dict = {}                       # settings over the environment (scene_environ)
    PARAMS_Y = 3.45
    STAGE_REGION = (-6.8, -1.5, 6.8, 3.0)
    BAND = (-6.8, -3.75, 6.8, -1.75)          # formula cards, then the products line
    CENTRE = (-6.8, -2.6, 6.8, 2.6)           # formula cards before the grids come in

    def __init__(self, *args, **kwargs):
        # checked before anything is drawn: a bad parameter is one line and no render
        self.settings = a1_settings_or_exit(scene_environ(self))
        self.params = self.settings.params
        self.view = self.settings.view
        self.narrated = self.settings.narrated
        # each view speaks its own text file (instance attribute: read by NarratedScene)
        self.segment_id = A1_TEXTS[self.view]
        super().__init__(*args, **kwargs)

    def construct(self):
        self.words = {"input": self.s("input"), "kernel": self.s("kernel"),
                      "output": self.s("output")}
        if not self.narrated:
            if self.view == "superposition":
                self.clip_superposition()
            else:
                self.clip_slide()
            return
        {"slide": self.narrate_slide, "direct": self.narrate_direct,
         "superposition": self.narrate_superposition}[self.view]()

    # --- shared pieces ----------------------------------------------------------------------------
    def _caption(self) -> OpCaption:
        return OpCaption(self.params.op, lang=self.lang, transposed=self.params.transposed)

    def _params_line(self, caption: OpCaption):
        """The parameters in LaTeX, centred in the room the corner caption leaves."""
        line = math_tex(params_parts(self.params.spec), lang=self.lang)
        left, right = -6.8, caption.get_left()[0] - 0.4
        if line.width > right - left:
            line.scale_to_fit_width(right - left)
        line.move_to(np.array([(left + right) / 2, self.PARAMS_Y, 0.0]))
        return line

    def _title(self, beat, values):
        sp = self.params.spec
        subtitle = self.s("subtitle", op=word(self.params.op, self.lang),
                          input=size_text(sp.input), kernel=size_text(sp.kernel))
        card = TitleCard(None, self.text.title, subtitle, lang=self.lang)
        self.play(card.intro(run_time=min(2.0, beat.duration * 0.4)))
        return card

    # --- narrated: a convolution, slid --------------------------------------------------------
    def narrate_slide(self):
        lang = self.lang
        params = self.params
        sp = params.spec
        board = params.storyboard()
        self.board = board
        values = a1_values(params, lang)
        self.values = values
        words = self.words

        with self.beat("title", values=values) as beat:
            card = self._title(beat, values)

        caption = self._caption()
        line = self._params_line(caption)
        stage = ConvStage(board, lang=lang, words=words, region=self.STAGE_REGION,
                          max_cell=0.6 if sp.ndim == 2 else 0.75, gap=1.0)
        self.params_line, self.stage = line, stage
        band_y = (self.BAND[1] + self.BAND[3]) / 2
        slider = Slider(board, stage.input, stage.output, lang=lang,
                        line_anchor=np.array([0.0, band_y, 0.0]))
        self.slider = slider
        with self.beat("setup", values=values) as beat:
            t_out, t_line, t_stage = beat.split(0.6, 1.2, 2.5, leave=1.5)
            self.play(FadeOut(card), run_time=t_out)
            self.play(FadeIn(line, shift=0.2 * DOWN), FadeIn(caption), run_time=t_line)
            slider.footprint.save_state()
            slider.footprint.set_opacity(0)
            self.play(fade_in(stage), run_time=t_stage)

        cards = self._formula_cards()
        self.cards = cards
        with self.beat("formula", values=values) as beat:
            t_write, t_sub = beat.split(2.0, 2.0, leave=1.2)
            self.play(AnimationGroup(*(c.write() for c in cards), lag_ratio=0.3),
                      run_time=t_write)
            self.play(AnimationGroup(*(c.substitute() for c in cards)), run_time=t_sub)

        self._slide_beats(slider, cards, values)

    def _slide_beats(self, slider, cards, values):
        """The beats "first" (the first positions in detail) and "rest" (the others)."""
        n = len(slider.steps)
        first_stop = min(2, n)
        with self.beat("first", values=values) as beat:
            t_out, t_intro, t_steps = beat.split(0.6, 0.8, 6.0, leave=0.5)
            if cards:
                self.play(*(FadeOut(c) for c in cards), run_time=t_out)
            # the footprint was hidden (its visible state saved) when the grids came in
            self.play(AnimationGroup(Restore(slider.footprint), _keep(Create(slider.marker)),
                                     group=slider.stage, run_time=t_intro))
            self.play(slider.animation(budget=t_steps, detailed=first_stop, stop=first_stop))

        with self.beat("rest", values=values) as beat:
            t_rest, t_end = beat.split(6.0, 1.2, leave=0.8)
            if n > first_stop:
                self.play(slider.animation(budget=t_rest, detailed=0, start=first_stop))
            else:
                self.wait(t_rest)
            self.play(slider.outro(run_time=t_end / 2),
                      *(FadeIn(c) for c in cards), run_time=t_end)

    def _formula_cards(self, region=None) -> list[FormulaCard]:
        """One card per axis whose formula differs (one card when every axis agrees): the
        output size of the convolution, or of the transposed convolution."""
        sp = self.params.spec
        fn = formulas.transposed_output if sp.transposed else formulas.conv_output
        forms = [fn(sp, axis, latex=True) for axis in range(sp.ndim)]
        same = all(f.substituted == forms[0].substituted for f in forms)
        if same:
            titled = [(forms[0], self.s("output_size"))]
        else:
            titled = [(f, self.s("axis", n=axis)) for axis, f in enumerate(forms)]
        l, b, r, t = self.BAND if region is None else region
        width = (r - l - 0.5 * (len(titled) - 1)) / len(titled)
        cards = [FormulaCard.from_formula(f, title=title, lang=self.lang, max_width=width - 0.8)
                 for f, title in titled]
        group = VGroup(*cards).arrange(RIGHT, buff=0.5)
        factor = min(1.0, (t - b) / group.height, (r - l) / group.width)
        if factor < 1.0:
            for card in cards:
                scale_card(card, factor)
            group.arrange(RIGHT, buff=0.5 * factor)
        group.move_to(np.array([(l + r) / 2, (b + t) / 2, 0.0]))
        self.card_formulas = [f for f, _ in titled]
        return cards

    def _transposed_intro(self, values):
        """Beats "title", "setup" (parameters and the formula) and "formula" (its numbers) of
        a transposed convolution; returns (caption, params line, cards)."""
        with self.beat("title", values=values) as beat:
            card = self._title(beat, values)
        caption = self._caption()
        line = self._params_line(caption)
        cards = self._formula_cards(self.CENTRE)
        self.params_line, self.cards = line, cards
        with self.beat("setup", values=values) as beat:
            t_out, t_line, t_write = beat.split(0.6, 1.2, 2.0, leave=1.0)
            self.play(FadeOut(card), run_time=t_out)
            self.play(FadeIn(line, shift=0.2 * DOWN), FadeIn(caption), run_time=t_line)
            self.play(AnimationGroup(*(c.write() for c in cards), lag_ratio=0.3),
                      run_time=t_write)
        with self.beat("formula", values=values) as beat:
            (t_sub,) = beat.split(1.0, leave=1.2)
            self.play(AnimationGroup(*(c.substitute() for c in cards)), run_time=min(t_sub, 2.5))
        return caption, line, cards

    def _direct_stage(self, de, region, max_cell) -> ConvStage:
        """The direct equivalent's grids: zero-stuffed padded input (its cells input, inserted
        or padding; labelled with the transposed convolution's input size, stretched), the flipped
        kernel, the empty output."""
        sp = self.params.spec
        board = dataclass_replace(de.storyboard, cell_kind=de.cell_kind)
        stage = ConvStage(board, lang=self.lang, words=self.words, region=region,
                          max_cell=max_cell, gap=1.0)
        relabel(stage.input, self.s("stretched", i=size_text(sp.input)))
        relabel(stage.kernel, self.s("flipped", k=size_text(sp.kernel)))
        return stage

    # --- narrated: a transposed convolution as its direct equivalent ---------------------------
    def narrate_direct(self):
        lang = self.lang
        params = self.params
        sp = params.spec
        de = params.direct()
        board = de.storyboard
        self.direct, self.board = de, board
        values = a1_values(params, lang)
        self.values = values
        caption, line, cards = self._transposed_intro(values)

        region = (-6.8, -1.45, 6.8, 3.0)
        stage = self._direct_stage(de, region, max_cell=0.6 if sp.ndim == 2 else 0.75)
        legend = direct_legend(de, self.s)
        _under(legend, -1.7, 13.0)
        plain_in = CellGrid(params.x, role="input", cell_size=stage.input.step,
                            label=stage.input.label.original_text, lang=lang)
        plain_in.shift(stage.input.cells.get_center() - plain_in.cells.get_center())
        # the kernel as given (its label apart: the grid turns half a circle into the flip)
        plain_k = CellGrid(params.w, role="kernel", cell_size=stage.kernel.step, lang=lang)
        plain_k.shift(stage.kernel.cells.get_center() - plain_k.cells.get_center())
        plain_k_label = Text(f"{self.words['kernel']} {size_text(sp.kernel)}", font=palette.FONT,
                             font_size=stage.kernel.label.font_size, color=palette.KERNEL)
        plain_k_label.move_to(stage.kernel.label, aligned_edge=DOWN)
        slider = Slider(board, stage.input, stage.output, lang=lang,
                        line_anchor=np.array([0.0, -3.0, 0.0]))
        slider.footprint.save_state()              # shown in the beat "first"
        slider.footprint.set_opacity(0)
        self.stage, self.slider, self.legend = stage, slider, legend
        self.plain_input, self.plain_kernel = plain_in, plain_k
        with self.beat("direct", values=values) as beat:
            t_out, t_in, t_swap, t_flip = beat.split(0.6, 1.2, 1.6, 1.6, leave=0.8)
            self.play(*(fade_out(c) for c in cards), run_time=t_out)
            self.play(fade_in(plain_in), fade_in(plain_k), FadeIn(plain_k_label),
                      fade_in(stage.output), run_time=t_in)
            self.play(fade_out(plain_in), fade_in(stage.input), FadeIn(legend), run_time=t_swap)
            self.play(Rotate(plain_k, PI), run_time=t_flip * 0.6)
            self.play(fade_out(plain_k), FadeOut(plain_k_label), fade_in(stage.kernel),
                      run_time=t_flip * 0.4)
        self._slide_beats(slider, [], values)

    # --- narrated: a transposed convolution by superposition -----------------------------------
    def narrate_superposition(self):
        lang = self.lang
        params = self.params
        sup = params.stamps()
        self.sup = sup
        values = a1_values(params, lang)
        overlaps = int(cm.overlap_map(params.spec).max()) > 1
        values["overlap"] = self.s("overlap_yes" if overlaps else "overlap_no")
        values["crop"] = self._crop_words(values)
        self.values = values
        caption, line, cards = self._transposed_intro(values)

        view = StampView(sup, lang=lang, words=self._stamp_words(), region=(-6.8, -3.75, 6.8, 3.0),
                         max_cell=0.8, sum_room=0.8)
        self.stamp_view = view
        n = len(sup.stamps)
        with self.beat("stamp", values=values) as beat:
            t_out, t_in, t_stamp = beat.split(0.6, 1.0, 5.0, leave=0.6)
            self.play(*(fade_out(c) for c in cards), run_time=t_out)
            self.play(view.intro(run_time=t_in))
            view.play_detailed(self, 0, run_time=max(t_stamp, 2.5))
        with self.beat("rest", values=values) as beat:
            (budget,) = beat.split(1.0, leave=0.8)
            if n > 1:
                second = min(4.0, max(2.5, budget * 0.45))
                view.play_detailed(self, 1, run_time=second, show_sum=overlaps)
                if n > 2:
                    view.play(self, budget=max(budget - second, 0.6), detailed=0, start=2)
        with self.beat("crop", values=values) as beat:
            t_crop, t_end = beat.split(2.0, 0.6, leave=0.8)
            label = f"{self.words['output']} {size_text(params.spec.output)}"
            if view.cropped_anything or any(params.spec.output_padding):
                self.play(view.crop(label=label, run_time=t_crop))
            else:
                self.play(Indicate(view.canvas.cells, color=palette.OUTPUT, scale_factor=1.05),
                          run_time=t_crop)
            self.play(view.outro(run_time=t_end))

    def _stamp_words(self) -> dict:
        """Words of the stamp view: the canvas is "Lienzo" only when the padding crops it or
        output padding extends it; otherwise it is the output itself."""
        sp = self.params.spec
        words = dict(self.words)
        if any(b or a for b, a in sp.padding) or any(sp.output_padding):
            words["canvas"] = self.s("canvas")
        else:
            words["canvas"] = self.words["output"]
        return words

    def _crop_words(self, values) -> str:
        sp = self.params.spec
        pads, extra = any(b or a for b, a in sp.padding), any(sp.output_padding)
        if pads and extra:
            return self.s("crop_both", pad=values["padding"], op=values["output_padding"])
        if pads:
            return self.s("crop_pad", pad=values["padding"])
        if extra:
            return self.s("crop_op", op=values["output_padding"])
        return self.s("crop_none")

    # --- silent clips ---------------------------------------------------------------------------
    def _clip_header(self):
        """The operation's name and the settings line (plain text), one row across the top;
        returns (row, the y under it)."""
        row = header_row(self.params.spec, self.params.op, self.lang)
        self.params_line, self.caption = row.line, row.caption
        return row, row.get_bottom()[1] - 0.3

    def clip_slide(self):
        """Silent: the kernel visits every position at the pace; the output fills."""
        params = self.params
        sp = params.spec
        pace = self.settings.pace
        header, top = self._clip_header()
        fw, fh = config.frame_width, config.frame_height
        left, right = -fw / 2 + palette.FRAME_MARGIN, fw / 2 - palette.FRAME_MARGIN
        bottom = -fh / 2 + palette.FRAME_MARGIN
        extra = []
        max_cell = 1.0 if sp.ndim == 2 else 1.1
        if params.transposed:
            de = params.direct()
            self.direct = de
            legend = direct_legend(de, self.s, font_size=palette.LABEL_SIZE, cell_size=0.45)
            _under(legend, bottom + legend.height, right - left)
            stage = self._direct_stage(de, (left, legend.get_top()[1] + 0.3, right, top),
                                       max_cell)
            self.legend = legend
            extra.append(legend)
        else:
            stage = ConvStage(params.storyboard(), lang=self.lang, words=self.words,
                              region=(left, bottom, right, top), max_cell=max_cell, gap=1.0)
        self.stage = stage
        board = stage.board if not params.transposed else self.direct.storyboard
        self.board = board
        qs = QuickSlider(board, stage.input, stage.output)
        self.slider = qs
        self.add(header, stage, *extra, *qs.mobjects)
        self.wait(self.settings.pace)
        qs.play(self, pace)
        self.layout_report["clip"] = self.check_layout()
        self.wait(max(END_HOLD, 2 * pace))

    def clip_superposition(self):
        """Silent: every input cell stamps the scaled kernel on the canvas; the padding crops
        it to the output."""
        params = self.params
        pace = self.settings.pace
        header, top = self._clip_header()
        fw, fh = config.frame_width, config.frame_height
        region = (-fw / 2 + palette.FRAME_MARGIN, -fh / 2 + palette.FRAME_MARGIN,
                  fw / 2 - palette.FRAME_MARGIN, top)
        view = StampView(params.stamps(), lang=self.lang, words=self._stamp_words(),
                         region=region, max_cell=1.0 if params.ndim == 2 else 1.1,
                         sum_room=0.65)
        self.stamp_view = view
        self.add(header, view)
        self.wait(pace)
        for k in range(len(view.sup.stamps)):
            self.play(view.fast_stamp(k, run_time=pace))
        label = f"{self.words['output']} {size_text(params.spec.output)}"
        if view.cropped_anything or any(params.spec.output_padding):
            self.play(view.crop(label=label, run_time=max(1.0, 2 * pace)))
        self.play(view.outro(run_time=max(0.3, pace)))
        self.layout_report["clip"] = self.check_layout()
        self.wait(max(END_HOLD, 2 * pace))

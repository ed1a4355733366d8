"""Part 5, "Fórmulas de salida": the output size, case by case, as in the guide.

``FormulasSalida`` (segment ``s05_formulas``): for each of the guide's parameter sets
(Dumoulin & Visin, relationships 1–6 and 15; their numbers are the guide's) a
:class:`~scenes.kit.cases.case_panel.CasePanel` shows the padded input (padding dashed) with the
kernel's footprint (each case's grids as large as the frame allows beside its card), the
footprint visiting every position while the output cells light up, and beside it a card with the relationship (``convmath.relationships``): its condition when it
has one (p = ⌊k/2⌋, p = k − 1) or the effective kernel, the formula, the numbers under it and
the result, each written when the voice names it. The odd case (i = 6, k = 3, s = 2, no
padding) marks the input cells the kernel never reads. A closing table lists every case with
its output, all given by relationship 15, shown beside part 2's (PyTorch's) way of writing it.

    manim render scenes/s05_formulas.py FormulasSalida
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, FadeIn, Indicate, Line, Text, VGroup, Write

import convmath as cm
from convmath.formulas import conv_output
from convmath.relationships import relationship
from scenes.kit import TitleCard, palette
from scenes.kit.cases.case_panel import CaseCard, CasePanel, case_note, relationship_formula
from scenes.kit.cells.grid import TEXT_CACHE
from scenes.kit.motion.fade import fade_out
from scenes.kit.text.tex import math_tex
from scenes.narration.scene import NarratedScene
from scenes.narration.segment_text import SaidShown
from scenes.segments import segment_number

SEGMENT_ID = "s05_formulas"
FORMULAS_PART = "s02_parametros"     # where the general equation was first written

# (beat id, relationship of the guide, (i, k, s, p, d)): the guide's figures 2.1–2.6 and 5.1,
# and an odd case without padding (so what the floor drops is real input)
CASES = [
    ("no_padding", 1, (4, 3, 1, 0, 1)),
    ("padding", 2, (5, 4, 1, 2, 1)),
    ("half", 3, (5, 3, 1, 1, 1)),
    ("full", 4, (5, 3, 1, 2, 1)),
    ("strides", 5, (5, 3, 2, 0, 1)),
    ("odd", 5, (6, 3, 2, 0, 1)),
    ("padding_strides", 6, (5, 3, 2, 1, 1)),
    ("dilation", 15, (7, 3, 1, 0, 2)),
]
GENERAL = 15                 # the one relationship that covers every case
# k + (k − 1)(d − 1), the guide's effective kernel, is part 2's d(k − 1) + 1
IDENTITY = r"k + (k - 1)(d - 1) = d(k - 1) + 1"

HEADER_Y = 3.5
BODY_BOX = (-6.8, -2.65, 6.8, 3.0)      # grids and card; the subtitle band starts at −2.8
GRID_GAP = 1.0
CARD_GAP = 0.6
MIN_CARD = 4.4
MAX_CARD_SHARE = 0.6
UNREAD_LABEL_ROOM = 0.6
MAX_CELL = 0.75
FORMULA_SIZE = 48
SUMMARY_SIZE = 40
HOLD_SUMMARY = 3.0                      # seconds the closing formulas stay after the voice


def case_layout(rel: int, params, titles, lang, box=BODY_BOX) -> tuple[float, float]:
    """(cell size, share of the width for the grids) of one case: its card gets the width its
    formulas need (at least ``MIN_CARD``, at most ``MAX_CARD_SHARE`` of the body box), the
    grids the rest, as large as they fit."""
    i, k, s, p, d = params
    l, b, r, t = box
    card = CaseCard(relationship_formula(rel, i, k, s, p, d), titles=titles,
                    note=case_note(rel, i, k, s, p, d), lang=lang, font_size=FORMULA_SIZE)
    formulas = VGroup(*(m for m in (card.note, card.general, card.numbers) if m is not None))
    card_w = min(max(formulas.width + 0.6, MIN_CARD), (r - l) * MAX_CARD_SHARE)  # titles may shrink
    share = (r - l - card_w - CARD_GAP) / (r - l)
    sp = cm.spec((i, i), k, s, p, d)
    rows = max(sp.padded_input[0], sp.output[0])
    cols = sp.padded_input[1] + sp.output[1]
    cell = min(MAX_CELL, (t - b - 0.6) / rows, ((r - l) * share - GRID_GAP - 0.2) / cols)
    return float(cell), float(share)


def case_values(i, k, s, p, d) -> dict:
    """The numbers a case's narration speaks, from convmath."""
    sp = cm.spec(i, k, s, p, d)
    return {"i": i, "k": k, "s": s, "p": p, "d": d, "o": sp.output[0],
            "kk": sp.effective_kernel[0]}


class FormulasSalida(NarratedScene):
    segment_id = SEGMENT_ID

    def construct(self):
        self.panels: dict[str, CasePanel] = {}
        card = TitleCard(segment_number(self.segment_id), self.text.title, self.s("subtitle"),
                         lang=self.lang)
        with self.beat("title") as beat:
            self.play(card.intro(run_time=min(2.0, beat.duration * 0.4)))
        previous = card

        npos = SaidShown(self.s("npos_said"), self.s("npos_shown"))
        for beat_id, rel, params in CASES:
            panel = self.make_panel(beat_id, rel, params)
            self.panels[beat_id] = panel
            anchors = self.text.beat(beat_id).anchors
            # in the pause between two cases: the old one out, the new one's grids and card in
            self.play(fade_out(previous), run_time=0.4)
            self.play(panel.frame(with_formula="formula" not in anchors), run_time=1.0)
            with self.beat(beat_id, values={**case_values(*params), "npos": npos}) as beat:
                for name in anchors:
                    beat.at(name, self.case_step(panel, name, beat))
            previous = panel

        header, table, forms = self.summary()
        self.summary_table, self.summary_forms = table, forms
        # in the pause before: the table of every case (never a near-empty screen under the voice)
        self.play(fade_out(previous), run_time=0.4)
        self.play(FadeIn(header), FadeIn(table, lag_ratio=0.02), run_time=1.0)
        values = {"n": GENERAL, "part": segment_number(FORMULAS_PART)}
        with self.beat("summary", values=values) as beat:
            beat.at("table", Indicate(table.values, color=palette.HIGHLIGHT, scale_factor=1.05))
            for name in ("formula", "pytorch", "same"):
                beat.at(name, Write(forms[name]))
        self.wait(HOLD_SUMMARY)

    # --- pieces ---------------------------------------------------------------------------------
    def make_panel(self, beat_id, rel, params) -> CasePanel:
        i, k, s, p, d = params
        shown = {"i": i, "k": k, "s": s, "p": p}
        if d != 1:
            shown["d"] = d
        titles = (self.s("relationship", n=rel),
                  ",  ".join(f"{name} = {v}" for name, v in shown.items()))
        # room under the grids for the label of the cells never read
        l, b, r, t = BODY_BOX
        box = (l, b + UNREAD_LABEL_ROOM, r, t) if "unread" in self.text.beat(beat_id).anchors \
            else BODY_BOX
        cell, share = case_layout(rel, params, titles, self.lang, box)
        panel = CasePanel(i, k, s, p, d, relationship=rel, header=self.s(beat_id),
                          words={"input": self.s("input"), "output": self.s("output")},
                          lang=self.lang, cell_size=cell, formula_size=FORMULA_SIZE,
                          row_box=box, header_y=HEADER_Y, grid_gap=GRID_GAP,
                          side_card=True, card_gap=CARD_GAP, max_grids_share=share,
                          stacked=True, titles=titles)
        panel.shown_params = shown
        return panel

    def case_step(self, panel: CasePanel, name: str, beat):
        """What a case shows on the anchor ``name`` of its beat."""
        card = panel.card
        if name == "sweep":
            # the footprint's tour lasts until the next anchor (or the end of the voice)
            later = [t for t in beat.marks.values() if t > beat.marks[name] + 1e-6]
            budget = (min(later) if later else beat.end) - beat.marks[name] - 0.15
            return panel.sweep(max(0.6, budget))
        steps = {
            "cond": lambda: card.write_note(with_value="kk" not in beat.marks),
            "kk": card.write_note_value,
            "grow": panel.flash_padding,
            "formula": card.write_general,
            "subst": card.write_numbers,
            "result": lambda: card.write_result(),
            "floor": lambda: Indicate(card.numbers, color=palette.HIGHLIGHT, scale_factor=1.1),
            "unread": lambda: panel.mark_unread(self.s("unused"), label_side=DOWN),
        }
        return steps[name]()

    def summary(self):
        """A table of every case (parameters, output, relationship) and, beside it, the general
        formula as the guide writes it, as part 2 wrote it, and why they are the same."""
        heads = ["i", "k", "s", "p", "d", "o", self.s("rel_column")]
        rows = []
        for _, rel, (i, k, s, p, d) in CASES:
            o = cm.spec(i, k, s, p, d).output[0]
            rows.append([i, k, s, p, d, o, rel])
        self.summary_rows = rows
        size = palette.BODY_SIZE
        rel_head = Text(heads[6], font=palette.FONT, font_size=size)
        col_x = [0.75 * c for c in range(6)] + [5 * 0.75 + 0.8 + rel_head.width / 2]
        row_h = 0.5
        # one baseline per row: letters with a descender hang below it
        ref_o = Text("o", font=palette.FONT, font_size=size)
        ref_p = Text("p", font=palette.FONT, font_size=size)
        descent = ref_p.height - ref_o.height     # 'p' is as tall as 'o' plus its descender
        cells = VGroup()
        for c, h in enumerate(heads):
            t = Text(h, font=palette.FONT, font_size=size, color=palette.TEXT_DIM,
                     slant="ITALIC" if c < 6 else "NORMAL")
            drop = descent if any(ch in "gjpqy" for ch in h) else 0.0
            t.move_to(np.array([col_x[c], 0.0, 0.0]), aligned_edge=DOWN)
            t.shift(DOWN * drop)
            cells.add(t)
        body = VGroup()
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                color = (palette.OUTPUT_TEXT if c == 5 else
                         palette.TEXT if c < 5 else palette.KERNEL)
                t = TEXT_CACHE.get(str(v), size, color)      # digits repeat: one render each
                t.move_to(np.array([col_x[c], -(r + 1) * row_h - 0.15, 0.0]), aligned_edge=DOWN)
                t.value = v
                body.add(t)
        rule = Line(np.array([-0.3, -0.2, 0]),
                    np.array([col_x[-1] + rel_head.width / 2 + 0.15, -0.2, 0]),
                    stroke_width=1.5, color=palette.MUTED)
        table = VGroup(cells, rule, body)
        table.rows = rows
        table.values = body

        part = segment_number(FORMULAS_PART)
        pytorch = conv_output(cm.spec(*CASES[-1][2]), latex=True).general
        forms = {}
        blocks = VGroup()
        for name, title, latex in (
                ("formula", self.s("guide_form", n=GENERAL), relationship(GENERAL).latex),
                ("pytorch", self.s("pytorch_form", part=part), pytorch),
                ("same", self.s("same_form"), IDENTITY)):
            head = Text(title, font=palette.FONT, font_size=palette.BODY_SIZE * 0.9,
                        color=palette.TEXT_DIM)
            formula = math_tex(latex, lang=self.lang, font_size=SUMMARY_SIZE)
            formula.latex = latex
            block = VGroup(head, formula).arrange(DOWN, buff=0.2, aligned_edge=LEFT)
            forms[name] = block
            blocks.add(block)
        blocks.arrange(DOWN, buff=0.45, aligned_edge=LEFT)
        header = Text(self.s("summary"), font=palette.FONT, font_size=palette.SUBTITLE_SIZE,
                      color=palette.TITLE).move_to(np.array([0.0, HEADER_Y, 0.0]))
        group = VGroup(table, blocks).arrange(RIGHT, buff=0.8)
        l, b, r, t = BODY_BOX
        if group.width > r - l:
            group.scale((r - l) / group.width)
        group.move_to(np.array([0.0, (b + t) / 2, 0.0]))
        return header, table, forms

"""Part 5, "Fórmulas de salida": the output size, case by case, as in the guide.

``FormulasSalida`` (segment ``s05_formulas``): for each of the guide's parameter sets
(Dumoulin & Visin, relationships 1–6 and 15) a :class:`~scenes.kit.case_panel.CasePanel`
shows the padded input (padding dashed) with the kernel's footprint, the footprint
visiting every position while the output cells light up, and the relationship's formula
(``convmath.relationships``) written out and then with the numbers substituted. The odd
case (i=6, k=3, s=2, p=1) marks the cells the kernel never reads. A closing table lists
every case with its output, all given by the one general formula (relationship 15).

    manim render scenes/s05_formulas.py FormulasSalida
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, RIGHT, FadeIn, Line, Text, VGroup

import convmath as cm
from convmath.relationships import relationship
from scenes.kit import FormulaCard, TitleCard, palette
from scenes.kit.case_panel import CasePanel
from scenes.kit.fade import fade_out
from scenes.kit.grid import TEXT_CACHE
from scenes.narration.scene import NarratedScene
from scenes.segments import SEGMENTS

SEGMENT_ID = "s05_formulas"

# (beat id, relationship of the guide, (i, k, s, p, d)): the guide's figures 2.1–2.7 and 5.1
CASES = [
    ("no_padding", 1, (4, 3, 1, 0, 1)),
    ("padding", 2, (5, 4, 1, 2, 1)),
    ("half", 3, (5, 3, 1, 1, 1)),
    ("full", 4, (5, 3, 1, 2, 1)),
    ("strides", 5, (5, 3, 2, 0, 1)),
    ("padding_strides", 6, (5, 3, 2, 1, 1)),
    ("odd", 6, (6, 3, 2, 1, 1)),
    ("dilation", 15, (7, 3, 1, 0, 2)),
]
GENERAL = 15                 # the one relationship that covers every case

HEADER_Y = 3.5
ROW_BOX = (-6.8, -1.25, 6.8, 2.95)      # the grids (labels included)
CARD_BOX = (-6.8, -3.75, 6.8, -1.45)    # the formula card
MAX_CELL = 0.55
FORMULA_SIZE = 46


def segment_number(segment_id: str) -> int:
    return [s.id for s in SEGMENTS].index(segment_id) + 1


def shared_cell_size() -> float:
    """One cell size for every case, so sizes compare at a glance: the largest padded
    input (and its output beside it) must fit the row box."""
    l, b, r, t = ROW_BOX
    best = MAX_CELL
    for _, _, (i, k, s, p, d) in CASES:
        sp = cm.spec((i, i), k, s, p, d)
        rows = max(sp.padded_input[0], sp.output[0])
        cols = sp.padded_input[1] + sp.output[1]
        best = min(best, (t - b - 0.55) / rows, (r - l - 2.0) / cols)
    return best


def case_values(i, k, s, p, d) -> dict:
    """The numbers a case's narration speaks, from convmath."""
    sp = cm.spec(i, k, s, p, d)
    return {"i": i, "k": k, "s": s, "p": p, "d": d, "o": sp.output[0],
            "kk": sp.effective_kernel[0]}


class FormulasSalida(NarratedScene):
    segment_id = SEGMENT_ID

    def construct(self):
        self.panels: dict[str, CasePanel] = {}
        cell = shared_cell_size()

        with self.beat("title") as beat:
            card = TitleCard(segment_number(self.segment_id), self.text.title,
                             self.s("subtitle"), lang=self.lang)
            self.play(card.intro(run_time=min(2.0, beat.duration * 0.4)))
        previous = card

        for beat_id, rel, params in CASES:
            i, k, s, p, d = params
            values = case_values(*params)
            with self.beat(beat_id, values=values) as beat:
                panel = self.make_panel(beat_id, rel, params, cell)
                self.panels[beat_id] = panel
                # about half a second per play of the sweep: the first output row one
                # position at a time, then a row at a time
                rows, cols = panel.spec.output
                sweep_w = max(3.6, 0.55 * (cols + rows - 1))
                out_t, intro_t, sweep_t, subst_t, mark_t = beat.split(
                    0.6, 1.8, sweep_w, 1.6, 1.2 if beat_id == "odd" else 0.01, leave=1.2)
                self.play(fade_out(previous), run_time=out_t)
                self.play(panel.intro(run_time=intro_t))
                self.play(panel.sweep(sweep_t))
                self.play(panel.substitute(run_time=subst_t))
                if beat_id == "odd":
                    self.play(panel.mark_unread(self.s("unused"), run_time=mark_t))
                previous = panel

        with self.beat("summary") as beat:
            header, table, card = self.summary()
            self.summary_table, self.summary_card = table, card
            out_t, table_t, card_t = beat.split(0.6, 2.5, 2.5, leave=1.5)
            self.play(fade_out(previous), run_time=out_t)
            self.play(FadeIn(header), FadeIn(table, lag_ratio=0.02), run_time=table_t)
            self.play(card.write(run_time=card_t))

    # --- pieces ---------------------------------------------------------------------------------
    def make_panel(self, beat_id, rel, params, cell) -> CasePanel:
        i, k, s, p, d = params
        shown = {"i": i, "k": k, "s": s, "p": p}
        if d != 1:
            shown["d"] = d
        title = self.s("relationship", n=rel) + "  ·  " + ",  ".join(
            f"{name} = {v}" for name, v in shown.items())
        panel = CasePanel(i, k, s, p, d, relationship=rel, header=self.s(beat_id),
                          card_title=title, words={"input": self.s("input"),
                                                   "output": self.s("output")},
                          lang=self.lang, cell_size=cell, formula_size=FORMULA_SIZE,
                          row_box=ROW_BOX, card_box=CARD_BOX, header_y=HEADER_Y)
        panel.shown_params = shown
        return panel

    def summary(self):
        """A table of every case (parameters, output, relationship) and the general formula."""
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
        general = relationship(GENERAL).latex
        card = FormulaCard(general, title=self.s("relationship", n=GENERAL), lang=self.lang,
                           font_size=44, max_width=6.6)
        header = Text(self.s("summary"), font=palette.FONT, font_size=palette.SUBTITLE_SIZE,
                      color=palette.TITLE).move_to(np.array([0.0, HEADER_Y, 0.0]))
        group = VGroup(table, card).arrange(RIGHT, buff=1.0)
        if group.width > 13.4:
            group.scale(13.4 / group.width)
        group.move_to(np.array([0.0, -0.35, 0.0]))
        return header, table, card

"""One case of the transposed convolution's relationships (the guide's 8–14), drawn.

``TransposedCasePanel(i, k, s, p, relationship=n)`` takes a square 2D convolution's
parameters and draws the transposed convolution that undoes its shape as the guide's
equivalent direct convolution (``convmath.direct_storyboard``): the input i′ = o with
s − 1 zeros inserted between its cells (violet) and padding (dashed), the kernel's footprint
on its first position, the output (empty cells that fill as the footprint visits them), a
legend of the cell kinds, and a formula card with relationship ``n``
(``convmath.relationships``) first as written, then with the numbers. It is a
:class:`~scenes.kit.cases.case_panel.CasePanel` (same layout boxes, same ``intro``, ``sweep``,
``substitute``). :func:`transposed_relationship_formula` substitutes the numbers into the
relationship's LaTeX and checks the result against :func:`convmath.plan_transpose`.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Animation, AnimationGroup, FadeIn, Text, VGroup

import convmath as cm
from convmath.formulas import Formula
from convmath.relationships import relationship as get_relationship

from .. import palette
from ..cells.grid import CellGrid
from ..cells.legend import CellLegend
from ..layout import fit_to_region
from ..motion.fade import fade_in
from ..motion.moves import SharedData, shared_property
from .case_panel import CasePanel, grid_label, substitute_symbols

PRIMED = "q"       # stands for i′ while the other symbols are substituted


def transposed_relationship_formula(number: int, i: int, k: int, s: int = 1,
                                    p: int = 0) -> Formula:
    """Relationship ``number`` (8–14) for the transposed convolution of the convolution
    (i, k, s, p), with i′ (the convolution's output), k, s, p and a substituted.

    ``general`` is the relationship's LaTeX, ``substituted`` its right-hand side with the
    numbers, ``value`` o′. Raises :class:`convmath.ConvError` if the relationship does not
    apply or disagrees with :func:`convmath.plan_transpose` (o′ must be i)."""
    rel = get_relationship(number)
    if not rel.transposed:
        raise cm.ConvError(f"relationship {number} is about convolutions, not transposed ones")
    if not rel.applies(i, k, s, p, 1):
        raise cm.ConvError(f"relationship {number} ({rel.condition}) does not apply to "
                           f"i={i}, k={k}, s={s}, p={p}")
    plan = cm.plan_transpose(cm.spec(i, k, s, p))
    value = rel.output(i, k, s, p, 1)
    if value != plan.transposed.output[0]:
        raise cm.ConvError(f"relationship {number} gives {value}, convmath gives "
                           f"{plan.transposed.output[0]}")
    lhs, rhs = rel.latex.split("=", 1)
    rhs = rhs.strip()
    if PRIMED in rhs:
        raise ValueError(f"relationship {number}'s LaTeX already uses {PRIMED!r}")
    values = {PRIMED: plan.conv.output[0], "k": k, "s": s, "p": p, "a": plan.a[0]}
    subst = substitute_symbols(rhs.replace("i'", PRIMED), values)
    return Formula(rel.latex, subst, value)


class TransposedCasePanel(CasePanel):
    """The transposed convolution of the square 2D convolution (i, k, s, p), drawn as the
    guide's equivalent direct convolution, with relationship ``relationship``'s card.

    ``legend``: the legend's texts {"inserted": ..., "padding": ...} (already formatted,
    numbers from :attr:`plan`), or None for none. Parts as :class:`CasePanel`'s plus
    :attr:`conv` (the convolution), :attr:`plan` (``convmath.plan_transpose``),
    :attr:`direct` (``convmath.direct_storyboard``), :attr:`legend`, and after
    :meth:`mark_extra` :attr:`extra_marks`.
    """

    # convmath data: shared with the panel's copies, not copied by every animation
    conv = shared_property("conv")
    plan = shared_property("plan")
    spec = shared_property("spec")
    formula = shared_property("formula")
    direct = shared_property("direct")
    board = shared_property("board")

    def __init__(self, i: int, k: int, s: int = 1, p: int = 0, *, relationship: int,
                 header: str | None = None, card_title: str | None = None,
                 words: dict | None = None, legend: dict | None = None, lang=None,
                 cell_size: float = 0.45, formula_size: float = palette.FORMULA_SIZE,
                 row_box=(-6.8, -1.3, 6.8, 3.05), card_box=(-6.8, -3.75, 6.8, -1.45),
                 header_y: float = 3.5, grid_gap: float = 1.2, legend_under_output: bool = True,
                 legend_cell: float = 0.42, **kwargs):
        VGroup.__init__(self, **kwargs)
        self._data = SharedData()
        self.params = dict(i=i, k=k, s=s, p=p, d=1)
        self.relationship = relationship
        self.lang = lang
        words = dict(words or {})
        self.conv = cm.spec((i, i), k, s, p)
        self.plan = cm.plan_transpose(self.conv)
        self.spec = self.plan.transposed
        self.formula = transposed_relationship_formula(relationship, i, k, s, p)
        # the geometry alone matters: a storyboard of zeros
        self.direct = cm.direct_storyboard(self.spec, np.zeros(self.spec.input, dtype=np.int64),
                                           np.zeros(self.spec.kernel, dtype=np.int64))
        self.board = self.direct.storyboard

        label = grid_label(words, lang)
        self.input = CellGrid(self.board.padded, cell_kind=self.direct.cell_kind, role="input",
                              cell_size=cell_size, show_numbers={"inserted", "padding"},
                              label=label("input", self.spec.input), lang=lang)
        self._footprint_and_output(label, cell_size, lang)
        self.legend = None
        right = VGroup(self.output)
        if legend:
            entries = [(kind, legend[kind]) for kind in ("inserted", "padding") if kind in legend]
            self.legend = CellLegend(entries, cell_size=legend_cell, sample_value=0,
                                     font_size=palette.CAPTION_SIZE * 1.1)
            if legend_under_output:      # else the caller places it
                right.add(self.legend)
                right.arrange(DOWN, buff=0.45, aligned_edge=LEFT)
        self.grids = VGroup(self.input, self.output)
        row = VGroup(self.input, right).arrange(RIGHT, buff=grid_gap)
        fit_to_region(row, *row_box)
        self._place_card_and_header(card_box, card_title, lang, formula_size, header, header_y)
        self.add(self.grids, self.card)
        if self.legend is not None:
            self.add(self.legend)
        self.unread_marks = VGroup()
        self.unread_label = None
        self.input.overlays.add(self.unread_marks)
        self.extra_marks = VGroup()
        self.extra_label = None

    # --- facts ----------------------------------------------------------------------------------
    @property
    def values(self) -> dict:
        """The numbers a narration speaks about this case, all from convmath."""
        b, a_after = self.plan.direct_padding[0]
        return {"i": self.conv.input[0], "k": self.conv.kernel[0], "s": self.conv.stride[0],
                "p": self.conv.padding[0][0], "ip": self.spec.input[0],
                "o": self.spec.output[0], "z": self.plan.zeros_between[0], "pp": b,
                "pa": a_after, "a": self.plan.a[0]}

    # --- animations -----------------------------------------------------------------------------
    def intro(self, run_time: float = 2.0, legend: bool = True, card: bool = True
              ) -> Animation:
        """The header and the grids (footprint on its first position); the legend and the
        card's formula too unless ``legend`` / ``card`` is False: then they leave the panel
        (so they are not drawn with it) and the caller shows them later, when named."""
        if not card:
            self.remove(self.card)
        if not legend and self.legend is not None:
            self.remove(self.legend)
        anims = [FadeIn(m) for m in ([self.header] if self.header is not None else [])]
        anims += [fade_in(self.input), fade_in(self.output)]
        if self.legend is not None and legend:
            anims.append(fade_in(self.legend))
        if card:
            anims.append(self.card.write())
        for a in anims:
            a.introducer = False
        return AnimationGroup(*anims, lag_ratio=0.25, run_time=run_time, group=self)

    def mark_extra(self, text: str | None = None, run_time: float = 1.0) -> Animation:
        """Frame the ``a`` extra rows and columns of zeros added after (bottom and right)
        in the odd case; ``text`` (e.g. "a = 1") labels them."""
        a = self.plan.a
        rows, cols = self.input.shape
        if a[0]:
            bottom = self.input.window_rectangle((rows - a[0], 0), (a[0], cols),
                                                 color=palette.HIGHLIGHT, width=4)
            self.extra_marks.add(bottom)
        if a[1]:
            right = self.input.window_rectangle((0, cols - a[1]), (rows, a[1]),
                                                color=palette.HIGHLIGHT, width=4)
            self.extra_marks.add(right)
        anims = [FadeIn(self.extra_marks)]
        if text and len(self.extra_marks):
            self.extra_label = Text(text, font=palette.FONT, font_size=palette.CAPTION_SIZE,
                                    color=palette.HIGHLIGHT)
            self.extra_label.next_to(self.input.cells, DOWN, buff=0.12)
            self.extra_label.align_to(self.input.cells, RIGHT)
            self.add(self.extra_label)
            anims.append(FadeIn(self.extra_label, shift=0.1 * UP))
        self.add(self.extra_marks)
        for an in anims:
            an.introducer = False
        return AnimationGroup(*anims, lag_ratio=0.3, run_time=run_time, group=self)

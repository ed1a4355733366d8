"""One case of the output-size formulas: grid, footprint, output and formula card.

``CasePanel(i, k, s, p, d, relationship=n)`` draws, for a square 2D convolution with
those parameters, the padded input (padding dashed) with the kernel's footprint on its
first position, the output (empty cells that fill as the footprint visits them), and a
formula card holding the guide's relationship ``n`` (from ``convmath.relationships``),
first as written, then with the numbers substituted and the result. Every size and digit
comes from convmath; :func:`relationship_formula` substitutes the numbers into the
relationship's LaTeX and checks the result against :func:`convmath.spec`.
"""

from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Animation, AnimationGroup, FadeIn, Indicate,
                   RoundedRectangle, Square, Succession, Text, VGroup, Write, there_and_back)

import convmath as cm
from convmath.formulas import Formula
from convmath.relationships import relationship as get_relationship

from .. import palette
from ..cells.grid import CellGrid, KernelFootprint
from ..layout import fit_to_region
from ..motion.fade import fade_in
from ..operation.conv_stage import sweep_groups
from ..text.formula import FormulaCard
from ..text.tex import math_tex, value_latex
from ..text.words import size_text, word

UNREAD = palette.TAP_COLORS[1]          # vermilion: cells the kernel never reads
SYMBOLS = ("i", "k", "s", "p", "d")


def substitute_symbols(latex: str, values: dict[str, object]) -> str:
    """Put numbers in place of the one-letter symbols of a LaTeX formula.

    LaTeX commands (``\\left``, ``\\frac``…) are left alone; a symbol written right
    after a number or a closing parenthesis (``2p``) gets a ``\\cdot``. Primed symbols
    (``i'``) and letters inside words are not symbols and stay as they are.
    """
    out: list[str] = []
    pos = 0
    n = len(latex)
    while pos < n:
        ch = latex[pos]
        if ch == "\\":
            end = pos + 1
            while end < n and latex[end].isalpha():
                end += 1
            if end == pos + 1:
                end += 1
            out.append(latex[pos:end])
            pos = end
            continue
        prev = latex[pos - 1] if pos else ""
        nxt = latex[pos + 1] if pos + 1 < n else ""
        if (ch in values and not prev.isalpha() and not nxt.isalpha() and nxt != "'"):
            done = "".join(out).rstrip()
            if done and (done[-1].isdigit() or done[-1] == ")"):
                out.append(r"\cdot ")
            out.append(value_latex(values[ch]))
        else:
            out.append(ch)
        pos += 1
    return "".join(out)


def relationship_formula(number: int, i: int, k: int, s: int = 1, p: int = 0,
                         d: int = 1) -> Formula:
    """The guide's relationship ``number`` (a convolution's) with these numbers substituted.

    ``general`` is the relationship's LaTeX, ``substituted`` its right-hand side with the
    numbers, ``value`` the output size. Raises :class:`convmath.ConvError` if the
    relationship does not apply to these parameters or disagrees with :func:`convmath.spec`.
    """
    rel = get_relationship(number)
    if rel.transposed:
        raise cm.ConvError(f"relationship {number} is about transposed convolutions")
    if not rel.applies(i, k, s, p, d):
        raise cm.ConvError(f"relationship {number} ({rel.condition}) does not apply to "
                           f"i={i}, k={k}, s={s}, p={p}, d={d}")
    value = rel.output(i, k, s, p, d)
    expected = cm.spec(i, k, s, p, d).output[0]
    if value != expected:
        raise cm.ConvError(f"relationship {number} gives {value}, convmath.spec gives {expected}")
    lhs, rhs = rel.latex.split("=", 1)
    subst = substitute_symbols(rhs.strip(), dict(zip(SYMBOLS, (i, k, s, p, d))))
    return Formula(rel.latex, subst, value)


def relationship_card(formula: Formula, **kwargs) -> FormulaCard:
    """A formula card "o = …" → "o = <numbers> = o" (or just "o = value" for ``o = i``)."""
    if formula.substituted.strip() == value_latex(formula.value):
        lhs = formula.general.split("=", 1)[0].strip()
        card = FormulaCard(formula.general, f"{lhs} = {value_latex(formula.value)}", **kwargs)
        card.value = formula.value
        return card
    return FormulaCard.from_formula(formula, **kwargs)


def case_note(number: int, i: int, k: int, s: int = 1, p: int = 0,
              d: int = 1) -> tuple[str, str] | None:
    """What a relationship's card should say besides its formula, as (LaTeX, value):
    the guide's condition on the padding of relationships 3 (half, same: p = ⌊k/2⌋) and 4
    (full: p = k − 1), and the effective kernel k̂ = k + (k − 1)(d − 1) of relationship 15
    when d > 1. None for the others (their conditions are the parameters in the title).
    Values from convmath, checked against the case's own parameters."""
    if number == 3:
        if k // 2 != p:
            raise cm.ConvError(f"half padding is p = ⌊k/2⌋ = {k // 2}, not {p}")
        return r"p = \left\lfloor k/2 \right\rfloor", value_latex(k // 2)
    if number == 4:
        if k - 1 != p:
            raise cm.ConvError(f"full padding is p = k − 1 = {k - 1}, not {p}")
        return r"p = k - 1", value_latex(k - 1)
    if number == 15 and d > 1:
        return r"\hat{k} = k + (k - 1)(d - 1)", value_latex(cm.spec(i, k, s, p, d).effective_kernel[0])
    return None


class _Join(AnimationGroup):
    """Animations that bring ``parts`` in; afterwards the parts belong to ``owner`` (so fading
    the owner out takes them along), not to the scene on their own."""

    def __init__(self, owner, parts, *anims, **kwargs):
        super().__init__(*anims, **kwargs)
        self.owner, self.parts = owner, list(parts)

    def clean_up_from_scene(self, scene) -> None:
        super().clean_up_from_scene(scene)
        scene.remove(*self.parts)
        self.owner.add(*(m for m in self.parts if m not in self.owner.submobjects))


class CaseCard(VGroup):
    """A relationship's card for a narrated case, each part shown when it is named.

    From top to bottom: ``titles`` (e.g. "Relación 3" and "i = 5, k = 3, s = 1, p = 1"), an
    optional ``note`` (LaTeX, value) such as the condition p = ⌊k/2⌋ = 1 (:func:`case_note`),
    the general formula "o = …", and under it the same with the numbers "= … = 3", its "="
    under the formula's. The card is sized for all of it from the start (at least
    ``min_width`` wide, at most ``max_width``: what does not fit is scaled down); only the box and the
    titles are in it until :meth:`write_note`, :meth:`write_general`, :meth:`write_numbers`
    and :meth:`write_result` bring the rest in. Readback: :attr:`general_latex`,
    :attr:`substituted_latex` ("o = … = value"), :attr:`result_latex`, :attr:`note_latex`,
    :attr:`value`, :attr:`shown` (the parts brought in so far).
    """

    def __init__(self, formula: Formula, *, titles=(), note: tuple[str, str] | None = None,
                 lang=None, font_size: float = palette.FORMULA_SIZE,
                 max_width: float | None = None, min_width: float = 0.0,
                 result_color=palette.OUTPUT_TEXT, note_color=palette.HIGHLIGHT, **kwargs):
        super().__init__(**kwargs)
        self.value = formula.value
        self.general_latex = formula.general
        lhs, rhs = (part.strip() for part in formula.general.split("=", 1))
        self.result_latex = value_latex(formula.value)
        plain = formula.substituted.strip() == self.result_latex      # "o = i": just "= 5"
        self.substituted_latex = (f"{lhs} = {self.result_latex}" if plain else
                                  f"{lhs} = {formula.substituted} = {self.result_latex}")
        self.general = math_tex([lhs, "=", rhs], lang=lang, font_size=font_size)
        numbers = ["=", self.result_latex] if plain else ["=", formula.substituted, "=",
                                                          self.result_latex]
        self.numbers = math_tex(numbers, lang=lang, font_size=font_size)
        self.numbers[-1].set_color(result_color)
        self.plain = plain
        self.note_latex = None
        self.note = None
        if note is not None:
            self.note_latex = f"{note[0]} = {note[1]}"
            self.note = math_tex([note[0], "=", note[1]], lang=lang, font_size=font_size * 0.85,
                                 color=note_color)
        self.titles = VGroup(*(Text(t, font=palette.FONT, font_size=palette.BODY_SIZE * 0.9,
                                    color=palette.TEXT_DIM) for t in titles))
        self.titles.arrange(DOWN, buff=0.15)
        # the numbers' "=" under the formula's
        self.numbers.shift(self.general[1].get_center() - self.numbers[0].get_center()
                           + DOWN * (self.general.height / 2 + self.numbers.height / 2 + 0.3))
        body = VGroup(*(m for m in (self.note, self.general, self.numbers) if m is not None))
        if self.note is not None:
            self.note.next_to(VGroup(self.general, self.numbers), UP, buff=0.4)
        if max_width is not None:      # the titles and the formulas each fit on their own
            for part in (body, self.titles):
                if part.width > max_width - 0.6:
                    part.scale((max_width - 0.6) / part.width)
        self.titles.next_to(body, UP, buff=0.35)
        inner = VGroup(self.titles, body)
        self.box = RoundedRectangle(corner_radius=0.15, width=max(inner.width + 0.6, min_width),
                                    height=inner.height + 0.6, stroke_color=palette.MUTED,
                                    stroke_width=2, fill_color=palette.BACKGROUND,
                                    fill_opacity=0.85).move_to(inner)
        self.add(self.box, self.titles)
        self.shown: list[str] = []
        # parts not shown yet: not in the card (so not drawn), but they move with it
        self.pending = VGroup(*(m for m in (self.note, self.general, self.numbers)
                                if m is not None))
        # the formula currently shown, for readers that look at the card's body
        self.body = None

    def shift(self, *vectors):
        super().shift(*vectors)
        pending = getattr(self, "pending", None)
        if pending is not None:
            pending.shift(*vectors)
        return self

    def scale(self, scale_factor: float, **kwargs):
        pending = getattr(self, "pending", None)
        if pending is not None and len(pending):
            if kwargs.get("about_point") is None:
                edge = kwargs.pop("about_edge", None)
                kwargs["about_point"] = (self.get_center() if edge is None
                                         else self.get_critical_point(edge))
            pending.scale(scale_factor, **kwargs)
        return super().scale(scale_factor, **kwargs)

    def _bring(self, name: str, parts, *anims, run_time: float) -> Animation:
        self.shown.append(name)
        for a in anims:
            a.introducer = True
        return _Join(self, parts, *anims, run_time=run_time, group=self)

    def frame(self, run_time: float = 0.8) -> Animation:
        """The box and the titles (the card before its formulas)."""
        anims = [FadeIn(self.box), FadeIn(self.titles)]
        for a in anims:
            a.introducer = False
        return AnimationGroup(*anims, lag_ratio=0.3, run_time=run_time, group=self)

    def write_note(self, with_value: bool = True, run_time: float = 1.0) -> Animation:
        """The note (a condition, the effective kernel); ``with_value=False`` leaves its
        "= value" for :meth:`write_note_value`."""
        parts = list(self.note) if with_value else [self.note[0]]
        return self._bring("note", parts, *(Write(m) for m in parts), run_time=run_time)

    def write_note_value(self, run_time: float = 0.8) -> Animation:
        parts = [self.note[1], self.note[2]]
        return self._bring("note_value", parts, *(Write(m) for m in parts), run_time=run_time)

    def write_general(self, run_time: float = 1.2) -> Animation:
        self.body = self.general
        return self._bring("general", [self.general], Write(self.general), run_time=run_time)

    def write_numbers(self, run_time: float = 1.2) -> Animation:
        """The formula with the numbers, without its result (all of it for "o = i")."""
        parts = list(self.numbers) if self.plain else [self.numbers[0], self.numbers[1]]
        return self._bring("numbers", parts, *(Write(m) for m in parts), run_time=run_time)

    def write_result(self, run_time: float = 0.8) -> Animation:
        """The result (for "o = i", already written: it flashes)."""
        self.body = self.numbers
        if self.plain:
            self.shown.append("result")
            return Indicate(self.numbers[-1], color=palette.OUTPUT_TEXT, run_time=run_time)
        parts = [self.numbers[2], self.numbers[3]]
        return self._bring("result", parts, *(Write(m) for m in parts), run_time=run_time)


def grid_label(words: dict, lang):
    """A grid's label, e.g. "Entrada 5×5": the caller's word for the role if given, else the
    kit's, and the size."""
    def label(role, shape):
        return f"{words.get(role) or word(role, lang)} {size_text(shape)}"
    return label


class CasePanel(VGroup):
    """A case of the output-size formulas, drawn on a square 2D input.

    ``cell_size`` is shared by all cases of a scene so sizes compare at a glance.
    ``row_box`` / ``card_box``: (left, bottom, right, top) where the grids and the card go;
    ``side_card``: the grids at the left of ``row_box`` and the card in the rest of it.
    ``stacked``: a :class:`CaseCard` (``titles``, a note from :func:`case_note`, the formula,
    the numbers under it: each part shown on its word) instead of a one-line formula card.
    ``header``: the case's name, drawn at ``header_y``. ``card_title``: e.g. "Relación 2".
    Parts: :attr:`input`, :attr:`footprint`, :attr:`output`, :attr:`card`, :attr:`header`,
    :attr:`spec`, :attr:`formula`, :attr:`board` (positions, from convmath).
    """

    def __init__(self, i: int, k: int, s: int = 1, p: int = 0, d: int = 1, *,
                 relationship: int, header: str | None = None, card_title: str | None = None,
                 words: dict | None = None, lang=None, cell_size: float = 0.45,
                 formula_size: float = palette.FORMULA_SIZE,
                 row_box=(-6.8, -1.3, 6.8, 3.05), card_box=(-6.8, -3.75, 6.8, -1.45),
                 header_y: float = 3.5, grid_gap: float = 1.4, stacked: bool = False,
                 titles=(), side_card: bool = False, card_gap: float = 0.6,
                 max_grids_share: float = 0.62, **kwargs):
        super().__init__(**kwargs)
        self.params = dict(i=i, k=k, s=s, p=p, d=d)
        self.relationship = relationship
        self.lang = lang
        words = dict(words or {})
        self.spec = cm.spec((i, i), k, s, p, d)
        self.formula = relationship_formula(relationship, i, k, s, p, d)
        # the positions the kernel takes, from a storyboard of zeros (only the geometry counts)
        self.board = cm.storyboard(self.spec, np.zeros(self.spec.input, dtype=np.int64),
                                   np.zeros(self.spec.kernel, dtype=np.int64))

        label = grid_label(words, lang)
        self.input = CellGrid(shape=self.spec.padded_input, cell_kind=self.board.cell_kind,
                              role="input", cell_size=cell_size, show_numbers=False,
                              label=label("input", self.spec.input), lang=lang)
        self._footprint_and_output(label, cell_size, lang)
        self.grids = VGroup(self.input, self.output).arrange(RIGHT, buff=grid_gap)
        l, b, r, t = row_box
        if side_card:
            # the grids at the left of the box, the card in the rest of it
            room = (r - l) * max_grids_share
            if self.grids.width > room or self.grids.height > t - b:
                self.grids.scale(min(room / self.grids.width, (t - b) / self.grids.height))
            self.grids.move_to(np.array([l + self.grids.width / 2, (b + t) / 2, 0.0]))
            card_box = (self.grids.get_right()[0] + card_gap, b, r, t)
        else:
            fit_to_region(self.grids, *row_box)
        note = case_note(relationship, i, k, s, p, d) if stacked else None
        self._place_card_and_header(card_box, card_title, lang, formula_size, header, header_y,
                                    stacked=stacked, titles=titles, note=note)
        self.add(self.grids, self.card)
        self.unread_marks = VGroup()
        self.unread_label = None
        self.input.overlays.add(self.unread_marks)

    def _footprint_and_output(self, label, cell_size: float, lang) -> None:
        """The kernel's footprint at its first position over :attr:`input`, and the empty
        output grid: the same for a convolution's case and a transposed convolution's."""
        self.footprint = KernelFootprint(self.input, self.spec.kernel, self.spec.dilation,
                                         window=self.board.steps[0].window)
        self.input.overlays.add(self.footprint)
        self.output = CellGrid(shape=self.spec.output, role="output", cell_size=cell_size,
                               label=label("output", self.spec.output), lang=lang)

    # --- facts ------------------------------------------------------------------------------
    def _place_card_and_header(self, card_box, card_title, lang, formula_size, header,
                               header_y, stacked: bool = False, titles=(), note=None) -> None:
        """The relationship card fitted into ``card_box``; the header centred at ``header_y``.
        ``stacked``: a :class:`CaseCard` (``titles`` over an optional ``note``, the formula, the
        numbers under it), else a :class:`FormulaCard` titled ``card_title``."""
        cl, cb, cr, ct = card_box
        if stacked:
            self.card = CaseCard(self.formula, titles=titles or (card_title or "",), note=note,
                                 lang=lang, font_size=formula_size, max_width=cr - cl,
                                 min_width=cr - cl)
            if self.card.height > ct - cb:
                self.card.scale((ct - cb) / self.card.height)
        else:
            self.card = relationship_card(self.formula, title=card_title, lang=lang,
                                          font_size=formula_size, max_width=cr - cl - 0.8)
            if self.card.height > ct - cb:
                scale_card(self.card, (ct - cb) / self.card.height)
        self.card.move_to(np.array([(cl + cr) / 2, (cb + ct) / 2, 0.0]))
        self.header = None
        if header:
            self.header = Text(header, font=palette.FONT, font_size=palette.SUBTITLE_SIZE,
                               color=palette.TITLE)
            self.header.move_to(np.array([0.0, header_y, 0.0]))
            self.add(self.header)

    def unread_cells(self) -> list[tuple[int, ...]]:
        """Cells of the padded input that no kernel position reads (from the storyboard)."""
        read = {tap.padded for step in self.board.steps for tap in step.taps}
        return [c for c in np.ndindex(*self.spec.padded_input) if c not in read]

    # --- animations -------------------------------------------------------------------------
    def intro(self, run_time: float = 2.0) -> Animation:
        """The header, the grids (footprint on its first position) and the card's formula."""
        anims = [FadeIn(m) for m in ([self.header] if self.header is not None else [])]
        anims += [fade_in(self.input), fade_in(self.output), self.card.write()]
        for a in anims:
            a.introducer = False
        return AnimationGroup(*anims, lag_ratio=0.25, run_time=run_time, group=self)

    def frame(self, with_formula: bool = False, run_time: float = 1.0) -> Animation:
        """For a stacked card: the header, the grids and the card's box and titles; the
        formulas come later, each on its word (``with_formula``: the general one now)."""
        anims = [FadeIn(m) for m in ([self.header] if self.header is not None else [])]
        anims += [fade_in(self.input), fade_in(self.output), self.card.frame()]
        for a in anims:
            a.introducer = False
        if with_formula:
            anims.append(self.card.write_general())
        return AnimationGroup(*anims, lag_ratio=0.2, run_time=run_time, group=self)

    def padding_cells(self) -> list:
        """The dashed padding cells around the input."""
        kinds = self.input.cell_kind
        return [self.input.cell(idx) for idx in np.ndindex(*kinds.shape)
                if kinds[idx] == "padding"]

    def flash_padding(self, run_time: float = 1.0) -> Animation:
        """The padding cells light up and go back to their dashes."""
        anims = [cell.animate(rate_func=there_and_back).set_stroke(palette.HIGHLIGHT, width=4)
                 for cell in self.padding_cells()]
        return AnimationGroup(*anims, run_time=run_time, group=self)

    def sweep(self, budget: float, min_play: float = 0.5) -> Animation:
        """The footprint visits every position (first output row one by one, then a row at a
        time when there are many) and each output cell it produces lights up."""
        steps = self.board.steps
        groups = sweep_groups(len(steps), budget, self.spec.output[-1], min_play)
        each = budget / len(groups)
        plays = []
        for g in groups:
            last = steps[g[-1]]
            move = self.footprint.animate.move_to_window(last.window)
            fills = [self.output.fill_animation(steps[j].output, None) for j in g]
            plays.append(Succession(
                AnimationGroup(move, run_time=0.5 * each, group=self),
                AnimationGroup(*fills, lag_ratio=0.1 if len(fills) > 1 else 0,
                               run_time=0.5 * each, group=self),
                group=self))
        return Succession(*plays, group=self)

    def substitute(self, run_time: float = 1.5) -> Animation:
        return self.card.substitute(run_time=run_time)

    def mark_unread(self, text: str | None = None, run_time: float = 1.0,
                    label_side=LEFT) -> Animation:
        """Shade the cells no position reads; ``text`` (e.g. "never read") labels them, beside
        the grid level with its last row (``label_side=LEFT``) or under it (``DOWN``)."""
        step = self.input.step
        for c in self.unread_cells():
            sq = Square(step * 0.92, stroke_color=UNREAD, stroke_width=3, fill_color=UNREAD,
                        fill_opacity=0.45)
            sq.move_to(self.input.cell_center(c))
            self.unread_marks.add(sq)
        anims = [FadeIn(self.unread_marks)]
        if text and len(self.unread_marks):
            self.unread_label = Text(text, font=palette.FONT, font_size=palette.CAPTION_SIZE,
                                     color=UNREAD)
            if np.allclose(label_side, DOWN):
                self.unread_label.next_to(self.input.cells, DOWN, buff=0.2)
            else:   # beside the grid, level with its last row (the card is below, the output right)
                self.unread_label.next_to(self.input.cells, LEFT, buff=0.25)
                self.unread_label.align_to(self.input.cells, DOWN)
            self.add(self.unread_label)
            anims.append(FadeIn(self.unread_label, shift=0.1 * UP))
        for a in anims:
            a.introducer = False
        return AnimationGroup(*anims, lag_ratio=0.3, run_time=run_time, group=self)


def scale_card(card: FormulaCard, factor: float) -> FormulaCard:
    """Scale a formula card before it is shown, its not-yet-shown substituted formula too
    (``card.scale`` alone leaves that one at its old size)."""
    card.scale(factor)
    if card.substituted is not None and card.substituted not in card.get_family():
        card.substituted.scale(factor)
    if card.general is not None and card.general not in card.get_family():
        card.general.scale(factor)
    return card

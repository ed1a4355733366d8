"""A formula card: the general formula, then the same formula with numbers and the result.

The two LaTeX strings come from the caller (``convmath.formulas`` produces them),
never typed in a scene. The card is sized for the wider of the two from the
start, so nothing around it has to move when the numbers come in.
"""

from __future__ import annotations

import re

import numpy as np
from manim import (DOWN, UP, Animation, AnimationGroup, FadeIn, RoundedRectangle, Text,
                   TransformMatchingShapes, VGroup, Write, config)

from .. import palette
from ..motion.delegate import Delegating
from .tex import math_tex, value_latex


def split_result(latex: str) -> tuple[str, str] | None:
    """Split ``"... = 4"`` at its last top-level ``=`` into (``"... ="``-less left, ``"4"``).

    Only when the right-hand side is a plain number (digits, sign, a fraction);
    returns None otherwise. Braces and ``\\left``/``\\right`` pairs are respected.
    """
    depth = 0
    lr = 0
    last = None
    i = 0
    while i < len(latex):
        ch = latex[i]
        if latex.startswith(r"\left", i):
            lr += 1
            i += 5
            continue
        if latex.startswith(r"\right", i):
            lr -= 1
            i += 6
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "=" and depth == 0 and lr == 0:
            last = i
        i += 1
    if last is None:
        return None
    left, right = latex[:last].rstrip(), latex[last + 1:].strip()
    if not re.fullmatch(r"-?\s*(\d+|\\t?frac\{\d+\}\{\d+\}|\d+/\d+)", right):
        return None
    return left, right


class FormulaCard(VGroup):
    """A card with an optional title over a formula that can take its numbers.

    ``general`` and ``substituted`` are LaTeX strings (the second usually ends with
    "= result", which is coloured as an output). :meth:`write` shows the card,
    :meth:`substitute` turns the general formula into the substituted one in place.
    Readback: :attr:`general_latex`, :attr:`substituted_latex`, :attr:`result_latex`,
    :attr:`body` (the formula currently in the card).
    """

    def __init__(self, general: str, substituted: str | None = None, *, title: str | None = None,
                 lang=None, font_size: float = palette.FORMULA_SIZE, box: bool = True,
                 max_width: float | None = None, result_color=palette.OUTPUT_TEXT, **kwargs):
        super().__init__(**kwargs)
        self.general_latex = general
        self.substituted_latex = substituted
        self.lang = lang
        self.general = math_tex(general, lang=lang, font_size=font_size)
        self.result_latex = None
        self.substituted = None
        if substituted is not None:
            parts = split_result(substituted)
            if parts is not None:
                self.result_latex = parts[1]
                self.substituted = math_tex([parts[0], "=", parts[1]], lang=lang,
                                            font_size=font_size)
                self.substituted[2].set_color(result_color)
            else:
                self.substituted = math_tex(substituted, lang=lang, font_size=font_size)
        if max_width is None:
            max_width = config.frame_width - 2 * palette.FRAME_MARGIN - 0.6
        widest = max(m.width for m in (self.general, self.substituted) if m is not None)
        if widest > max_width:
            factor = max_width / widest
            self.general.scale(factor)
            if self.substituted is not None:
                self.substituted.scale(factor)
        self.title = None
        if title:
            self.title = Text(title, font=palette.FONT, font_size=palette.BODY_SIZE * 0.9,
                              color=palette.TEXT_DIM)
        inner_w = max(m.width for m in (self.general, self.substituted) if m is not None)
        inner_h = max(m.height for m in (self.general, self.substituted) if m is not None)
        if self.title is not None:
            inner_w = max(inner_w, self.title.width)
        self.general.move_to(np.zeros(3))
        if self.substituted is not None:
            self.substituted.move_to(np.zeros(3))
        self.box = None
        title_h = (self.title.height + 0.35) if self.title is not None else 0.0
        if box:
            self.box = RoundedRectangle(corner_radius=0.15, width=inner_w + 0.7,
                                        height=inner_h + 0.6 + title_h,
                                        stroke_color=palette.MUTED, stroke_width=2,
                                        fill_color=palette.BACKGROUND, fill_opacity=0.85)
            self.box.move_to(np.array([0, title_h / 2, 0]))
            self.add(self.box)
        if self.title is not None:
            top = self.box.get_top()[1] if self.box is not None else inner_h / 2 + title_h
            self.title.move_to(np.array([0, top - 0.2 - self.title.height / 2, 0]))
            self.add(self.title)
        self.body = self.general
        self.add(self.general)

    @classmethod
    def from_formula(cls, formula, **kwargs) -> "FormulaCard":
        """A card from a ``convmath.formulas.Formula`` (built with ``latex=True``).

        Its ``general`` is "o = …", its ``substituted`` the right-hand side with the
        numbers; the card shows "o = <substituted> = <value>".
        """
        general = formula.general
        lhs = general.split("=", 1)[0].strip() if "=" in general else None
        rhs = f"{formula.substituted} = {value_latex(formula.value)}"
        substituted = f"{lhs} = {rhs}" if lhs else rhs
        card = cls(general, substituted, **kwargs)
        card.value = formula.value
        return card

    def write(self, run_time: float = 1.5) -> Animation:
        """Show the card: the box fades in, the formula is written."""
        anims = []
        if self.box is not None:
            anims.append(FadeIn(self.box))
        if self.title is not None:
            anims.append(FadeIn(self.title))
        anims.append(Write(self.body))
        for a in anims:
            a.introducer = False      # the card itself is what enters the scene
        return AnimationGroup(*anims, lag_ratio=0.3, run_time=run_time, group=self)

    def substitute(self, run_time: float = 2.0, result_later: bool = False) -> Animation:
        """The general formula becomes the substituted one, in place (glyphs that match move).

        ``result_later``: the numbers come in but "= result" stays hidden until
        :meth:`show_result` (for a result the narration says after the numbers)."""
        if self.substituted is None:
            raise ValueError("this card has no substituted formula")
        if self.body is self.substituted:
            raise ValueError("the formula is already substituted")
        self.substituted.move_to(self.body)
        if not result_later:
            return _SwapBody(self, self.substituted, run_time=run_time)
        if self.result_latex is None:
            raise ValueError("this card's substituted formula has no result to keep back")
        for part in self.substituted[1:]:
            part.set_opacity(0)
        return _SwapBody(self, self.substituted, run_time=run_time, shapes=self.substituted[0])

    def show_result(self, run_time: float = 0.8) -> Animation:
        """Bring in the "= result" that :meth:`substitute` (``result_later``) kept back."""
        if self.body is not self.substituted or self.result_latex is None:
            raise ValueError("show_result comes after substitute(result_later=True)")
        return AnimationGroup(*(part.animate.set_opacity(1) for part in self.substituted[1:]),
                              run_time=run_time)


class _SwapBody(Delegating):
    """TransformMatchingShapes from the card's body to ``new`` on copies, then a clean swap."""

    def __init__(self, card: FormulaCard, new, run_time: float = 2.0, shapes=None, **kwargs):
        self.card = card
        self.old = card.body
        self.new = new
        # ``shapes``: the part of ``new`` the old glyphs move into (the rest comes in later)
        target = new if shapes is None else shapes
        self.inner = TransformMatchingShapes(self.old.copy(), target.copy(), run_time=run_time)
        super().__init__(self.inner.mobject, run_time=run_time, **kwargs)

    def begin(self) -> None:
        self.card.remove(self.old)
        super().begin()

    def _setup_scene(self, scene) -> None:
        super()._setup_scene(scene)
        self.inner._setup_scene(scene)

    def clean_up_from_scene(self, scene) -> None:
        super().clean_up_from_scene(scene)
        scene.remove(self.inner.to_add, self.inner.mobject)
        self.card.add(self.new)
        self.card.body = self.new

"""Title cards of segments and the corner caption naming the operation shown."""

from __future__ import annotations

import numpy as np
from manim import AnimationGroup, DOWN, FadeIn, LEFT, Line, Text, UR, VGroup, Write, config

import convmath
from .. import palette
from .words import word


class TitleCard(VGroup):
    """"Parte 3" over a title and an optional subtitle, centred, fitted to the frame width.

    ``number`` is the segment's number (from the lecture's segment list), ``title``
    and ``subtitle`` the already translated strings.
    """

    def __init__(self, number: int | None, title: str, subtitle: str | None = None, *,
                 lang=None, **kwargs):
        super().__init__(**kwargs)
        self.number = number
        max_w = config.frame_width - 2 * palette.FRAME_MARGIN - 1.0
        parts = []
        self.kicker = None
        if number is not None:
            self.kicker = Text(f"{word('segment', lang)} {int(number)}", font=palette.TITLE_FONT,
                               font_size=palette.SUBTITLE_SIZE * 0.85, color=palette.ACCENT)
            parts.append(self.kicker)
        self.title = Text(title, font=palette.TITLE_FONT, font_size=palette.TITLE_SIZE,
                          color=palette.TITLE, weight="BOLD")
        if self.title.width > max_w:
            self.title.scale_to_fit_width(max_w)
        parts.append(self.title)
        self.rule = Line(np.array([-1, 0, 0]), np.array([1, 0, 0]), color=palette.INPUT,
                         stroke_width=3)
        self.rule.width = min(max(self.title.width * 0.6, 2.0), max_w)
        parts.append(self.rule)
        self.subtitle = None
        if subtitle:
            self.subtitle = Text(subtitle, font=palette.TITLE_FONT,
                                 font_size=palette.SUBTITLE_SIZE, color=palette.TEXT_DIM)
            if self.subtitle.width > max_w:
                self.subtitle.scale_to_fit_width(max_w)
            parts.append(self.subtitle)
        self.add(*parts)
        self.arrange(DOWN, buff=0.35)
        self.move_to(np.zeros(3))

    def intro(self, run_time: float = 1.6):
        anims = [FadeIn(m, shift=0.2 * DOWN) for m in self.submobjects if m is not self.title]
        anims = [Write(self.title), *anims]
        for a in anims:
            a.introducer = False      # the card itself is what enters the scene
        return AnimationGroup(*anims, lag_ratio=0.25, run_time=run_time, group=self)


class OpCaption(VGroup):
    """Small corner caption: "correlación" or "convolución" (from a storyboard's ``op``).

    Correlation is what deep-learning frameworks call convolution; the caption says
    which one a scene shows. Placed in the upper-right corner by default.
    """

    SYMBOLS = {convmath.CORRELATION: "⋆", convmath.CONVOLUTION: "∗"}

    def __init__(self, op: str, *, lang=None, corner=UR, transposed: bool = False, **kwargs):
        super().__init__(**kwargs)
        if op not in self.SYMBOLS:
            raise ValueError(f"op must be {convmath.CORRELATION!r} or {convmath.CONVOLUTION!r}")
        self.op = op
        name = word(op, lang)
        symbol = self.SYMBOLS[op]
        if transposed:
            name, symbol = word("transposed", lang), ""
        self.text = Text(name, font=palette.FONT, font_size=palette.CAPTION_SIZE,
                         color=palette.TEXT_DIM)
        self.add(self.text)
        if symbol:  # the operator glyph is small in the text font: draw it larger
            scale = {"⋆": 2.8, "∗": 1.6}.get(symbol, 1.6)
            self.symbol = Text(symbol, font=palette.FONT, font_size=palette.CAPTION_SIZE * scale,
                               color=palette.TEXT_DIM)
            self.symbol.next_to(self.text, LEFT, buff=0.15)
            self.add(self.symbol)
        self.to_corner(corner, buff=palette.FRAME_MARGIN + 0.05)


# ---------- A beat's heading: one line of text at the top of the frame, naming what the beat shows.

HEADING_Y = 3.45


def heading(text: str, *, y: float = HEADING_Y, font_size: float = palette.SUBTITLE_SIZE,
            color=palette.TITLE) -> Text:
    """``text`` centred at height ``y`` (the top band of the frame), fitted to its width."""
    mob = Text(text, font=palette.FONT, font_size=font_size, color=color)
    max_w = config.frame_width - 2 * palette.FRAME_MARGIN - 0.4
    if mob.width > max_w:
        mob.scale_to_fit_width(max_w)
    return mob.move_to(np.array([0.0, y, 0.0]))


class Headings:
    """The heading of a narrated scene's picture, changed so that two headings are never on
    screen at once (a cross-fade would show both in the same place)."""

    def __init__(self, scene) -> None:
        self.scene = scene
        self.current: Text | None = None

    def to(self, text: str, *, clear: bool = False, keep=()) -> list:
        """Animations, for one play, that put up the heading ``text``: the old one fades out,
        then the new one fades in. ``clear``: everything else on screen (except ``keep``)
        fades out meanwhile."""
        from manim import FadeIn, FadeOut, Succession

        from ..motion.fade import fade_out_all

        new = heading(text)
        anims = []
        if clear:
            kept = [m for m in (self.current, *keep) if m is not None]
            anims += fade_out_all(self.scene, keep=kept, copy_free=True)
        if self.current is None:
            anims.append(FadeIn(new))
        else:
            anims.append(Succession(FadeOut(self.current, run_time=0.25),
                                    FadeIn(new, run_time=0.35)))
        self.current = new
        return anims

"""A two-beat scene that shows how a segment uses the narration layer.

Each picture change the voice names is anchored to its word (``<bookmark mark='...'/>`` in
the text, ``beat.at(...)`` here), so it appears when the word is said, whatever the voice.

    LECTURE_VOICE=espeak .venv/bin/manim -ql scenes/narration/demo.py NarrationDemo
    LECTURE_LANG=en LECTURE_VOICE=espeak .venv/bin/manim -ql scenes/narration/demo.py NarrationDemo
"""

from __future__ import annotations

from manim import BLUE, DOWN, LEFT, RIGHT, TEAL, UP, Create, FadeIn, Square, Text, Write

from scenes.narration.scene import NarratedScene


class NarrationDemo(NarratedScene):
    segment_id = "demo"

    def construct(self) -> None:
        source = Square(side_length=2.0, color=BLUE).shift(2.5 * LEFT)
        target = Square(side_length=1.2, color=TEAL).shift(2.5 * RIGHT)
        with self.beat("intro") as beat:
            self.play(Create(source))
            beat.at("input", FadeIn(Text(self.s("input"), font_size=28).next_to(source, DOWN)))
        with self.beat("size") as beat:
            label = Text(self.s("size", n=3), font_size=28).next_to(target, UP)
            beat.at("output", Create(target))
            beat.at("size", Write(label))

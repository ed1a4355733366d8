"""A two-beat scene that shows how a segment uses the narration layer.

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
            self.play(Create(source), run_time=beat.duration / 3)
            self.play(FadeIn(Text(self.s("input"), font_size=28).next_to(source, DOWN)))
        with self.beat("size") as beat:
            label = Text(self.s("size", n=3), font_size=28).next_to(target, UP)
            beat.play_steps(Create(target), [Write(label)], weights=(1, 1), leave=0.5)

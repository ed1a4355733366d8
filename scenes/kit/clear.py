"""Clearing the screen between beats: fade out whatever the scene shows."""

from __future__ import annotations

from manim import FadeOut


def fade_out_all(scene, keep=()) -> list[FadeOut]:
    """One FadeOut per top-level mobject on ``scene`` (except those in ``keep``).

    Fading the scene's own top-level mobjects (rather than groups built for the beat)
    removes exactly what is drawn, however the parts were brought in.
    """
    kept = set(id(m) for m in keep)
    return [FadeOut(m) for m in list(scene.mobjects) if id(m) not in kept]

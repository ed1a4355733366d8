"""Clearing the screen between beats: fade out whatever the scene shows."""

from __future__ import annotations

from manim import FadeOut


def fade_out_all(scene, keep=(), copy_free: bool = False) -> list[FadeOut]:
    """One FadeOut per top-level mobject on ``scene`` (except those in ``keep``).

    Fading the scene's own top-level mobjects (rather than groups built for the beat)
    removes exactly what is drawn, however the parts were brought in. ``copy_free``: use
    :func:`scenes.kit.fade.fade_out` (opacities only, no deep copies; same look).
    """
    kept = set(id(m) for m in keep)
    if copy_free:
        from .fade import fade_out
        return [fade_out(m) for m in list(scene.mobjects) if id(m) not in kept]
    return [FadeOut(m) for m in list(scene.mobjects) if id(m) not in kept]

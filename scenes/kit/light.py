"""Lighter text mobjects: faster copies, so animations start quicker.

Every glyph of a ``Text`` or ``MathTex`` is a ``VMobjectFromSVGPath`` that keeps the parsed
SVG path (``path_obj``, a tree of svgelements objects) after its points are made. Manim
deep-copies that tree whenever the mobject is copied — and every FadeIn, FadeOut,
Transform and ``.animate`` copies its mobject — which makes a scene of many labels and
numbers spend most of its time copying SVG paths it never reads again (the Cairo renderer
builds the points once, when the glyph is created). :func:`lighten` drops those trees;
copying a short label becomes several times faster. What is drawn does not change.

Use :func:`lighten` on groups as they are built, or mix :class:`LightenOnAdd` into a scene
so everything added to it (directly or by an animation) is lightened.
"""

from __future__ import annotations

from manim import Mobject


def lighten(*mobjects: Mobject):
    """Drop the SVG path trees kept by the glyphs in the families of ``mobjects``.

    Returns the (single) mobject, or the tuple of them, so it can wrap a constructor.
    """
    for mob in mobjects:
        for part in mob.get_family():
            if getattr(part, "path_obj", None) is not None:
                part.path_obj = None
    return mobjects[0] if len(mobjects) == 1 else mobjects


class LightenOnAdd:
    """Scene mixin: every mobject added to the scene is lightened first."""

    def add(self, *mobjects: Mobject):
        lighten(*mobjects)
        return super().add(*mobjects)

"""LaTeX templates per language and the formatting of exact values.

Spanish needs babel with ``es-noshorthands`` (plain ``spanish`` turns ``<`` and
``>`` into shorthands and breaks Manim's LaTeX); both templates load utf8 input
and T1 fonts so accented words work inside ``\\text{}``.
"""

from __future__ import annotations

import os
from fractions import Fraction
from functools import lru_cache
from numbers import Integral, Real
from typing import Sequence

from manim import MathTex, Mobject, Tex, TexTemplate

from .. import palette

LANGS = ("es", "en")

_COMMON = r"""
\usepackage[utf8]{inputenc}
\usepackage[T1]{fontenc}
\usepackage{lmodern}
\usepackage{amsmath}
\usepackage{amssymb}
"""

_BABEL = {
    "es": r"\usepackage[spanish,es-noshorthands,es-nodecimaldot]{babel}",
    "en": r"\usepackage[english]{babel}",
}


def default_lang() -> str:
    """The lecture language: ``LECTURE_LANG`` from the environment, Spanish if unset."""
    lang = os.environ.get("LECTURE_LANG", "es").lower()
    return lang if lang in LANGS else "es"


def check_lang(lang: str | None) -> str:
    lang = default_lang() if lang is None else lang
    if lang not in LANGS:
        raise ValueError(f"language must be one of {', '.join(LANGS)}, got {lang!r}")
    return lang


@lru_cache(maxsize=None)
def tex_template(lang: str | None = None) -> TexTemplate:
    """The TexTemplate of a language (one shared object per language)."""
    lang = check_lang(lang)
    return TexTemplate(preamble=_COMMON + _BABEL[lang] + "\n")


def math_tex(latex: str | Sequence[str], lang: str | None = None, *,
             font_size: float | None = None, color=None, **kwargs) -> MathTex:
    """``MathTex`` with the language's template and the kit's formula size and text colour.

    ``latex``: one string, or a list of strings that become separately addressable
    parts (``m[0]``, ``m[1]``, …) of one formula.
    """
    parts = [latex] if isinstance(latex, str) else list(latex)
    return MathTex(*parts, tex_template=tex_template(lang),
                   font_size=palette.FORMULA_SIZE if font_size is None else font_size,
                   color=palette.TEXT if color is None else color, **kwargs)


def text_tex(text: str | Sequence[str], lang: str | None = None, *,
             font_size: float | None = None, color=None, **kwargs) -> Tex:
    """``Tex`` (text mode) with the language's template; ``text`` a string or a list of parts."""
    parts = [text] if isinstance(text, str) else list(text)
    return Tex(*parts, tex_template=tex_template(lang),
               font_size=palette.BODY_SIZE if font_size is None else font_size,
               color=palette.TEXT if color is None else color, **kwargs)


# --- exact values as text ----------------------------------------------------------------------

MINUS = "\u2212"


def _as_fraction(v):
    if isinstance(v, Fraction):
        return v
    return None


def value_text(v) -> str:
    """Plain text of an exact value: ``3``, ``−2`` (true minus sign), ``1/2``; '' for None."""
    if v is None:
        return ""
    if hasattr(v, "item") and not isinstance(v, (Fraction, int, float)):
        v = v.item()
    if isinstance(v, bool):
        v = int(v)
    if isinstance(v, Fraction):
        if v.denominator == 1:
            return value_text(v.numerator)
        sign = MINUS if v < 0 else ""
        return f"{sign}{abs(v.numerator)}/{v.denominator}"
    if isinstance(v, Integral):
        return f"{MINUS}{-int(v)}" if v < 0 else str(int(v))
    if isinstance(v, Real):
        f = float(v)
        if f.is_integer():
            return value_text(int(f))
        s = f"{abs(f):.3g}"
        return f"{MINUS}{s}" if f < 0 else s
    return str(v)


def value_latex(v, frac: str = r"\tfrac") -> str:
    """LaTeX of an exact value: ``3``, ``-2``, ``\\tfrac{1}{2}``; '' for None."""
    if v is None:
        return ""
    if hasattr(v, "item") and not isinstance(v, (Fraction, int, float)):
        v = v.item()
    if isinstance(v, Fraction):
        if v.denominator == 1:
            return value_latex(v.numerator)
        sign = "-" if v < 0 else ""
        return f"{sign}{frac}{{{abs(v.numerator)}}}{{{v.denominator}}}"
    return value_text(v).replace(MINUS, "-")


def parse_value_text(s: str):
    """Inverse of :func:`value_text` for ints and fractions (used by tests and checks)."""
    if s == "":
        return None
    s = s.replace(MINUS, "-")
    if "/" in s:
        return Fraction(s)
    try:
        return int(s)
    except ValueError:
        return float(s)


# ---------- Lighter text mobjects: faster copies, so animations start quicker.
#
# Every glyph of a ``Text`` or ``MathTex`` is a ``VMobjectFromSVGPath`` that keeps the parsed
# SVG path (``path_obj``, a tree of svgelements objects) after its points are made. Manim
# deep-copies that tree whenever the mobject is copied — and every FadeIn, FadeOut,
# Transform and ``.animate`` copies its mobject — which makes a scene of many labels and
# numbers spend most of its time copying SVG paths it never reads again (the Cairo renderer
# builds the points once, when the glyph is created). :func:`lighten` drops those trees;
# copying a short label becomes several times faster. What is drawn does not change.
#
# Use :func:`lighten` on groups as they are built, or mix :class:`LightenOnAdd` into a scene
# so everything added to it (directly or by an animation) is lightened.

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

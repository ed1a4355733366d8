"""Layout checks any scene state can be tested with, and helpers to fit things in the frame.

``overlapping_text(mobjects)`` lists pairs of text mobjects (Text, MarkupText,
MathTex, Tex, …) whose bounding boxes overlap; a text is taken as a whole (its
glyphs or parts are not compared with each other), shapes behind a text (its
background, its cell) are never text, and invisible text is ignored.
``outside_frame(mobjects, margin)`` lists mobjects not fully inside the frame.
"""

from __future__ import annotations

from itertools import combinations
from typing import Iterable, Sequence

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, MarkupText, Mobject, Paragraph, SingleStringMathTex,
                   Text, config)

from . import palette

TEXT_TYPES = (Text, MarkupText, Paragraph, SingleStringMathTex)   # MathTex and Tex derive from it


def _flatten(mobjects) -> list[Mobject]:
    if isinstance(mobjects, Mobject):
        return [mobjects]
    out = []
    for m in mobjects:
        out.extend(_flatten(m) if not isinstance(m, Mobject) else [m])
    return out


def is_visible(mob: Mobject) -> bool:
    """False when every point-bearing part of ``mob`` is fully transparent or it has no size."""
    for m in mob.get_family():
        if not m.has_points():
            continue
        fill = np.asarray(getattr(m, "fill_rgbas", np.zeros((1, 4))))
        stroke = np.asarray(getattr(m, "stroke_rgbas", np.zeros((1, 4))))
        sw = getattr(m, "stroke_width", 0) or 0
        if (fill.size and fill[:, 3].max() > 0.01) or (stroke.size and sw > 0
                                                      and stroke[:, 3].max() > 0.01):
            return True
    return False


def text_mobjects(mobjects, visible_only: bool = True) -> list[Mobject]:
    """The outermost text mobjects in the families of ``mobjects`` (each counted once)."""
    found: list[Mobject] = []
    seen: set[int] = set()

    def walk(m: Mobject):
        if id(m) in seen:
            return
        seen.add(id(m))
        if isinstance(m, TEXT_TYPES):
            if m.has_points() or any(s.has_points() for s in m.get_family()):
                if not visible_only or is_visible(m):
                    found.append(m)
            return                       # its glyphs and parts belong to it
        for s in m.submobjects:
            walk(s)

    for m in _flatten(mobjects):
        walk(m)
    return found


def bbox(mob: Mobject) -> np.ndarray:
    """(xmin, ymin, xmax, ymax) of a mobject's points (its whole family)."""
    pts = mob.get_all_points()
    if len(pts) == 0:
        c = mob.get_center()
        return np.array([c[0], c[1], c[0], c[1]])
    return np.array([pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].max()])


def boxes_overlap(a: np.ndarray, b: np.ndarray, tol: float = 0.01) -> bool:
    """True when two boxes overlap by more than ``tol`` along both axes."""
    return (min(a[2], b[2]) - max(a[0], b[0]) > tol) and (min(a[3], b[3]) - max(a[1], b[1]) > tol)


def overlapping_text(mobjects, tol: float = 0.01, visible_only: bool = True
                     ) -> list[tuple[Mobject, Mobject]]:
    """Pairs of text mobjects whose bounding boxes overlap (by more than ``tol`` units)."""
    texts = text_mobjects(mobjects, visible_only)
    if len(texts) < 2:
        return []
    boxes = np.array([bbox(t) for t in texts])
    # vectorised sweep: pairs overlapping on both axes
    x_ov = np.minimum.outer(boxes[:, 2], boxes[:, 2]) - np.maximum.outer(boxes[:, 0], boxes[:, 0])
    y_ov = np.minimum.outer(boxes[:, 3], boxes[:, 3]) - np.maximum.outer(boxes[:, 1], boxes[:, 1])
    hit = (x_ov > tol) & (y_ov > tol)
    ii, jj = np.nonzero(np.triu(hit, k=1))
    return [(texts[i], texts[j]) for i, j in zip(ii, jj)]


def frame_box(margin: float = 0.0) -> np.ndarray:
    w, h = config.frame_width / 2, config.frame_height / 2
    return np.array([-w + margin, -h + margin, w - margin, h - margin])


def outside_frame(mobjects, margin: float = 0.0, tol: float = 1e-3) -> list[Mobject]:
    """The given mobjects (not their parts) whose bounding box leaves the frame less ``margin``."""
    fb = frame_box(margin)
    out = []
    for m in _flatten(mobjects):
        if not m.get_all_points().size:
            continue
        b = bbox(m)
        if b[0] < fb[0] - tol or b[1] < fb[1] - tol or b[2] > fb[2] + tol or b[3] > fb[3] + tol:
            out.append(m)
    return out


def layout_problems(mobjects, margin: float = 0.0) -> list[str]:
    """Readable list of overlapping texts and mobjects outside the frame (empty when clean)."""
    msgs = []
    for a, b in overlapping_text(mobjects):
        msgs.append(f"text overlap: {describe(a)} / {describe(b)}")
    for m in outside_frame(mobjects, margin):
        msgs.append(f"outside frame: {describe(m)} box {np.round(bbox(m), 2).tolist()}")
    return msgs


def describe(m: Mobject) -> str:
    text = getattr(m, "original_text", None) or getattr(m, "tex_string", None) or ""
    return f"{type(m).__name__}({text[:40]!r})" if text else type(m).__name__


# --- fitting ----------------------------------------------------------------------------------

def fit_to_region(mob: Mobject, left: float, bottom: float, right: float, top: float,
                  buff: float = 0.0, upscale: bool = False) -> Mobject:
    """Scale ``mob`` down (or up if ``upscale``) to fit the box and centre it there."""
    w = right - left - 2 * buff
    h = top - bottom - 2 * buff
    if w <= 0 or h <= 0:
        raise ValueError("region is empty after the buffer")
    factor = min(w / mob.width if mob.width else np.inf, h / mob.height if mob.height else np.inf)
    if factor < 1 or (upscale and np.isfinite(factor)):
        mob.scale(factor)
    mob.move_to(np.array([(left + right) / 2, (bottom + top) / 2, 0.0]))
    return mob


def fit_in_frame(mob: Mobject, margin: float = palette.FRAME_MARGIN) -> Mobject:
    """Scale down if needed and shift the least amount so ``mob`` lies inside the frame."""
    fb = frame_box(margin)
    factor = min((fb[2] - fb[0]) / mob.width if mob.width else np.inf,
                 (fb[3] - fb[1]) / mob.height if mob.height else np.inf)
    if factor < 1:
        mob.scale(factor)
    b = bbox(mob)
    dx = max(fb[0] - b[0], 0) - max(b[2] - fb[2], 0)
    dy = max(fb[1] - b[1], 0) - max(b[3] - fb[3], 0)
    mob.shift(np.array([dx, dy, 0.0]))
    return mob


def region(name: str, margin: float = palette.FRAME_MARGIN, split: float = 0.5
           ) -> tuple[float, float, float, float]:
    """A named part of the frame as (left, bottom, right, top): "full", "left", "right",
    "top", "bottom" (halves at ``split``), used with :func:`fit_to_region`."""
    l, b, r, t = frame_box(margin)
    xm = l + (r - l) * split
    ym = b + (t - b) * (1 - split)
    return {
        "full": (l, b, r, t),
        "left": (l, b, xm, t),
        "right": (xm, b, r, t),
        "top": (l, ym, r, t),
        "bottom": (l, b, r, ym),
    }[name]


def arrange_in_row(mobjects: Sequence[Mobject], buff: float = 1.0,
                   margin: float = palette.FRAME_MARGIN) -> None:
    """Place mobjects left to right, centred, scaled together so the row fits the frame width."""
    from manim import Group

    g = Group(*mobjects)
    g.arrange(RIGHT, buff=buff, aligned_edge=DOWN)
    fit_in_frame(g, margin)

"""Watching a narrated scene as a viewer would: what the checks of a render look for.

A :class:`ViewingProbe` rides along a :class:`~scenes.narration.scene.NarratedScene` (turned
on by ``$LECTURE_VIEWING`` or ``NarratedScene(viewing=True)``) and notes, from the frames and
the mobjects on screen:

- **empty screen under the voice**: runs of frames with almost nothing drawn (fewer than
  0.3 % of the pixels more than 40 levels off the background) while a subtitle cue shows;
  a run of 0.5 s or more is a problem (:data:`BLANK_RUN`);
- **overlapping text** in the middle of every play (transitions included) and at every beat's
  end, not only at beat ends (a text counts from 30 % opacity: two captions cross-faded in the
  same place collide, a caption that is almost gone when the next appears does not);
- **text in the subtitle band** (the bottom 15 % of the frame, where players draw subtitles)
  while a cue shows;
- **glyphs too small**: every text's digits and capitals at least 24 px high at 1080p
  (sub- and superscripts of a formula count at TeX's 70 %);
- **low contrast**: text colour against what is drawn behind it (cells, panels, the
  background) at least 4.5:1 (WCAG AA).

Glyph size and contrast are judged at the end of each beat (mid-fade text is neither small
nor faint); the rest at every play's midpoint and every beat's end. :meth:`problems` lists
what was found, one readable line each; the tests of every segment assert it is empty.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from manim import MathTex, SingleStringMathTex, Text, config

VIEWING_ENV = "LECTURE_VIEWING"
BLANK_RUN = 0.5              # seconds of empty screen under a cue that count as a problem
BLANK_PIXEL_LEVELS = 40      # a pixel this far from the background is drawn
BLANK_FRACTION = 0.003       # below this fraction of drawn pixels a frame is empty
SUBTITLE_BAND = 0.15         # bottom fraction of the frame kept free of text under a cue
MIN_GLYPH_PX = 24.0          # digits and capitals, at 1080p
REFERENCE_HEIGHT_PX = 1080
MIN_CONTRAST = 4.5
SCRIPT_SCALE = 0.7           # TeX's size for sub- and superscripts
READABLE_OPACITY = 0.3       # a text fading in or out is read (and can collide) from here on


def viewing_requested() -> bool:
    return os.environ.get(VIEWING_ENV, "").strip() not in ("", "0")


# --------------------------------------------------------------------------- measuring text

def _units_to_px(units: float) -> float:
    return units * REFERENCE_HEIGHT_PX / config.frame_height


@lru_cache(maxsize=None)
def _digit_units_per_point(kind: str, font: str) -> float:
    """Height of a digit per point of font size, in frame units, for Pango text in ``font``
    or for LaTeX (``kind == "tex"``)."""
    if kind == "tex":
        return MathTex("0", font_size=48).height / 48
    return Text("0", font=font, font_size=48).height / 48


def glyph_px(mob) -> float:
    """Height at 1080p of the smallest digits or capitals ``mob`` draws."""
    if isinstance(mob, SingleStringMathTex):
        size = float(mob.font_size) * _digit_units_per_point("tex", "")
        tex = getattr(mob, "tex_string", "") or ""
        if "_" in tex or "^" in tex:
            size *= SCRIPT_SCALE
        return _units_to_px(size)
    font = getattr(mob, "font", "") or ""
    return _units_to_px(float(mob.font_size) * _digit_units_per_point("text", font))


def _luminance(rgb: np.ndarray) -> float:
    c = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2])


def contrast_ratio(a: np.ndarray, b: np.ndarray) -> float:
    """WCAG contrast ratio of two RGB colours (components 0..1)."""
    la, lb = _luminance(np.asarray(a, float)), _luminance(np.asarray(b, float))
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def _fill(m) -> tuple[np.ndarray, float] | None:
    rgbas = getattr(m, "fill_rgbas", None)
    if not isinstance(rgbas, np.ndarray) or rgbas.size == 0:
        return None
    rgba = rgbas[0]
    return np.asarray(rgba[:3], float), float(rgba[3])


def _text_color(text) -> tuple[np.ndarray, float] | None:
    for m in text.family_members_with_points():
        f = _fill(m)
        if f is not None and f[1] > 0.01:
            return f
    return None


def _opacity(text) -> float:
    """The highest opacity of a text's glyphs (a fading text is as readable as its most
    opaque part)."""
    best = 0.0
    for m in text.family_members_with_points():
        f = _fill(m)
        if f is not None:
            best = max(best, f[1])
    return best


def _fills_at(mobjects, point, skip: set[int]):
    """The filled shapes among ``mobjects`` (in drawing order) whose box holds ``point``, with
    their fill colour and opacity; ids in ``skip`` (the texts) are passed over."""
    from scenes.kit.layout import bbox

    for m in mobjects:
        if id(m) in skip or not m.has_points():
            continue
        f = _fill(m)
        if f is None or f[1] <= 0.01:
            continue
        b = bbox(m)
        if b[0] <= point[0] <= b[2] and b[1] <= point[1] <= b[3]:
            yield m, f


def _background_rgb() -> np.ndarray:
    from manim import ManimColor

    return np.asarray(ManimColor(config.background_color).to_rgb(), float)


# --------------------------------------------------------------------------- the probe

@dataclass
class ViewingProbe:
    scene: Any
    frames: list[tuple[float, float, bool]] = field(default_factory=list)  # start, end, blank
    findings: dict[str, str] = field(default_factory=dict)               # key -> message
    _midpoint: float | None = None
    _play_label: str = ""

    # -- hooks called by the scene ----------------------------------------------------------
    def on_frame(self, pixels: np.ndarray, t: float, seconds: float) -> None:
        self.frames.append((t, t + seconds, _is_blank(pixels)))
        if self._midpoint is not None and t + seconds >= self._midpoint:
            self._midpoint = None
            self.check_now(f"mid-play at {t:.1f} s ({self._play_label})", full=False)

    def on_play(self, start: float, run_time: float, label: str) -> None:
        self._midpoint = start + run_time / 2
        self._play_label = label

    def on_beat_end(self, beat_id: str) -> None:
        self.check_now(f"end of beat {beat_id!r}", full=True)

    # -- checks ----------------------------------------------------------------------------
    def check_now(self, when: str, full: bool) -> None:
        from scenes.kit.layout import bbox, overlapping_text, text_mobjects

        mobjects = self.scene.mobjects
        texts = text_mobjects(mobjects)
        readable = [t for t in texts if _opacity(t) >= READABLE_OPACITY]
        for a, b in overlapping_text(readable):
            self._note(("overlap", _name(a), _name(b)), f"{when}: text overlap {_name(a)} / {_name(b)}")
        if self._cue_showing():
            band_top = -config.frame_height / 2 + SUBTITLE_BAND * config.frame_height
            for t in texts:
                if bbox(t)[1] < band_top - 1e-3:
                    self._note(("band", _name(t)), f"{when}: {_name(t)} in the subtitle band "
                                                   f"(bottom at y={bbox(t)[1]:.2f}, band top {band_top:.2f})")
        if not full:
            return
        for t in texts:
            px = glyph_px(t)
            if px < MIN_GLYPH_PX - 0.05:
                self._note(("small", _name(t)), f"{when}: {_name(t)} glyphs {px:.1f} px high at 1080p "
                                                f"(at least {MIN_GLYPH_PX:.0f})")
        for t, ratio, behind in self._contrasts(mobjects, texts):
            if ratio < MIN_CONTRAST:
                self._note(("contrast", _name(t)),
                           f"{when}: {_name(t)} contrast {ratio:.2f}:1 against {behind} "
                           f"(at least {MIN_CONTRAST}:1)")

    def _cue_showing(self) -> bool:
        now = float(self.scene.time)
        return any(c.start - 1e-6 <= now < c.end for c in self.scene.subtitle_cues)

    def _contrasts(self, mobjects, texts):
        """Each text's contrast against what is drawn behind its centre (and through any
        filled shape drawn over it)."""

        order: list = []            # drawing order: what comes earlier is drawn behind
        text_ids = {id(m) for t in texts for m in t.get_family()}
        seen: set[int] = set()
        for top in mobjects:
            for m in top.get_family():
                if id(m) not in seen:
                    seen.add(id(m))
                    order.append(m)
        order.sort(key=lambda m: getattr(m, "z_index", 0))     # as the camera draws them
        index = {id(m): i for i, m in enumerate(order)}
        bg = _background_rgb()
        results = []
        for t in texts:
            color = _text_color(t)
            if color is None:
                continue
            rgb, alpha = color
            c = t.get_center()
            position = index.get(id(t), len(order))
            behind = bg.copy()
            what = "the background"
            for m, (fill_rgb, a) in _fills_at(order[:position], c, text_ids):
                behind = behind * (1 - a) + fill_rgb * a
                what = type(m).__name__
            seen_rgb = behind * (1 - alpha) + rgb * alpha
            # a filled shape drawn after the text veils it and what is behind it alike
            last = max((index.get(id(m), position) for m in t.get_family()), default=position)
            for m, (fill_rgb, a) in _fills_at(order[last + 1:], c, text_ids):
                seen_rgb = seen_rgb * (1 - a) + fill_rgb * a
                behind = behind * (1 - a) + fill_rgb * a
                what = f"{type(m).__name__} drawn over it"
            results.append((t, contrast_ratio(seen_rgb, behind), what))
        return results

    def _note(self, key, message: str) -> None:
        self.findings.setdefault("|".join(map(str, key)), message)

    # -- results ---------------------------------------------------------------------------
    def blank_runs(self, min_run: float = BLANK_RUN) -> list[tuple[float, float, float]]:
        """``(start, end, seconds under a cue)`` of each empty-screen run under the voice."""
        runs: list[tuple[float, float]] = []
        start = None
        end = 0.0
        for a, b, blank in self.frames:
            if blank and start is None:
                start = a
            if not blank and start is not None:
                runs.append((start, a))
                start = None
            end = b
        if start is not None:
            runs.append((start, end))
        cues = self.scene.subtitle_cues
        out = []
        for a, b in runs:
            under = sum(max(0.0, min(b, c.end) - max(a, c.start)) for c in cues)
            if under >= min_run - 1e-6:
                out.append((a, b, under))
        return out

    def problems(self) -> list[str]:
        out = [f"empty screen {a:.1f}-{b:.1f} s, {u:.1f} s under a cue" for a, b, u in self.blank_runs()]
        return out + list(self.findings.values())


def _is_blank(pixels: np.ndarray) -> bool:
    rgb = pixels[::2, ::2, :3].astype(np.int16)
    bg = (_background_rgb() * 255).round().astype(np.int16)
    drawn = np.abs(rgb - bg).max(axis=2) > BLANK_PIXEL_LEVELS
    return float(drawn.mean()) < BLANK_FRACTION


def _name(m) -> str:
    from scenes.kit.layout import describe

    return describe(m)


__all__ = ["MIN_CONTRAST", "MIN_GLYPH_PX", "ViewingProbe", "contrast_ratio", "glyph_px",
           "viewing_requested"]

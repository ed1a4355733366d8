"""The kernel-tap colours stay apart for every viewer, colour-blind ones too, and read on the
background.

Colour-vision deficiencies are simulated with Machado, Oliveira & Fernandes (2009) at full
severity (linear RGB matrices); colour difference is CIEDE2000 on CIELAB (D65).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

pytest.importorskip("manim")

from scenes.kit import palette  # noqa: E402
from scenes.narration.viewing import MIN_CONTRAST, contrast_ratio  # noqa: E402

MIN_DIFFERENCE = 10.0          # CIEDE2000 between any two tap colours, for every vision

VISION = {
    "normal": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}

# the palette before this check existed: red/salmon and olive/green were confused
OLD_TAP_COLORS = ["#f2a93b", "#e4572e", "#a0c334", "#d65db1", "#4fc3f7", "#ffd75e", "#9b7fe6",
                  "#ff8a65", "#66bb6a"]


def _linear(c):
    c = np.asarray(c, float)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb):
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ np.clip(linear_rgb, 0, 1)
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1, lab2) -> float:
    (L1, a1, b1), (L2, a2, b2) = lab1, lab2
    cbar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(cbar ** 7 / (cbar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1, c2 = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1, h2 = np.degrees(np.arctan2(b1, a1p)) % 360, np.degrees(np.arctan2(b2, a2p)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_hue = 2 * np.sqrt(c1 * c2) * np.sin(np.radians(dh / 2))
    lbar, cbarp = (L1 + L2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        hbar = h1 + h2
    elif abs(h1 - h2) <= 180:
        hbar = (h1 + h2) / 2
    else:
        hbar = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (1 - 0.17 * np.cos(np.radians(hbar - 30)) + 0.24 * np.cos(np.radians(2 * hbar))
         + 0.32 * np.cos(np.radians(3 * hbar + 6)) - 0.20 * np.cos(np.radians(4 * hbar - 63)))
    rc = 2 * np.sqrt(cbarp ** 7 / (cbarp ** 7 + 25 ** 7))
    rt = -np.sin(np.radians(60 * np.exp(-((hbar - 275) / 25) ** 2))) * rc
    sl = 1 + 0.015 * (lbar - 50) ** 2 / np.sqrt(20 + (lbar - 50) ** 2)
    sc, sh = 1 + 0.045 * cbarp, 1 + 0.015 * cbarp * t
    dl, dc, dhh = (L2 - L1) / sl, (c2 - c1) / sc, d_hue / sh
    return float(np.sqrt(dl ** 2 + dc ** 2 + dhh ** 2 + rt * dc * dhh))


def confusable(colors, minimum: float = MIN_DIFFERENCE) -> list[str]:
    """Pairs of colours closer than ``minimum`` for some vision, one line each."""
    rgbs = [np.array(palette.ManimColor(c).to_rgb()) for c in colors]
    out = []
    for (i, a), (j, b) in itertools.combinations(enumerate(rgbs), 2):
        for vision, m in VISION.items():
            d = ciede2000(_lab(m @ _linear(a)), _lab(m @ _linear(b)))
            if d < minimum:
                out.append(f"taps {i} and {j}: difference {d:.1f} ({vision})")
    return out


def test_the_nine_tap_colours_stay_apart_for_every_vision():
    assert len(palette.TAP_COLORS) >= 9
    assert confusable(palette.TAP_COLORS[:9]) == []


def test_the_check_catches_the_old_palette():
    found = confusable(OLD_TAP_COLORS)
    assert any("deuteranopia" in line for line in found), found


def test_tap_colours_read_on_the_background():
    bg = np.array(palette.BACKGROUND.to_rgb())
    for n, color in enumerate(palette.TAP_COLORS):
        assert contrast_ratio(np.array(color.to_rgb()), bg) >= MIN_CONTRAST, n


def test_tap_colour_cycles_past_the_palette():
    n = len(palette.TAP_COLORS)
    assert palette.tap_color(n) == palette.TAP_COLORS[0]
    assert palette.tap_color(4) == palette.TAP_COLORS[4]

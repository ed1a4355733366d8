"""Loudness of the narration: measure it, and bring it to −16 LUFS with peaks under −1 dBTP.

- Integrated loudness: ITU-R BS.1770-4 (K-weighting, 400 ms blocks, −70 LUFS and −10 LU
  gates), by pyloudnorm.
- True peak: the largest sample of the signal oversampled 4× (``scipy.signal.resample_poly``,
  in blocks so a long lecture does not need four copies of itself in memory), in dBTP.
- :func:`normalise`: a gain to the target loudness, then, when peaks would pass the ceiling, a
  look-ahead limiter (the gain at each sample is the smallest any sample within a few
  milliseconds needs, smoothed, so it never lets a peak through and never clicks); repeated
  until the loudness is within 0.1 LU of the target, because limiting lowers it a little.

Arrays are ``(channels, samples)`` float32/float64 with full scale 1.0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyloudnorm
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import resample_poly

TARGET_LUFS = -16.0
TARGET_TOLERANCE_LU = 1.0       # what the lecture must meet
CEILING_DBTP = -1.0
OVERSAMPLE = 4
LOOKAHEAD_S = 0.005             # limiter look-ahead on each side of a peak
HOLD_S = 0.040                  # how long the limiter holds its gain after a peak
_BLOCK = 1 << 18                # samples per block when oversampling
_PAD = 128                      # context on each side of a block (resample_poly's filter is shorter)


def _as_2d(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    return x[np.newaxis, :] if x.ndim == 1 else x


def db(value: float) -> float:
    return 20 * math.log10(value) if value > 0 else -math.inf


def integrated_loudness(x: np.ndarray, rate: int) -> float:
    """Integrated loudness in LUFS (``-inf`` for silence or audio shorter than one 400 ms block)."""
    x = _as_2d(x)
    if x.shape[1] < int(0.4 * rate) or not np.any(x):
        return -math.inf
    meter = pyloudnorm.Meter(rate)
    with np.errstate(divide="ignore"):
        value = float(meter.integrated_loudness(np.ascontiguousarray(x.T, dtype=np.float64)))
    return value if math.isfinite(value) else -math.inf


def peak_envelope(x: np.ndarray, factor: int = OVERSAMPLE) -> np.ndarray:
    """Per sample, the largest magnitude of the ``factor``× oversampled signal from that sample
    to the next, over all channels: shape ``(samples,)``."""
    x = _as_2d(x)
    # A channel equal to an earlier one (a mono narration on two channels) adds nothing.
    keep = [c for c in range(x.shape[0]) if not any(np.array_equal(x[c], x[d]) for d in range(c))]
    x = x[keep]
    n = x.shape[1]
    env = np.zeros(n, dtype=np.float64)
    for start in range(0, n, _BLOCK):
        stop = min(start + _BLOCK, n)
        lo, hi = max(0, start - _PAD), min(n, stop + _PAD)
        block = resample_poly(np.asarray(x[:, lo:hi], dtype=np.float32), factor, 1, axis=1)
        inner = np.abs(block[:, (start - lo) * factor:(stop - lo) * factor])
        inner = inner.max(axis=0).reshape(stop - start, factor).max(axis=1)
        env[start:stop] = np.maximum(inner, np.abs(x[:, start:stop]).max(axis=0))
    return env


def true_peak(x: np.ndarray, factor: int = OVERSAMPLE) -> float:
    """True peak in dBTP (the peak of the signal oversampled ``factor`` times)."""
    x = _as_2d(x)
    if x.size == 0:
        return -math.inf
    return db(float(peak_envelope(x, factor).max()))


def limiter_gain(envelope: np.ndarray, rate: int, ceiling_dbtp: float, *,
                 lookahead: float = LOOKAHEAD_S, hold: float = HOLD_S) -> np.ndarray:
    """Per sample, the gain that keeps a signal with this peak ``envelope`` under the ceiling.

    The gain at a sample is the smallest any sample within ``lookahead`` ahead of it or
    ``lookahead + hold`` behind it needs, then smoothed: it starts to fall a few milliseconds
    before a peak, holds a little after it, and never lets the peak through."""
    ceiling = 10 ** (ceiling_dbtp / 20)
    need = np.minimum(1.0, ceiling / np.maximum(envelope, 1e-12))
    if need.min() >= 1.0:
        return np.ones_like(need)
    la = max(1, int(lookahead * rate))
    hd = max(0, int(hold * rate))
    size = 2 * la + hd + 1
    gain = minimum_filter1d(need, size=size, origin=hd // 2, mode="nearest")
    # Smoothing over a window of at most la + 1 samples only averages gains that are each at or
    # under the need at the window's centre, so the peak constraint still holds.
    smooth = la if la % 2 == 1 else la + 1
    gain = uniform_filter1d(gain, size=smooth, mode="nearest")
    return np.minimum(gain, 1.0)


def limit(x: np.ndarray, rate: int, ceiling_dbtp: float, **kwargs: float) -> np.ndarray:
    """``x`` with its (oversampled) peaks brought under ``ceiling_dbtp`` by a smooth gain."""
    x = _as_2d(x)
    gain = limiter_gain(peak_envelope(x), rate, ceiling_dbtp, **kwargs)
    return (x * gain[np.newaxis, :]).astype(x.dtype, copy=False)


@dataclass(frozen=True)
class LoudnessReport:
    before_lufs: float
    after_lufs: float
    gain_db: float
    true_peak_dbtp: float
    limited: bool

    @property
    def silent(self) -> bool:
        return not math.isfinite(self.before_lufs)

    def line(self) -> str:
        if self.silent:
            return "silent audio (estimate voice?): loudness left as it is"
        return (f"{self.after_lufs:.1f} LUFS (was {self.before_lufs:.1f}, gain {self.gain_db:+.1f} dB), "
                f"true peak {self.true_peak_dbtp:.1f} dBTP" + (", limited" if self.limited else ""))


def normalise(x: np.ndarray, rate: int, *, target: float = TARGET_LUFS,
              ceiling: float = CEILING_DBTP, iterations: int = 5) -> tuple[np.ndarray, LoudnessReport]:
    """``x`` at ``target`` LUFS with true peaks at or under ``ceiling`` dBTP.

    Silence (or audio too short to measure) is returned unchanged.
    """
    x = _as_2d(np.asarray(x, dtype=np.float32))
    channels = x.shape[0]
    if channels > 1 and all(np.array_equal(x[0], x[c]) for c in range(1, channels)):
        # The same signal on every channel (a mono narration): work on one, which is as loud
        # as all of them less 10·log10(channels) dB, and copy it back.
        offset = 10 * math.log10(channels)
        y, r = normalise(x[:1], rate, target=target - offset, ceiling=ceiling, iterations=iterations)
        return (np.repeat(y, channels, axis=0),
                LoudnessReport(r.before_lufs + offset, r.after_lufs + offset, r.gain_db,
                               r.true_peak_dbtp, r.limited))
    before = integrated_loudness(x, rate)
    if not math.isfinite(before):
        return x.copy(), LoudnessReport(before, before, 0.0, true_peak(x), False)
    # The peak envelope scales with the gain: measure it once.
    envelope = peak_envelope(x)
    gain_db = target - before
    y, limited, after = x, False, before
    for _ in range(iterations):
        g = 10 ** (gain_db / 20)
        limited = g * float(envelope.max()) > 10 ** (ceiling / 20)
        y = x * np.float32(g)
        if limited:
            y *= limiter_gain(g * envelope, rate, ceiling).astype(np.float32)[np.newaxis, :]
        after = integrated_loudness(y, rate)
        if abs(after - target) <= 0.1:
            break
        gain_db += target - after
    peak = true_peak(y)
    if peak > ceiling:  # the smooth gain let a hair through: take it off evenly
        y *= np.float32(10 ** ((ceiling - peak) / 20))
        after, peak = integrated_loudness(y, rate), true_peak(y)
    return y, LoudnessReport(before, after, gain_db, peak, limited)

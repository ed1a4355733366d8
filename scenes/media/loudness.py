"""Loudness of the narration: measure it, and bring it to −16 LUFS with peaks under −1 dBTP.

- Integrated loudness: ITU-R BS.1770-4 (K-weighting with pyloudnorm's filters, 400 ms blocks
  every 100 ms, −70 LUFS and −10 LU gates). The K-weighted signal's running sum of squares gives
  every block's energy at once, and :class:`Blocks` keeps them, so the loudness of pieces
  measured apart can be gated together (a lecture from its segments) without measuring again.
- True peak: the largest sample of the signal oversampled 4× (``scipy.signal.resample_poly``,
  in blocks so a long lecture does not need four copies of itself in memory), in dBTP. A block
  is oversampled only when it could matter: no interpolated sample can exceed the largest
  input sample near it times the interpolation filter's largest phase gain (the sum of the
  magnitudes of one phase's taps), so blocks whose bound is under what is looked for are
  skipped. The result is the same as oversampling everything.
- :func:`normalise`: a gain to the target loudness, then, when peaks would pass the ceiling, a
  look-ahead limiter (the gain at each sample is the smallest any sample within a few
  milliseconds needs, smoothed, so it never lets a peak through and never clicks); repeated
  until the loudness is within 0.1 LU of the target, because limiting lowers it a little
  (each new gain from the last two tries, so it takes two or three rounds).

Arrays are ``(channels, samples)`` float32/float64 with full scale 1.0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

# scipy and pyloudnorm are imported where first needed: a run with nothing to build (the
# bundle up to date) then does not pay the second or so their import takes.

TARGET_LUFS = -16.0
TARGET_TOLERANCE_LU = 1.0       # what the lecture must meet
CEILING_DBTP = -1.0
OVERSAMPLE = 4
LOOKAHEAD_S = 0.005             # limiter look-ahead on each side of a peak
HOLD_S = 0.040                  # how long the limiter holds its gain after a peak
BLOCK_S, STEP_S = 0.400, 0.100  # BS.1770 gating blocks
ABSOLUTE_GATE, RELATIVE_GATE = -70.0, -10.0
_BLOCK = 1 << 10                # samples per block when oversampling
_RUN = 64                       # blocks oversampled at once, at most
_PAD = 32                       # context on each side of a block (the filter reaches 11 samples)


def _as_2d(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    return x[np.newaxis, :] if x.ndim == 1 else x


def db(value: float) -> float:
    return 20 * math.log10(value) if value > 0 else -math.inf


# --------------------------------------------------------------------------- integrated loudness


@lru_cache(maxsize=None)
def _k_weighting(rate: int) -> np.ndarray:
    """The two K-weighting stages (pyloudnorm's, as in BS.1770) as second-order sections."""
    from pyloudnorm.iirfilter import IIRfilter

    stages = [IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, rate, "high_shelf"),
              IIRfilter(0.0, 0.5, 38.0, rate, "high_pass")]
    sos = [np.concatenate([s.passband_gain * np.asarray(s.b) / s.a[0], np.asarray(s.a) / s.a[0]])
           for s in stages]
    return np.array(sos, dtype=np.float64)


@dataclass(frozen=True)
class Blocks:
    """The mean square of the K-weighted signal in each 400 ms block (summed over channels)."""

    energy: np.ndarray

    @staticmethod
    def join(pieces: "list[Blocks]") -> "Blocks":
        return Blocks(np.concatenate([p.energy for p in pieces]) if pieces else np.zeros(0))

    def scaled(self, gain_db: float) -> "Blocks":
        return Blocks(self.energy * 10 ** (gain_db / 10))

    def loudness(self) -> float:
        """Gated (integrated) loudness in LUFS; ``-inf`` when no block passes the gates."""
        with np.errstate(divide="ignore"):
            levels = -0.691 + 10 * np.log10(self.energy)
        kept = self.energy[levels >= ABSOLUTE_GATE]
        if kept.size == 0:
            return -math.inf
        relative = -0.691 + 10 * math.log10(kept.mean()) + RELATIVE_GATE
        kept = self.energy[(levels > relative) & (levels > ABSOLUTE_GATE)]
        return -0.691 + 10 * math.log10(kept.mean()) if kept.size else -math.inf


def blocks(x: np.ndarray, rate: int) -> Blocks:
    """The gating blocks of ``x`` (channel weights 1: mono or stereo)."""
    from scipy.signal import sosfilt

    x = _as_2d(x)
    size, step = int(round(BLOCK_S * rate)), int(round(STEP_S * rate))
    n = x.shape[1]
    if n < size:
        return Blocks(np.zeros(0))
    count = (n - size) // step + 1
    starts = np.arange(count) * step
    energy = np.zeros(count)
    sos = _k_weighting(rate)
    for channel in x:
        weighted = sosfilt(sos, np.asarray(channel, dtype=np.float64))
        running = np.concatenate([[0.0], np.cumsum(weighted * weighted)])
        energy += (running[starts + size] - running[starts]) / size
    return Blocks(energy)


def integrated_loudness(x: np.ndarray, rate: int) -> float:
    """Integrated loudness in LUFS (``-inf`` for silence or audio shorter than one 400 ms block)."""
    x = _as_2d(x)
    if not np.any(x):
        return -math.inf
    return blocks(x, rate).loudness()


# --------------------------------------------------------------------------- true peak


@lru_cache(maxsize=None)
def _interpolator(factor: int) -> tuple[np.ndarray, float, int]:
    """The filter ``resample_poly`` uses by default to oversample ``factor``× (its taps, before
    its gain of ``factor``), the largest gain of one of its phases on any input, and how many
    input samples on each side an oversampled sample depends on."""
    from scipy.signal import firwin

    half = 10 * factor
    taps = firwin(2 * half + 1, 1 / factor, window=("kaiser", 5.0))
    phase_gain = max(float(np.abs(taps[p::factor]).sum()) * factor for p in range(factor))
    return taps.astype(np.float32), phase_gain, half // factor + 1


def _oversampled_peaks(x: np.ndarray, start: int, stop: int, factor: int) -> np.ndarray:
    """Per sample of ``x[:, start:stop]``: the largest magnitude of the oversampled signal from
    that sample to the next, over all channels."""
    from scipy.signal import resample_poly

    n = x.shape[1]
    taps, _, _ = _interpolator(factor)
    lo, hi = max(0, start - _PAD), min(n, stop + _PAD)
    block = resample_poly(x[:, lo:hi], factor, 1, axis=1, window=taps)
    inner = np.abs(block[:, (start - lo) * factor:(stop - lo) * factor])
    peaks = np.abs(x[:, start:stop])
    for phase in range(factor):
        np.maximum(peaks, inner[:, phase::factor], out=peaks)
    return peaks.max(axis=0)


def _distinct_channels(x: np.ndarray) -> np.ndarray:
    """As float32, without a channel equal to an earlier one (a mono narration on two channels
    adds nothing)."""
    keep = [c for c in range(x.shape[0]) if not any(np.array_equal(x[c], x[d]) for d in range(c))]
    return np.asarray(x[keep], dtype=np.float32)


def _block_bounds(x: np.ndarray, factor: int) -> tuple[np.ndarray, np.ndarray]:
    """Per sample, its magnitude (largest over channels); per block of :data:`_BLOCK` samples,
    a bound on the block's oversampled samples: the largest input sample its interpolation
    reads (the block's own, and those of its neighbours within the filter's reach), times the
    filter's largest phase gain."""
    _, phase_gain, reach = _interpolator(factor)
    magnitude = np.abs(x).max(axis=0)
    count = -(-magnitude.size // _BLOCK)
    padded = np.zeros(count * _BLOCK, dtype=magnitude.dtype)
    padded[:magnitude.size] = magnitude
    rows = padded.reshape(count, _BLOCK)
    near = rows.max(axis=1)
    np.maximum(near[1:], rows[:-1, -reach:].max(axis=1), out=near[1:])     # the previous block's end
    np.maximum(near[:-1], rows[1:, :reach].max(axis=1), out=near[:-1])     # the next block's start
    return magnitude, near * phase_gain


def _runs(blocks_wanted: np.ndarray, n: int) -> list[tuple[int, int]]:
    """Sample spans of the runs of consecutive wanted blocks (at most :data:`_RUN` blocks each,
    so that oversampling one never needs much memory)."""
    edges = np.diff(np.concatenate([[0], blocks_wanted.astype(np.int8), [0]]))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [(a * _BLOCK, min(min(a + _RUN, last) * _BLOCK, n))
            for first, last in zip(starts, stops) for a in range(first, last, _RUN)]


def peak_envelope(x: np.ndarray, factor: int = OVERSAMPLE, above: float = 0.0) -> np.ndarray:
    """Per sample, the largest magnitude of the ``factor``× oversampled signal from that sample
    to the next, over all channels: shape ``(samples,)``.

    Exact wherever it exceeds ``above`` (linear); elsewhere it may be given as the sample's own
    magnitude, which is never more than the exact value and never more than ``above``."""
    x = _distinct_channels(_as_2d(x))
    n = x.shape[1]
    if n == 0:
        return np.zeros(0)
    magnitude, bound = _block_bounds(x, factor)
    env = magnitude.astype(np.float64)
    for a, b in _runs(bound > above, n):
        env[a:b] = _oversampled_peaks(x, a, b, factor)
    return env


def true_peak(x: np.ndarray, factor: int = OVERSAMPLE) -> float:
    """True peak in dBTP (the peak of the signal oversampled ``factor`` times).

    The few blocks with the highest bounds are oversampled first; then only the blocks whose
    bound is over the peak found so far can hold the peak, and only they are oversampled."""
    x = _distinct_channels(_as_2d(x))
    if x.size == 0:
        return -math.inf
    n = x.shape[1]
    magnitude, bound = _block_bounds(x, factor)
    best = float(magnitude.max())
    for i in np.argsort(-bound)[:8]:
        if bound[i] > best:
            a, b = i * _BLOCK, min((i + 1) * _BLOCK, n)
            best = max(best, float(_oversampled_peaks(x, a, b, factor).max()))
        bound[i] = 0.0
    for a, b in _runs(bound > best, n):
        best = max(best, float(_oversampled_peaks(x, a, b, factor).max()))
    return db(best)


# --------------------------------------------------------------------------- limiter


def limiter_gain(envelope: np.ndarray, rate: int, ceiling_dbtp: float, *,
                 lookahead: float = LOOKAHEAD_S, hold: float = HOLD_S) -> np.ndarray:
    """Per sample, the gain that keeps a signal with this peak ``envelope`` under the ceiling.

    The gain at a sample is the smallest any sample within ``lookahead`` ahead of it or
    ``lookahead + hold`` behind it needs, then smoothed: it starts to fall a few milliseconds
    before a peak, holds a little after it, and never lets the peak through."""
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

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
    envelope = peak_envelope(x, above=10 ** (ceiling_dbtp / 20))
    gain = limiter_gain(envelope, rate, ceiling_dbtp, **kwargs)
    return (x * gain[np.newaxis, :]).astype(x.dtype, copy=False)


# --------------------------------------------------------------------------- normalising


_NO_BLOCKS = Blocks(np.zeros(0))


@dataclass(frozen=True)
class LoudnessReport:
    before_lufs: float
    after_lufs: float
    gain_db: float
    true_peak_dbtp: float
    limited: bool
    blocks: Blocks = field(default=_NO_BLOCKS, repr=False, compare=False)          # the result's
    blocks_before: Blocks = field(default=_NO_BLOCKS, repr=False, compare=False)   # the input's

    @property
    def silent(self) -> bool:
        return not math.isfinite(self.before_lufs)

    def to_json(self) -> dict:
        """The report as JSON data, gating blocks included (kept beside a segment's video, so
        the lecture's loudness is gated from them without decoding anything)."""
        def number(x: float) -> float | None:
            return float(x) if math.isfinite(x) else None
        return {"before_lufs": number(self.before_lufs), "after_lufs": number(self.after_lufs),
                "gain_db": self.gain_db, "true_peak_dbtp": number(self.true_peak_dbtp),
                "limited": self.limited,
                "blocks": [float(f"{e:.7g}") for e in self.blocks.energy],
                "blocks_before": [float(f"{e:.7g}") for e in self.blocks_before.energy]}

    @staticmethod
    def from_json(data: dict) -> "LoudnessReport":
        def number(x: float | None) -> float:
            return -math.inf if x is None else float(x)
        return LoudnessReport(number(data["before_lufs"]), number(data["after_lufs"]),
                              float(data["gain_db"]), number(data["true_peak_dbtp"]),
                              bool(data["limited"]), Blocks(np.asarray(data["blocks"], float)),
                              Blocks(np.asarray(data["blocks_before"], float)))

    def line(self) -> str:
        if self.silent:
            return "silent audio (estimate voice?): loudness left as it is"
        return (f"{self.after_lufs:.1f} LUFS (was {self.before_lufs:.1f}, gain {self.gain_db:+.1f} dB), "
                f"true peak {self.true_peak_dbtp:.1f} dBTP" + (", limited" if self.limited else ""))


def normalise(x: np.ndarray, rate: int, *, target: float = TARGET_LUFS,
              ceiling: float = CEILING_DBTP, iterations: int = 5) -> tuple[np.ndarray, LoudnessReport]:
    """``x`` at ``target`` LUFS with true peaks at or under ``ceiling`` dBTP. The report carries
    the result's gating blocks, so pieces normalised apart can be measured together.

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
                               r.true_peak_dbtp, r.limited, r.blocks.scaled(offset),
                               r.blocks_before.scaled(offset)))
    measured = blocks(x, rate)
    before = measured.loudness()
    if not math.isfinite(before):
        return x.copy(), LoudnessReport(before, before, 0.0, true_peak(x), False, measured, measured)
    gain_db = target - before
    # The peak envelope scales with the gain: measure it once, exactly wherever a gain up to
    # 3 dB above this first one could take it over the ceiling (limiting lowers the loudness,
    # and the next rounds raise the gain to make up for it).
    ceiling_lin = 10 ** (ceiling / 20)
    reach_db = gain_db + 3.0
    envelope = peak_envelope(x, above=ceiling_lin / 10 ** (reach_db / 20))
    y, limited, after, out_blocks = x, False, before, measured
    previous: tuple[float, float] | None = None
    for _ in range(iterations):
        if gain_db > reach_db:
            reach_db = gain_db + 3.0
            envelope = peak_envelope(x, above=ceiling_lin / 10 ** (reach_db / 20))
        g = 10 ** (gain_db / 20)
        limited = g * float(envelope.max()) > ceiling_lin
        y = x * np.float32(g)
        if limited:
            y *= limiter_gain(g * envelope, rate, ceiling).astype(np.float32)[np.newaxis, :]
            out_blocks = blocks(y, rate)
        else:   # a plain gain scales every block's energy: nothing to measure again
            out_blocks = measured.scaled(gain_db)
        after = out_blocks.loudness()
        if abs(after - target) <= 0.1:
            break
        # Limiting takes back part of any gain: step by the slope seen so far (secant).
        slope = 1.0
        if previous is not None and gain_db != previous[0]:
            slope = min(1.0, max(0.2, (after - previous[1]) / (gain_db - previous[0])))
        previous = (gain_db, after)
        gain_db += (target - after) / slope
    peak = true_peak(y)
    if peak > ceiling:  # the smooth gain let a hair through: take it off evenly
        y *= np.float32(10 ** ((ceiling - peak) / 20))
        out_blocks = out_blocks.scaled(ceiling - peak)
        after, peak = out_blocks.loudness(), ceiling
    return y, LoudnessReport(before, after, gain_db, peak, limited, out_blocks, measured)

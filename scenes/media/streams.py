"""Reading videos back and writing the lecture's MP4 files, with PyAV only (no ffmpeg binary).

- :func:`probe`: what a file holds (codec, profile, pixel format, size, frame rate, frames,
  audio codec/profile/rate/channels, durations) and whether its index comes first.
- :func:`mp4_boxes` / :func:`is_fast_start`: the top-level MP4 boxes; fast start means the
  ``moov`` box (the index) comes before ``mdat`` (the media), so playback and YouTube's
  processing can begin before the whole file has arrived.
- :func:`scan_video`: a video track's frames, frame duration and decoding order, for copying
  its packets into another file without re-encoding.
- :func:`decode_audio`: a file's audio as float samples at a chosen rate and layout.
- :func:`encode_aac`: a signal as AAC-LC packets, encoded once (in pieces on several cores)
  and kept in memory; :func:`read_aac` takes them back out of a written file, undecoded, and
  :func:`join_aac` joins signals encoded apart by copying their packets.
- :func:`write_mp4`: video tracks one after the other (copied when they are H.264 High
  yuv420p with identical parameters, each starting on a key frame, re-encoded otherwise) plus
  a stretch of encoded audio, interleaved, index at the front; written to a temporary name and
  moved into place.

Manim writes H.264 High yuv420p with AAC-LC 48 kHz stereo, the index at the end, and frame
times that drift by a few ticks; the copies here get exact, constant frame times.

Cutting AAC without re-encoding: packet *i* presents samples ``[pts, pts + 1024)``, but decoding
it needs packet *i − 1* too (each frame overlaps the previous one). A stretch starting at sample
*s* therefore takes the packets from the one before the packet holding *s*, with times shifted
so that *s* is 0: the first packet starts before 0, and the MP4 writer turns that into an edit
list that tells players to start playing at *s* (the same mechanism that hides the encoder's
own 1024 priming samples at the start of every AAC track).
"""

from __future__ import annotations

import bisect
import os
import struct
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Iterator, Sequence

import av
import numpy as np

AUDIO_RATE = 48_000
AUDIO_LAYOUT = "stereo"
AUDIO_BITRATE = 384_000          # YouTube's recommendation for stereo AAC-LC
AAC_FRAME = 1024
# ISO 639-2 codes for the audio track's language tag.
LANGUAGE_TAGS = {"es": "spa", "en": "eng"}


# --------------------------------------------------------------------------- reading back


def mp4_boxes(path: str | os.PathLike[str]) -> list[tuple[str, int, int]]:
    """Top-level boxes of an MP4 file: (type, offset, size)."""
    boxes = []
    size_total = os.path.getsize(path)
    with open(path, "rb") as f:
        offset = 0
        while offset + 8 <= size_total:
            f.seek(offset)
            size, kind = struct.unpack(">I4s", f.read(8))
            if size == 1:
                size = struct.unpack(">Q", f.read(8))[0]
            elif size == 0:
                size = size_total - offset
            if size < 8:
                break
            boxes.append((kind.decode("latin-1"), offset, size))
            offset += size
    return boxes


def is_fast_start(path: str | os.PathLike[str]) -> bool:
    kinds = [k for k, _, _ in mp4_boxes(path)]
    return "moov" in kinds and "mdat" in kinds and kinds.index("moov") < kinds.index("mdat")


@dataclass(frozen=True)
class MediaInfo:
    path: Path
    duration: float                 # the container's
    video_codec: str | None
    video_profile: str | None
    pix_fmt: str | None
    width: int
    height: int
    fps: Fraction | None
    frames: int
    video_duration: float           # frames / fps
    audio_codec: str | None
    audio_profile: str | None
    sample_rate: int
    channels: int
    audio_duration: float
    fast_start: bool
    title: str | None


def probe(path: str | os.PathLike[str]) -> MediaInfo:
    """What a video file holds, read back with PyAV."""
    path = Path(path)
    track = scan_video(path)
    with av.open(str(path)) as c:
        duration = float(c.duration) / av.time_base if c.duration else 0.0
        title = c.metadata.get("title")
        v = c.streams.video[0].codec_context if c.streams.video else None
        a_stream = c.streams.audio[0] if c.streams.audio else None
        a = a_stream.codec_context if a_stream else None
        audio_duration = 0.0
        if a_stream is not None and a_stream.duration is not None:
            audio_duration = float(a_stream.duration * a_stream.time_base)
        info = MediaInfo(
            path=path,
            duration=duration,
            video_codec=v.name if v else None,
            video_profile=v.profile if v else None,
            pix_fmt=v.pix_fmt if v else None,
            width=v.width if v else 0,
            height=v.height if v else 0,
            fps=track.fps,
            frames=track.frames,
            video_duration=float(track.duration),
            audio_codec=a.name if a else None,
            audio_profile=a.profile if a else None,
            sample_rate=a.sample_rate if a else 0,
            channels=a.layout.nb_channels if a else 0,
            audio_duration=audio_duration,
            fast_start=is_fast_start(path),
            title=title,
        )
    return info


@dataclass
class VideoTrack:
    """The video track of one file, ready to be copied frame-exactly into another."""

    path: Path
    time_base: Fraction
    frame_ticks: int                 # one frame, in time_base units
    ranks: list[int]                 # per packet in decoding order: its place in display order
    delay: int                       # decoding delay in frames (B-frames)
    codec: str
    profile: str | None
    pix_fmt: str
    width: int
    height: int
    extradata: bytes
    starts_on_key_frame: bool        # its first packet decodes alone: it can follow any track

    @property
    def frames(self) -> int:
        return len(self.ranks)

    @property
    def fps(self) -> Fraction:
        return 1 / (self.frame_ticks * self.time_base)

    @property
    def duration(self) -> Fraction:
        """Exact: frames / fps."""
        return self.frames * self.frame_ticks * self.time_base


def scan_video(path: str | os.PathLike[str]) -> VideoTrack:
    path = Path(path)
    with av.open(str(path)) as c:
        if not c.streams.video:
            raise ValueError(f"{path.name}: no video track")
        s = c.streams.video[0]
        cc = s.codec_context
        pts: list[int] = []
        key_start = False
        for p in c.demux(s):
            if p.dts is not None and p.pts is not None:
                key_start = key_start or (not pts and p.is_keyframe)
                pts.append(p.pts)
        tb = Fraction(s.time_base)
        meta = (cc.name, cc.profile, cc.pix_fmt, cc.width, cc.height, bytes(cc.extradata or b""))
    if not pts:
        raise ValueError(f"{path.name}: the video track has no frames")
    order = sorted(range(len(pts)), key=pts.__getitem__)
    ranks = [0] * len(pts)
    for r, i in enumerate(order):
        ranks[i] = r
    shown = [pts[i] for i in order]
    steps = Counter(b - a for a, b in zip(shown, shown[1:]) if b > a)
    if steps:
        ticks = steps.most_common(1)[0][0]
    else:  # one frame: take the stream's nominal rate
        with av.open(str(path)) as c:
            rate = c.streams.video[0].average_rate or 25
        ticks = max(1, round(1 / (Fraction(rate) * tb)))
    delay = max(0, max(k - r for k, r in enumerate(ranks)))
    return VideoTrack(path, tb, int(ticks), ranks, delay, *meta, key_start)


def decode_audio(path: str | os.PathLike[str], rate: int = AUDIO_RATE,
                 layout: str = AUDIO_LAYOUT) -> np.ndarray:
    """The file's first audio track as float32 ``(channels, samples)`` at ``rate``; placed by
    its timestamps (a late start is padded with silence). No audio track: zero samples."""
    channels = av.AudioLayout(layout).nb_channels
    with av.open(str(path)) as c:
        if not c.streams.audio:
            return np.zeros((channels, 0), dtype=np.float32)
        stream = c.streams.audio[0]
        resampler = av.AudioResampler(format="fltp", layout=layout, rate=rate)
        pieces: list[np.ndarray] = []
        first_time = None
        for frame in c.decode(stream):
            if first_time is None and frame.pts is not None and frame.time_base is not None:
                first_time = float(frame.pts * frame.time_base)
            for out in resampler.resample(frame):
                pieces.append(out.to_ndarray())
        for out in resampler.resample(None):
            pieces.append(out.to_ndarray())
    audio = np.concatenate(pieces, axis=1) if pieces else np.zeros((channels, 0), np.float32)
    lead = int(round(max(0.0, first_time or 0.0) * rate))
    if lead:
        audio = np.concatenate([np.zeros((channels, lead), np.float32), audio], axis=1)
    return audio.astype(np.float32, copy=False)


def fit_length(audio: np.ndarray, samples: int) -> np.ndarray:
    """``audio`` cut or padded with silence to exactly ``samples`` samples."""
    if audio.shape[1] >= samples:
        return audio[:, :samples]
    pad = np.zeros((audio.shape[0], samples - audio.shape[1]), dtype=audio.dtype)
    return np.concatenate([audio, pad], axis=1)


def samples_for(duration: Fraction, rate: int = AUDIO_RATE) -> int:
    return int(round(duration * rate))


# --------------------------------------------------------------------------- encoded audio


@dataclass
class EncodedAudio:
    """One continuous signal as AAC-LC packets: packet *i* presents samples from ``pts[i]`` for
    ``durations[i]`` (the first, at ``-1024``, is the encoder's priming, which players skip)."""

    rate: int
    channels: int
    samples: int
    extradata: bytes
    bit_rate: int
    pts: list[int]
    durations: list[int]
    data: list[bytes]

    def stretch(self, start: int, stop: int) -> list[tuple[int, int, bytes]]:
        """The packets that play samples ``[start, stop)``, one packet before them for the
        decoder's overlap, as ``(pts, duration, data)`` with ``start`` at 0; the last packet's
        duration ends at ``stop``."""
        first = max(0, bisect.bisect_right(self.pts, start - 2 * AAC_FRAME))
        last = bisect.bisect_left(self.pts, stop)
        return [(pts - start, min(dur, stop - pts), data) for pts, dur, data in
                zip(self.pts[first:last], self.durations[first:last], self.data[first:last])]


PREROLL_FRAMES = 8       # a piece's encoder starts this many frames early; those packets are dropped
LOOKAHEAD_FRAMES = 8     # ... and reads this many past its end, as a whole-signal encoder would
PIECES_PER_JOB = 4


def _aac_encoder(rate: int, layout: str, bit_rate: int) -> av.CodecContext:
    enc = av.CodecContext.create("aac", "w")
    enc.sample_rate, enc.layout, enc.format = rate, layout, "fltp"
    enc.bit_rate = bit_rate
    enc.time_base = Fraction(1, rate)
    # The default two-loop search and mid/side stereo triple the encoding time; at 384 kb/s
    # speech stays transparent without them. Noise substitution saves bits only at low rates,
    # and its decoder draws random noise that depends on where decoding started: without it, a
    # stretch of the audio decodes to the very samples the whole does.
    enc.options = {"aac_coder": "fast", "aac_ms": "0", "aac_pns": "0"}
    return enc


def _encode_piece(audio: np.ndarray, rate: int, layout: str, bit_rate: int, first: int,
                  stop: int, last_piece: bool) -> tuple[list[tuple[int, int, bytes]], bytes]:
    """Packets ``first`` to ``stop - 1`` (packet *i* has pts ``(i - 1)·1024``) of the whole
    signal's encoding, from an encoder of its own that starts a few frames early."""
    enc = _aac_encoder(rate, layout, bit_rate)
    offset = max(0, first - 1 - PREROLL_FRAMES) * AAC_FRAME
    end = audio.shape[1] if last_piece else min(audio.shape[1], (stop + LOOKAHEAD_FRAMES) * AAC_FRAME)
    lo, hi = (first - 1) * AAC_FRAME, (stop - 1) * AAC_FRAME
    out: list[tuple[int, int, bytes]] = []

    def keep(packets) -> None:
        for p in packets:
            pts = p.pts + offset
            if lo <= pts and (last_piece or pts < hi):
                out.append((pts, p.duration, bytes(p)))

    for i in range(offset, end, AAC_FRAME):
        chunk = np.clip(audio[:, i:i + AAC_FRAME], -1.0, 1.0)      # a new, contiguous array
        frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=layout)
        frame.sample_rate, frame.pts, frame.time_base = rate, i - offset, Fraction(1, rate)
        keep(enc.encode(frame))
    keep(enc.encode(None))
    return out, bytes(enc.extradata or b"")


def encode_aac(audio: np.ndarray, rate: int = AUDIO_RATE, *, bit_rate: int = AUDIO_BITRATE,
               jobs: int = 2) -> EncodedAudio:
    """``audio`` (``(channels, samples)`` floats) as AAC-LC, in pieces encoded ``jobs`` at once.

    Each piece's encoder starts :data:`PREROLL_FRAMES` early and reads a few frames past its
    end, and only the packets of its own stretch are kept, so the joined packets decode like
    one encoder's (within the codec's own noise; a fresh encoder's first packets are the only
    ones that differ, and they are dropped)."""
    data = np.asarray(audio, dtype=np.float32)
    layout = AUDIO_LAYOUT if data.shape[0] == 2 else "mono"
    packets_total = -(-data.shape[1] // AAC_FRAME) + 1
    # A few pieces per core, so that one core that is held up does not keep the other waiting.
    pieces = max(1, min(PIECES_PER_JOB * jobs, packets_total // (8 * (PREROLL_FRAMES + LOOKAHEAD_FRAMES))))
    bounds = [round(k * packets_total / pieces) for k in range(pieces + 1)]
    spans = [(bounds[k], bounds[k + 1], k == pieces - 1) for k in range(pieces)]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:   # the encoder runs without the GIL
        done = list(pool.map(lambda span: _encode_piece(data, rate, layout, bit_rate, *span), spans))
    packets = [p for piece, _ in done for p in piece]
    pts = [p[0] for p in packets]
    if pts != [(i - 1) * AAC_FRAME for i in range(len(pts))]:
        raise RuntimeError("the AAC pieces do not join up")   # a change in the encoder's framing
    return EncodedAudio(rate, data.shape[0], data.shape[1], done[0][1], bit_rate, pts,
                        [p[1] for p in packets], [p[2] for p in packets])


def joined_starts(lengths: Sequence[int]) -> list[int]:
    """Where each of signals ``lengths`` long starts when they are joined by :func:`join_aac`:
    on the packet boundary nearest the sum of the lengths before it."""
    starts, total = [], 0
    for n in lengths:
        starts.append(AAC_FRAME * round(total / AAC_FRAME))
        total += n
    return starts


def join_aac(pieces: Sequence[EncodedAudio], lengths: Sequence[int]) -> tuple[EncodedAudio, list[int]]:
    """Signals encoded apart, joined into one by copying their packets (nothing decoded or
    encoded again). Returns the joined audio and where each piece starts in it.

    Packets hold 1024 samples each, so piece *k* starts on the packet boundary nearest the sum
    of the lengths before it (:func:`joined_starts`): within 512 samples (11 ms at 48 kHz) of
    its video, and that error never adds up. Each piece keeps its priming packet, so from its
    first sample on it decodes exactly as it does alone; that packet replaces the previous
    piece's packets from one packet before the start on: the last few milliseconds of that
    piece, which in a narrated segment are the silence under its held last frame."""
    if not pieces:
        raise ValueError("no audio to join")
    first = pieces[0]
    for piece in pieces:
        if (piece.rate, piece.channels, piece.extradata) != (first.rate, first.channels, first.extradata):
            raise ValueError("the pieces were encoded with different settings: they cannot be copied "
                             "into one track")
        if piece.pts != [(i - 1) * AAC_FRAME for i in range(len(piece.pts))]:
            raise ValueError("a piece's packets are not one encoder's run from its priming packet on")
    starts = joined_starts(lengths)
    pts: list[int] = []
    data: list[bytes] = []
    for piece, start in zip(pieces, starts):
        keep = bisect.bisect_left(pts, start - AAC_FRAME)
        del pts[keep:], data[keep:]
        if pts and pts[-1] != start - 2 * AAC_FRAME:
            raise ValueError("a piece ends before the next one starts")
        pts += [start + t for t in piece.pts]
        data += piece.data
    samples = min(sum(lengths), pts[-1] + AAC_FRAME)
    durations = [AAC_FRAME] * len(pts)
    durations[-1] = max(1, samples - pts[-1])
    return (EncodedAudio(first.rate, first.channels, samples, first.extradata, first.bit_rate,
                         pts, durations, data), starts)


def read_aac(path: str | os.PathLike[str]) -> EncodedAudio | None:
    """The AAC packets of a file's first audio track, as written (nothing decoded)."""
    with av.open(str(path)) as c:
        if not c.streams.audio:
            return None
        s = c.streams.audio[0]
        cc = s.codec_context
        if cc.name != "aac" or Fraction(s.time_base) != Fraction(1, cc.sample_rate):
            return None
        packets = [(p.pts, p.duration, bytes(p)) for p in c.demux(s) if p.pts is not None and p.size]
        samples = int(s.duration or 0)
        return EncodedAudio(cc.sample_rate, cc.layout.nb_channels, samples,
                            bytes(cc.extradata or b""), cc.bit_rate or AUDIO_BITRATE,
                            [p[0] for p in packets], [p[1] for p in packets], [p[2] for p in packets])


# --------------------------------------------------------------------------- writing


def can_copy(tracks: Sequence[VideoTrack]) -> bool:
    """True when the tracks can be joined by copying packets: H.264 High yuv420p, one frame
    rate, one set of decoder parameters, each starting on a key frame."""
    first = tracks[0]
    return all(
        t.codec == "h264" and t.profile == "High" and t.pix_fmt == "yuv420p" and t.starts_on_key_frame
        and (t.width, t.height, t.extradata, t.fps) == (first.width, first.height, first.extradata, first.fps)
        for t in tracks
    )


def _copied_packets(tracks: Sequence[VideoTrack], stream, time_base: Fraction) -> Iterator[av.Packet]:
    """Every frame of ``tracks`` in turn, with exact constant frame times in ``time_base``."""
    ticks = tracks[0].frame_ticks * tracks[0].time_base / time_base
    assert ticks.denominator == 1
    ticks = int(ticks)
    delay = max(t.delay for t in tracks)
    start = 0                                   # first frame of the current track, in frames
    for track in tracks:
        with av.open(str(track.path)) as c:
            s = c.streams.video[0]
            k = 0
            for packet in c.demux(s):
                if packet.dts is None or packet.pts is None:
                    continue
                packet.pts = (start + track.ranks[k]) * ticks
                packet.dts = (start + k - delay) * ticks
                packet.duration = ticks
                packet.time_base = time_base
                packet.stream = stream
                k += 1
                yield packet
        start += track.frames


def _encoded_packets(tracks: Sequence[VideoTrack], stream) -> Iterator[av.Packet]:
    """Every frame of ``tracks`` decoded and encoded again as H.264 High yuv420p."""
    n = 0
    time_base = 1 / tracks[0].fps
    for track in tracks:
        with av.open(str(track.path)) as c:
            for frame in c.decode(video=0):
                frame = frame.reformat(width=stream.width, height=stream.height, format="yuv420p")
                frame.pts = n
                frame.time_base = time_base
                n += 1
                yield from stream.encode(frame)
    yield from stream.encode(None)


def _interleaved(video: Iterator[av.Packet], video_tb: Fraction, audio: list[av.Packet],
                 audio_tb: Fraction) -> Iterator[av.Packet]:
    """Both streams in decoding-time order (audio first on a tie). Times are compared as
    integers (``a·p/q ≤ b·r/s`` as ``a·p·s ≤ b·r·q``): fractions cost more than the copying."""
    v_scale = video_tb.numerator * audio_tb.denominator
    a_scale = audio_tb.numerator * video_tb.denominator

    def ts(packet: av.Packet) -> int:
        return (packet.dts if packet.dts is not None else packet.pts) or 0

    a = 0
    for packet in video:
        v_time = ts(packet) * v_scale
        while a < len(audio) and ts(audio[a]) * a_scale <= v_time:
            yield audio[a]
            a += 1
        yield packet
    yield from audio[a:]


def write_mp4(path: str | os.PathLike[str], tracks: Sequence[VideoTrack], audio: EncodedAudio | None,
              *, audio_start: int = 0, title: str | None = None, language: str | None = None,
              crf: int = 18) -> Path:
    """Write ``tracks`` one after the other with the stretch of ``audio`` that starts at sample
    ``audio_start`` and lasts as long as the video, the index at the front; the file appears at
    ``path`` only once complete."""
    path = Path(path)
    if not tracks:
        raise ValueError("no video to write")
    tmp = path.with_name(f".{path.name}.part")
    copy = can_copy(tracks)
    first = tracks[0]
    tb = first.time_base
    try:
        with av.open(str(first.path)) as template_input, \
                av.open(str(tmp), mode="w", format="mp4", options={"movflags": "+faststart"}) as out:
            if title:
                out.metadata["title"] = title
            out.metadata["comment"] = "Convolution arithmetic lecture, assembled with PyAV"
            if copy:
                vs = out.add_stream_from_template(template_input.streams.video[0])
                vs.time_base = video_tb = tb
                video = _copied_packets(tracks, vs, tb)
            else:
                fps = first.fps
                vs = out.add_stream("libx264", rate=fps)
                vs.width, vs.height, vs.pix_fmt = first.width, first.height, "yuv420p"
                vs.time_base = video_tb = 1 / fps
                vs.codec_context.time_base = 1 / fps
                vs.options = {"crf": str(crf), "preset": "medium", "profile": "high"}
                video = _encoded_packets(tracks, vs)
            audio_packets: list[av.Packet] = []
            if audio is not None:
                aus = out.add_stream("aac", rate=audio.rate,
                                     layout=AUDIO_LAYOUT if audio.channels == 2 else "mono")
                aus.bit_rate = audio.bit_rate
                aus.codec_context.extradata = audio.extradata
                aus.time_base = Fraction(1, audio.rate)
                if language in LANGUAGE_TAGS:
                    aus.metadata["language"] = LANGUAGE_TAGS[language]
                length = samples_for(sum((t.duration for t in tracks), Fraction(0)), audio.rate)
                for pts, duration, data in audio.stretch(audio_start, audio_start + length):
                    packet = av.Packet(data)
                    packet.pts = packet.dts = pts
                    packet.duration = duration
                    packet.time_base = aus.time_base
                    packet.stream = aus
                    audio_packets.append(packet)
            audio_tb = Fraction(1, audio.rate) if audio is not None else Fraction(1)
            for packet in _interleaved(video, video_tb, audio_packets, audio_tb):
                out.mux(packet)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path

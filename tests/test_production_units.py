"""Production pieces that need no render: loudness, chapters, registry and fingerprints,
the atomic MP4 writer, the thumbnail's layout."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import numpy as np
import pytest

from scenes.media import loudness as ld
from scenes.production.assemble import Chapter, chapter_problems, parse_timestamp, timestamp
from scenes.production.registry import (RegistryError, dependencies, import_closure,
                                        load_registry, module_path)
from scenes.segments import SEGMENTS, Segment

RATE = 48_000


def speechlike(seconds: float, seed: int = 0, level: float = 0.1) -> np.ndarray:
    """Noise in syllable-like bursts with pauses, and one sharp click: like narration."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    gate = (np.sin(2 * np.pi * 3.1 * t) > 0.1) & (np.sin(2 * np.pi * 0.27 * t) > -0.6)
    x = (rng.standard_normal(t.size) * level * gate).astype(np.float32)
    x[RATE // 2] = 0.98
    return np.stack([x, x])


def decoded_aac(enc) -> np.ndarray:
    """Stereo AAC packets decoded in order, from the signal's first sample (priming skipped)."""
    import av

    dec = av.CodecContext.create("aac", "r")
    dec.extradata, dec.sample_rate, dec.layout = enc.extradata, RATE, "stereo"
    out = []
    for pts, data in zip(enc.pts, enc.data):
        packet = av.Packet(data)
        packet.pts = pts
        out += [f.to_ndarray() for f in dec.decode(packet)]
    return np.concatenate(out, axis=1)[:, 1024:]


def write_grey_ramp(path, frames: int, step: int):
    """A tiny H.264 High video at 15 fps whose frame i is grey level i·step."""
    import av

    with av.open(str(path), "w") as out:
        s = out.add_stream("libx264", rate=15)
        s.width, s.height, s.pix_fmt = 64, 48, "yuv420p"
        s.options = {"profile": "high"}
        for i in range(frames):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), i * step, np.uint8), format="rgb24")
            frame.pts = i
            for p in s.encode(frame):
                out.mux(p)
        for p in s.encode(None):
            out.mux(p)
    return path


def test_normalise_reaches_target_with_true_peak_under_ceiling():
    for level in (0.02, 0.1, 0.4):
        y, report = ld.normalise(speechlike(30, level=level), RATE)
        assert ld.integrated_loudness(y, RATE) == pytest.approx(-16.0, abs=0.15)
        assert ld.true_peak(y) <= -1.0 + 1e-6
        assert report.after_lufs == pytest.approx(-16.0, abs=0.15)


def test_normalise_leaves_silence_alone():
    silent = np.zeros((2, RATE * 3), np.float32)
    y, report = ld.normalise(silent, RATE)
    assert report.silent and not np.any(y)
    assert "silent" in report.line()


def test_limiter_is_transparent_below_the_ceiling_and_catches_intersample_peaks():
    quiet = speechlike(5, level=0.01)
    quiet[:, RATE // 2] = 0.05
    assert np.array_equal(ld.limit(quiet, RATE, -1.0), quiet)
    # A sine at a quarter of the rate, sampled off its peaks: samples at 0.707 of its amplitude.
    n = np.arange(RATE * 2)
    sine = (np.sin(np.pi / 2 * n + np.pi / 4) * 0.95).astype(np.float32)
    sine[: RATE // 10] = 0
    sine[-RATE // 10:] = 0
    assert 20 * math.log10(np.abs(sine).max()) < -3.0      # sample peak well under -1 dBFS
    assert ld.true_peak(sine) > -1.0                       # but its true peak is over -1 dBTP
    assert ld.true_peak(ld.limit(sine, RATE, -1.0)) <= -1.0 + 0.01


def test_chapter_timestamps_and_rules():
    assert timestamp(0) == "0:00" and timestamp(59.99) == "0:59" and timestamp(61) == "1:01"
    assert timestamp(3725.2) == "1:02:05" and parse_timestamp("1:02:05") == 3725
    good = [Chapter(Fraction(0), "a"), Chapter(Fraction(15), "b"), Chapter(Fraction(40), "c")]
    assert chapter_problems(good, 60) == []
    assert any("from 3 on" in p for p in chapter_problems(good[:2], 60))
    short = chapter_problems(good, 45)
    assert any("'c' lasts 5 s" in p for p in short)
    late = chapter_problems([Chapter(Fraction(2), "a"), *good[1:]], 60)
    assert any("not 0:00" in p for p in late)


def test_descriptions_youtube_would_refuse():
    from scenes.production.bundle import description_problems, description_text
    from scenes.narration.lecture_text import lecture_text

    for lang in ("es", "en"):
        chs = [Chapter(Fraction(0), "a"), Chapter(Fraction(75), "b"), Chapter(Fraction(3700), "c")]
        text = description_text(lang, chs)
        assert text.startswith(lecture_text(lang)["title"] + "\n")
        assert "\n0:00 a\n1:15 b\n1:01:40 c\n" in text
        assert description_problems(lecture_text(lang)["title"], text) == []
        assert "https://arxiv.org/abs/1603.07285" in text
        assert text.rstrip().endswith(", ".join(lecture_text(lang)["tags"]))
    assert len(description_problems("x" * 101, "a <b>")) == 2


def test_thumbnail_is_flattened_to_rgb(tmp_path):
    from PIL import Image

    from scenes.production.bundle import place_thumbnail

    src = tmp_path / "in.png"
    Image.new("RGBA", (1280, 720), (30, 60, 90, 255)).save(src)
    assert place_thumbnail(src, tmp_path / "thumbnail.png") == []
    with Image.open(tmp_path / "thumbnail.png") as im:
        assert im.mode == "RGB" and im.getpixel((5, 5)) == (30, 60, 90)


def test_registry_default_and_file(tmp_path):
    assert load_registry() == list(SEGMENTS)
    reg = tmp_path / "r.json"
    reg.write_text(json.dumps([{"id": "demo", "module": "narration.demo", "scene": "NarrationDemo"}]))
    segs = load_registry(reg)
    assert segs == [Segment("demo", "narration.demo", "NarrationDemo")]
    assert module_path(segs[0]).name == "demo.py" and module_path(segs[0]).exists()
    reg.write_text("[{\"id\": 1}]")
    with pytest.raises(RegistryError, match="entry #0"):
        load_registry(reg)


def test_dependencies_follow_imports_and_only_the_language_text():
    seg = next(s for s in SEGMENTS if s.id == "s04_conectividad")
    deps = {p.relative_to(module_path(seg).parent.parent).as_posix() for p in dependencies(seg, "es")}
    assert "scenes/s04_conectividad.py" in deps
    assert "scenes/segments.py" in deps                    # imported: segment_number
    assert "scenes/kit/diagrams/connectivity.py" in deps and "convmath/__init__.py" in deps
    assert "scenes/narration/text/es/s04_conectividad.json" in deps
    assert "scenes/narration/text/en/s04_conectividad.json" not in deps
    assert not any(d.startswith("scenes/s0") and d != "scenes/s04_conectividad.py" for d in deps)
    closure = import_closure([module_path(Segment("demo", "narration.demo", "NarrationDemo"))])
    assert any(p.name == "scene.py" for p in closure)


def test_mp4_writer_is_atomic(tmp_path, monkeypatch):
    """A write that fails halfway leaves the previous file as it was and no temporary file."""
    from scenes.media import streams as media_io

    src = write_grey_ramp(tmp_path / "src.mp4", frames=15, step=10)
    track = media_io.scan_video(src)
    assert track.frames == 15 and track.fps == 15
    dest = tmp_path / "out.mp4"
    media_io.write_mp4(dest, [track], media_io.encode_aac(np.zeros((2, RATE), np.float32)))
    good = dest.read_bytes()
    assert media_io.is_fast_start(dest)

    def broken(*args, **kwargs):
        yield from []
        raise OSError("disk full")

    monkeypatch.setattr(media_io, "_copied_packets", broken)
    with pytest.raises(OSError, match="disk full"):
        media_io.write_mp4(dest, [track, track], media_io.encode_aac(np.zeros((2, 2 * RATE), np.float32)))
    assert dest.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_thumbnail_layout(tmp_path, monkeypatch):
    from manim import tempconfig

    from scenes.kit.layout import layout_problems
    from scenes.thumbnail import Miniatura, storyboard

    for lang in ("es", "en"):
        monkeypatch.setenv("LECTURE_LANG", lang)
        with tempconfig({"dry_run": True, "media_dir": str(tmp_path), "pixel_width": 1280,
                         "pixel_height": 720, "verbosity": "ERROR"}):
            scene = Miniatura()
            scene.render()
        assert layout_problems(scene.mobjects) == [], lang
    board = storyboard()
    assert board.output.shape == (3, 3) and board.steps[3].output == (1, 0)


def test_loudness_of_pieces_measured_apart_gates_like_the_whole():
    """The lecture's loudness comes from its segments' blocks: joined, they give what the whole
    signal measures (pyloudnorm, independently), to a few hundredths of a LU."""
    import pyloudnorm

    x = np.concatenate([speechlike(20, seed=1, level=0.05), speechlike(30, seed=2, level=0.2)], axis=1)
    reference = pyloudnorm.Meter(RATE).integrated_loudness(x.T.astype(np.float64))
    assert ld.integrated_loudness(x, RATE) == pytest.approx(reference, abs=0.02)
    cut = 20 * RATE
    joined = ld.Blocks.join([ld.blocks(x[:, :cut], RATE), ld.blocks(x[:, cut:], RATE)])
    assert joined.loudness() == pytest.approx(reference, abs=0.05)
    assert ld.blocks(x, RATE).scaled(-6).loudness() == pytest.approx(reference - 6, abs=1e-9)


def test_true_peak_skips_only_blocks_that_cannot_hold_it():
    """The bounded search gives exactly what oversampling the whole signal gives."""
    from scipy.signal import resample_poly

    for seed, level in ((0, 0.1), (3, 0.6)):
        x = speechlike(12, seed=seed, level=level)[:1]
        x[0, 5 * RATE + 7:5 * RATE + 11] = [0.3, 0.9, -0.9, 0.3]     # an inter-sample peak
        brute = max(np.abs(resample_poly(x, 4, 1, axis=1)).max(), np.abs(x).max())
        assert ld.true_peak(x) == pytest.approx(20 * math.log10(brute), abs=1e-4)
        full = ld.peak_envelope(x)
        above = 0.5
        partial = ld.peak_envelope(x, above=above)
        exact = full > above
        assert np.array_equal(partial[exact], full[exact])
        assert np.allclose(full, np.abs(resample_poly(x, 4, 1, axis=1)).reshape(-1, 4).max(axis=1)
                           .clip(min=np.abs(x[0])), rtol=1e-5, atol=1e-7)
        assert np.all(partial[~exact] <= above) and np.all(partial <= full + 1e-7)


def test_aac_encoded_in_pieces_decodes_like_one_encoder(tmp_path):
    """The audio is encoded on two cores in two pieces; joined, the packets decode like one
    encoder's: the same frames, within the codec's own noise, the join included."""
    from scenes.media import streams as media_io

    x = speechlike(8, seed=5, level=0.2)
    x[1] *= 0.5
    whole = media_io.encode_aac(x, RATE, jobs=1)
    halves = media_io.encode_aac(x, RATE, jobs=2)
    assert halves.pts == whole.pts == [(i - 1) * 1024 for i in range(len(whole.pts))]
    assert halves.durations == whole.durations

    a, b = (decoded_aac(enc)[:, :x.shape[1]] for enc in (whole, halves))
    noise = np.sqrt(np.mean((a - x) ** 2))
    assert noise < 0.01
    join = (len(whole.pts) // 2) * 1024
    near = slice(join - 4096, join + 4096)
    assert np.sqrt(np.mean((b[:, near] - x[:, near]) ** 2)) < 2 * noise + 1e-4
    assert np.sqrt(np.mean((b - x) ** 2)) < 1.05 * noise


def test_an_aac_stretch_plays_from_its_first_sample(tmp_path):
    """A clip's audio is a stretch of the lecture's packets: one packet before it for the
    decoder, an edit list to start at its first sample; read back, it is the lecture's audio
    for those samples."""
    import av

    from scenes.media import streams as media_io

    x = speechlike(6, seed=7, level=0.2)
    enc = media_io.encode_aac(x, RATE)
    src = write_grey_ramp(tmp_path / "v.mp4", frames=30, step=8)
    track = media_io.scan_video(src)
    assert track.starts_on_key_frame
    whole, piece = tmp_path / "whole.mp4", tmp_path / "piece.mp4"
    media_io.write_mp4(whole, [track, track, track], enc)
    start = 2 * RATE + 1234
    media_io.write_mp4(piece, [track], enc, audio_start=start)

    def audio(path):
        with av.open(str(path)) as c:
            frames = list(c.decode(audio=0))
        assert frames[0].pts == 0
        return np.concatenate([f.to_ndarray() for f in frames], axis=1)

    a, b = audio(whole), audio(piece)
    n = 2 * RATE
    assert b.shape[1] >= n
    assert np.array_equal(b[:, :n], a[:, start:start + n])
    assert media_io.probe(piece).audio_duration == pytest.approx(2.0, abs=0.002)


def test_audio_encoded_apart_joins_by_copying_and_each_piece_decodes_as_alone():
    """The lecture copies each segment's encoded sound: piece k starts on the packet boundary
    nearest the lengths before it (never more than 512 samples off, never adding up), and from
    its first sample to its trailing silence it decodes to exactly what it decodes to alone."""
    from scenes.media import streams as media_io

    lengths = [int(1.31 * RATE) + 7, int(0.77 * RATE) + 333, int(1.1 * RATE) + 1000]
    pieces = []
    for k, n in enumerate(lengths):
        x = speechlike(n / RATE + 0.01, seed=k, level=0.2)[:, :n]
        x[:, n - RATE // 10:] = 0                     # a segment ends on a held, silent frame
        pieces.append(media_io.encode_aac(x, RATE, jobs=1))
    joined, starts = media_io.join_aac(pieces, lengths)
    assert joined.pts == [(i - 1) * 1024 for i in range(len(joined.pts))]
    assert starts == media_io.joined_starts(lengths) and starts[0] == 0
    assert all(s % 1024 == 0 and abs(s - sum(lengths[:k])) <= 512 for k, s in enumerate(starts))
    whole = decoded_aac(joined)
    for piece, start, n in zip(pieces, starts, lengths):
        alone = decoded_aac(piece)
        sounding = n - RATE // 10                     # up to its trailing silence
        assert np.array_equal(whole[:, start:start + sounding], alone[:, :sounding])
    with pytest.raises(ValueError, match="different settings"):
        mono = media_io.encode_aac(speechlike(0.6)[:1], RATE)
        media_io.join_aac([pieces[0], mono], [lengths[0], RATE // 2])

"""The lecture pipeline end to end, on a small lecture at low quality.

The small lecture is three short segments: the narration demo, segment 4 (connectivity) and a
copy of the demo under another id. It is built once per test session (shared by xdist workers
through a lock) in a copy of the repository, so tests can edit narration text without touching
the real one, and read back with PyAV: codecs, profile, pixel format, audio, fast start,
durations, chapters, subtitles, thumbnail and loudness. Other tests copy it to try an
incremental rebuild and a render killed halfway.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pyloudnorm
import pytest
from scipy.signal import resample_poly

from scenes.narration.subtitles import cue_problems, parse_srt

REPO = Path(__file__).resolve().parent.parent
SMALL = [
    {"id": "demo", "module": "narration.demo", "scene": "NarrationDemo"},
    {"id": "s04_conectividad", "module": "s04_conectividad", "scene": "ConectividadFiltros"},
    {"id": "demo_bis", "module": "demo_bis", "scene": "DemoBis"},
]
DEMO_BIS = '''"""A copy of the narration demo under another id (tests only)."""
from scenes.narration.demo import NarrationDemo


class DemoBis(NarrationDemo):
    segment_id = "demo_bis"
'''
TITLES = {"es": "Otra demostración", "en": "Another demonstration"}


# --------------------------------------------------------------------------- helpers


def copy_repo(dest: Path, segments: list[dict] = SMALL) -> Path:
    """The code a render needs, copied to ``dest`` (plus the demo_bis segment and a registry)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "scenes", dest / "scenes", ignore=ignore)
    shutil.copytree(REPO / "convmath", dest / "convmath", ignore=ignore)
    shutil.copy(REPO / "manim.cfg", dest / "manim.cfg")
    (dest / "scenes" / "demo_bis.py").write_text(DEMO_BIS)
    for lang, title in TITLES.items():
        text = json.loads((dest / "scenes/narration/text" / lang / "demo.json").read_text())
        text["title"] = title
        (dest / "scenes/narration/text" / lang / "demo_bis.json").write_text(
            json.dumps(text, ensure_ascii=False, indent=1))
    (dest / "registry.json").write_text(json.dumps(segments))
    return dest


def run_lecture(repo: Path, media: Path, *args: str, lang: str = "es", voice: str = "espeak",
                timeout: float = 600, extra_env: dict[str, str] | None = None,
                **kwargs) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "scenes.production.lecture", "--registry", str(repo / "registry.json"),
           "--lang", lang, "--voice", voice, "--quality", "low", "--media", str(media), "--jobs", "2",
           *args]
    env = dict(os.environ, LECTURE_VOICE_CACHE=str(media.parent / "voice"), **(extra_env or {}))
    env.pop("LECTURE_RECORDINGS", None)
    return subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=timeout,
                          **kwargs)


@contextmanager
def file_lock(path: Path):
    with open(path, "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def shared_build(tmp_path_factory, worker_id: str, name: str, build) -> Path:
    """``build(base)`` once per session, whichever xdist worker gets there first."""
    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        root = root.parent
    base = root / name
    with file_lock(root / f"{name}.lock"):
        done = base / "done"
        if not done.exists():
            shutil.rmtree(base, ignore_errors=True)
            base.mkdir(parents=True)
            build(base)
            done.write_text("ok")
    return base


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def loudness_of(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP, 4× oversampled) of a file's audio,
    measured here independently of the pipeline's own code."""
    with av.open(str(path)) as c:
        frames = [f.to_ndarray() for f in c.decode(audio=0)]
    audio = np.concatenate(frames, axis=1)                        # (channels, samples), fltp
    lufs = pyloudnorm.Meter(48000).integrated_loudness(audio.T.astype(np.float64))
    over = resample_poly(audio.astype(np.float32), 4, 1, axis=1)
    peak = 20 * math.log10(max(np.abs(over).max(), np.abs(audio).max()))
    return lufs, peak


def segment_frames(path: Path) -> int:
    with av.open(str(path)) as c:
        return sum(1 for p in c.demux(video=0) if p.dts is not None)


# --------------------------------------------------------------------------- the small lecture


@pytest.fixture(scope="session")
def small_lecture(tmp_path_factory, worker_id):
    def build(base: Path) -> None:
        repo = copy_repo(base / "repo")
        proc = run_lecture(repo, base / "media")
        (base / "first-run.txt").write_text(proc.stdout + proc.stderr)
        assert proc.returncode == 0, proc.stdout + proc.stderr

    return shared_build(tmp_path_factory, worker_id, "small_lecture", build)


@pytest.fixture
def lecture_copy(small_lecture, tmp_path):
    """A private copy of the small lecture (code and media) to change."""
    shutil.copytree(small_lecture / "repo", tmp_path / "repo", symlinks=True)
    shutil.copytree(small_lecture / "media", tmp_path / "media", symlinks=True)
    if (small_lecture / "voice").exists():
        shutil.copytree(small_lecture / "voice", tmp_path / "voice")
    return tmp_path


def bundle(base: Path, lang: str = "es") -> Path:
    return base / "media" / "youtube" / lang


@pytest.mark.render
def test_first_run_renders_in_parallel_and_reports_progress(small_lecture):
    out = (small_lecture / "first-run.txt").read_text()
    assert "3 segment(s), 3 to render, 0 unchanged; 2 at a time" in out
    for n in (1, 2, 3):
        assert re.search(rf"\[{n}/3\] \w+: rendered in (\d+ min \d+|[\d.]+) s", out), out
    assert "thumbnail: rendered" in out
    assert "bundle: " in out


@pytest.mark.render
def test_lecture_mp4_is_what_youtube_recommends(small_lecture):
    lecture = bundle(small_lecture) / "lecture.mp4"
    segments = [small_lecture / "media/lecture/es" / f"{s['id']}.mp4" for s in SMALL]
    with av.open(str(lecture)) as c:
        v, a = c.streams.video[0], c.streams.audio[0]
        assert v.codec_context.name == "h264" and v.codec_context.profile == "High"
        assert v.codec_context.pix_fmt == "yuv420p"
        # low quality: 854×480 at 15 fps (``make lecture`` uses high: 1920×1080 at 60)
        assert (v.codec_context.width, v.codec_context.height) == (854, 480)
        assert a.codec_context.name == "aac" and a.codec_context.profile == "LC"
        assert a.codec_context.sample_rate == 48000 and a.codec_context.layout.nb_channels == 2
        assert a.metadata.get("language") == "spa"
        duration = c.duration / av.time_base
        frames = [p for p in c.demux(v) if p.dts is not None]
        gaps = {b.pts - a_.pts for a_, b in zip(sorted(frames, key=lambda p: p.pts),
                                                 sorted(frames, key=lambda p: p.pts)[1:])}
        fps = 1 / (Fraction(min(gaps)) * v.time_base)
    assert fps == 15 and len(gaps) == 1                 # constant frame rate
    # Fast start: the index (moov) before the media (mdat).
    assert top_level_boxes(lecture).index(b"moov") < top_level_boxes(lecture).index(b"mdat")
    # Its length is the sum of its segments' (frame counts over the frame rate).
    total_frames = sum(segment_frames(s) for s in segments)
    assert len(frames) == total_frames
    assert duration == pytest.approx(total_frames / 15, abs=0.002)


@pytest.mark.render
def test_clips_are_the_segments_each_with_its_subtitles(small_lecture):
    clips = bundle(small_lecture) / "clips"
    for n, seg in enumerate(SMALL, 1):
        clip = clips / f"{n:02d}_{seg['id']}.mp4"
        source = small_lecture / "media/lecture/es" / f"{seg['id']}.mp4"
        with av.open(str(clip)) as c:
            assert c.streams.video[0].codec_context.profile == "High"
            assert c.streams.audio[0].codec_context.sample_rate == 48000
            assert c.duration / av.time_base == pytest.approx(segment_frames(source) / 15, abs=0.002)
        head = clip.read_bytes()[:1 << 16]
        assert 0 <= head.find(b"moov") < head.find(b"mdat")
        cues = parse_srt(clip.with_suffix(".srt").read_text())
        assert cues and cue_problems(cues) == []
        assert clip.with_suffix(".vtt").read_text().startswith("WEBVTT")
    playlist = (clips / "playlist.txt").read_text().splitlines()
    assert [line.split()[0] for line in playlist] == [f"{n:02d}_{s['id']}.mp4" for n, s in enumerate(SMALL, 1)]


def video_packets(path: Path) -> list[tuple[bytes, bool]]:
    """A file's video packets in decoding order: their bytes and whether each is a key frame."""
    with av.open(str(path)) as c:
        return [(bytes(p), p.is_keyframe) for p in c.demux(video=0) if p.dts is not None]


def decoded_audio(path: Path) -> np.ndarray:
    """A file's audio as PyAV decodes it (edit lists applied), from its first sample."""
    with av.open(str(path)) as c:
        frames = list(c.decode(audio=0))
    assert frames[0].pts == 0, path.name               # playback starts on the first sample
    return np.concatenate([f.to_ndarray() for f in frames], axis=1)


@pytest.mark.render
def test_clips_are_cut_from_the_lecture_on_key_frames(small_lecture):
    """Each clip is the lecture's stretch for its segment: the very same video packets (the
    segment's own, from its first frame, a key frame) and the segment's own audio packets,
    copied: decoded, the clip and the segment give the same samples, and so does the lecture,
    where a segment's audio starts on the AAC packet boundary nearest its first frame, up to
    the silence under the segment's held last frame."""
    lecture = bundle(small_lecture) / "lecture.mp4"
    lecture_video = video_packets(lecture)
    lecture_audio = decoded_audio(lecture)
    frame = 0
    for n, seg in enumerate(SMALL, 1):
        clip = bundle(small_lecture) / "clips" / f"{n:02d}_{seg['id']}.mp4"
        segment = small_lecture / "media/lecture/es" / f"{seg['id']}.mp4"
        source = video_packets(segment)
        packets = video_packets(clip)
        assert packets[0][1], f"{clip.name} does not start on a key frame"
        assert [p for p, _ in packets] == [p for p, _ in source]
        assert [p for p, _ in packets] == [p for p, _ in lecture_video[frame:frame + len(packets)]]
        first_frame, length = frame * 48000 // 15, len(packets) * 48000 // 15
        start = 1024 * round(first_frame / 1024)
        assert abs(start - first_frame) <= 512           # 11 ms at most, never adding up
        audio, own = decoded_audio(clip), decoded_audio(segment)
        assert audio.shape[1] >= length and np.array_equal(audio, own), clip.name
        sounding = length - 48000 // 10                  # up to the held last frame's silence
        assert np.array_equal(audio[:, :sounding], lecture_audio[:, start:start + sounding]), clip.name
        frame += len(packets)
    assert frame == len(lecture_video)


@pytest.mark.render
def test_subtitles_are_merged_and_offset(small_lecture):
    folder = bundle(small_lecture)
    merged = parse_srt((folder / "lecture.srt").read_text())
    assert cue_problems(merged) == []
    expected, offset = [], 0.0
    for seg in SMALL:
        video = small_lecture / "media/lecture/es" / f"{seg['id']}.mp4"
        cues = parse_srt(video.with_suffix(".srt").read_text())
        expected += [(c.start + offset, c.lines) for c in cues]
        offset += segment_frames(video) / 15
    assert [c.lines for c in merged] == [lines for _, lines in expected]
    assert [c.start for c in merged] == pytest.approx([t for t, _ in expected], abs=0.002)
    assert merged[-1].end <= offset + 1e-3
    vtt = (folder / "lecture.vtt").read_text()
    assert vtt.startswith("WEBVTT\nKind: captions\nLanguage: es\n")
    assert vtt.count(" --> ") == len(merged)
    assert "convolución" in (folder / "lecture.srt").read_text()


@pytest.mark.render
def test_description_has_chapters_from_the_real_video(small_lecture):
    from scenes.production.assemble import MIN_CHAPTER_SECONDS
    from scenes.narration.lecture_text import lecture_text

    folder = bundle(small_lecture)
    text = (folder / "description.txt").read_text()
    lines = text.splitlines()
    assert lines[0] == lecture_text("es")["title"]
    assert lecture_text("es")["description"] in text
    chapters = [m.groups() for m in (re.match(r"^(\d+:\d\d) (.+)$", line) for line in lines) if m]
    titles = [json.loads((small_lecture / "repo/scenes/narration/text/es" / f"{s['id']}.json")
                         .read_text())["title"] for s in SMALL]
    assert [t for _, t in chapters] == titles
    starts, t = [], 0.0
    for seg in SMALL:
        starts.append(t)
        t += segment_frames(small_lecture / "media/lecture/es" / f"{seg['id']}.mp4") / 15
    stamps = [int(m) * 60 + int(s) for m, s in (c[0].split(":") for c in chapters)]
    assert stamps == [math.floor(s) for s in starts]
    assert stamps[0] == 0 and len(stamps) >= 3
    lengths = [b - a for a, b in zip(stamps, stamps[1:] + [t])]
    assert min(lengths) >= MIN_CHAPTER_SECONDS


def top_level_boxes(path: Path) -> list[bytes]:
    """The types of an MP4's top-level boxes, in file order."""
    import struct

    boxes = []
    with open(path, "rb") as f:
        while header := f.read(8):
            size, kind = struct.unpack(">I4s", header)
            if size == 1:
                size = struct.unpack(">Q", f.read(8))[0] - 8
            boxes.append(kind)
            if size == 0:
                break
            f.seek(size - 8, 1)
    return boxes


@pytest.mark.render
def test_thumbnail_is_1280x720_under_2_mb(small_lecture):
    from PIL import Image

    png = bundle(small_lecture) / "thumbnail.png"
    assert png.stat().st_size < 2 * 1024 * 1024
    with Image.open(png) as im:
        assert im.size == (1280, 720) and im.mode == "RGB"
        colours = im.convert("RGB").getcolors(1 << 20)
    assert colours is not None and len(colours) > 50          # a picture, not a blank frame


@pytest.mark.render
def test_loudness_is_minus_16_lufs_and_peaks_under_minus_1_dbtp(small_lecture):
    folder = bundle(small_lecture)
    for path in [folder / "lecture.mp4", *sorted((folder / "clips").glob("*.mp4"))]:
        lufs, peak = loudness_of(path)
        assert lufs == pytest.approx(-16.0, abs=1.0), path.name
        assert peak <= -1.0, path.name


@pytest.mark.render
def test_second_run_with_nothing_changed_reuses_everything_quickly(lecture_copy):
    start = time.monotonic()
    proc = run_lecture(lecture_copy / "repo", lecture_copy / "media")
    elapsed = time.monotonic() - start
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 segment(s), 0 to render, 3 unchanged" in proc.stdout
    assert "built: nothing" in proc.stdout
    assert elapsed < 15


@pytest.mark.render
def test_formulas_compiled_once_serve_every_later_render(lecture_copy, tmp_path):
    """Renders share what they compile (``media/cache/``): with LaTeX switched off, a forced
    re-render of a segment with formulas fails without that cache and succeeds with it."""
    repo, media = lecture_copy / "repo", lecture_copy / "media"
    cache = media / "cache"
    assert list((cache / "Tex").glob("*.svg")) and list((cache / "texts-854x480").glob("*.svg"))
    switched_off = tmp_path / "no-latex"
    switched_off.mkdir()
    for tool in ("latex", "dvisvgm", "pdflatex", "xelatex", "lualatex"):
        script = switched_off / tool
        script.write_text("#!/bin/sh\necho 'LaTeX is switched off by this test' >&2\nexit 1\n")
        script.chmod(0o755)
    path = {"PATH": f"{switched_off}{os.pathsep}{os.environ['PATH']}"}

    os.replace(cache, tmp_path / "cache")
    proc = run_lecture(repo, media, "s04_conectividad", "--force", "--no-bundle", extra_env=path)
    assert proc.returncode != 0, "the render compiled its formulas with LaTeX switched off"
    os.replace(tmp_path / "cache", cache)
    proc = run_lecture(repo, media, "s04_conectividad", "--force", "--no-bundle", extra_env=path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "s04_conectividad: rendered" in proc.stdout


@pytest.mark.render
def test_changing_one_narration_rerenders_only_that_segment(lecture_copy):
    repo, media = lecture_copy / "repo", lecture_copy / "media"
    folder = bundle(lecture_copy)
    text_file = repo / "scenes/narration/text/es/demo_bis.json"
    text = json.loads(text_file.read_text())
    text["beats"][1]["text"] += " Y nada más."
    text_file.write_text(json.dumps(text, ensure_ascii=False))
    untouched = {p: p.stat().st_mtime_ns for p in
                 [media / "lecture/es/demo.mp4", media / "lecture/es/s04_conectividad.mp4",
                  folder / "clips/01_demo.mp4", folder / "clips/02_s04_conectividad.mp4",
                  folder / "thumbnail.png"]}
    old_lecture = sha(folder / "lecture.mp4")

    proc = run_lecture(repo, media)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 segment(s), 1 to render, 2 unchanged" in proc.stdout
    assert re.search(r"\[1/1\] demo_bis: rendered", proc.stdout)
    assert "demo: rendered" not in proc.stdout and "s04_conectividad: rendered" not in proc.stdout
    assert {p: p.stat().st_mtime_ns for p in untouched} == untouched
    assert sha(folder / "lecture.mp4") != old_lecture
    assert "Y nada más." in (folder / "lecture.srt").read_text().replace("\n", " ")


@pytest.mark.render
def test_a_render_killed_halfway_leaves_the_previous_files(lecture_copy):
    repo, media = lecture_copy / "repo", lecture_copy / "media"
    dest = media / "lecture/es"
    kept = {name: sha(dest / name) for name in
            ("s04_conectividad.mp4", "s04_conectividad.srt", "s04_conectividad.stamp")}
    cmd = [sys.executable, "-m", "scenes.production.lecture", "s04_conectividad", "--force", "--registry",
           str(repo / "registry.json"), "--voice", "espeak", "--quality", "low", "--media", str(media)]
    env = dict(os.environ, LECTURE_VOICE_CACHE=str(lecture_copy / "voice"))
    proc = subprocess.Popen(cmd, cwd=repo, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:   # until manim has written a few partial movies
            if len(list((dest / ".scratch").rglob("uncached_*.mp4"))) >= 3 or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the render finished before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert {name: sha(dest / name) for name in kept} == kept
    assert not list(dest.glob("*.part")) and not list(dest.glob(".*.part"))
    with av.open(str(dest / "s04_conectividad.mp4")) as c:
        assert c.duration / av.time_base > 30
    # The next run finds the previous render still current and clears the dead scratch folder.
    again = run_lecture(repo, media, "s04_conectividad")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "0 to render, 1 unchanged" in again.stdout
    assert not any((dest / ".scratch").iterdir())


@pytest.mark.render
def test_english_bundle_is_in_english(tmp_path):
    repo = copy_repo(tmp_path / "repo", SMALL[:1])
    proc = run_lecture(repo, tmp_path / "media", lang="en", voice="estimate")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    from scenes.narration.lecture_text import lecture_text

    folder = bundle(tmp_path, "en")
    assert (folder / "description.txt").read_text().startswith(lecture_text("en")["title"] + "\n")
    title = json.loads((repo / "scenes/narration/text/en/demo.json").read_text())["title"]
    assert f"\n0:00 {title}\n" in (folder / "description.txt").read_text()
    assert "convolution" in (folder / "lecture.srt").read_text()
    assert (folder / "lecture.vtt").read_text().startswith("WEBVTT\nKind: captions\nLanguage: en")
    with av.open(str(folder / "lecture.mp4")) as c:
        assert c.streams.audio[0].metadata.get("language") == "eng"
    # one segment: the pipeline says YouTube will not show chapters
    assert "YouTube shows chapters only from 3 on" in proc.stdout
    # the estimate voice is silent: nothing to normalise, and it says so
    assert "silent audio" in proc.stdout
    from PIL import Image

    with Image.open(folder / "thumbnail.png") as im:
        assert im.size == (1280, 720)

"""Shared fixtures: running a lecture segment without writing video."""

from __future__ import annotations

import importlib

import pytest


def _segment(segment_id: str):
    from scenes.segments import SEGMENTS

    for seg in SEGMENTS:
        if seg.id == segment_id:
            return seg
    raise KeyError(segment_id)


@pytest.fixture(scope="session")
def manim_cache(tmp_path_factory):
    """LaTeX and text renders shared by every segment run of a test session."""
    return tmp_path_factory.mktemp("manim-cache")


@pytest.fixture(scope="session", autouse=True)
def own_latex_folder(manim_cache):
    """Formulas built outside a render (kit and layout tests) compile into this session's own
    folder: two test workers compiling the same new formula into the shared media/Tex at once
    delete each other's files (seen on a fresh clone, where that folder starts empty)."""
    from manim import config

    saved = config.tex_dir, config.text_dir
    config.tex_dir, config.text_dir = str(manim_cache / "Tex"), str(manim_cache / "texts")
    yield
    config.tex_dir, config.text_dir = saved


# What a viewer needs of every narrated segment (see scenes/narration/viewing.py): each anchor
# shown within this many seconds of its word, and at least this many anchors per segment.
MARK_TOLERANCE = 0.3
MIN_MARKS = 4
# Frames a second of the segments' dry runs: fine enough to time anchors within the
# tolerance (a frame is 0.2 s), a third of the cost of a 15 fps render.
DRY_RUN_FPS = 5


def watching_problems(scene) -> list[str]:
    """What a viewer would see wrong in a narrated segment's dry run: the viewing checks'
    findings, anchors shown late or early, too few anchors."""
    problems = list(scene.viewing.problems()) if scene.viewing is not None else ["not watched"]
    marks = [(b["id"], m) for b in scene.spoken_beats for m in b.get("marks", [])]
    for beat_id, m in marks:
        off = m["shown"] - m["spoken"]
        if abs(off) > MARK_TOLERANCE:
            problems.append(f"anchor {beat_id}/{m['name']} shown {off:+.2f} s from its word")
    if len(marks) < MIN_MARKS:
        problems.append(f"only {len(marks)} anchors (at least {MIN_MARKS})")
    return problems


@pytest.fixture
def run_segment(tmp_path, monkeypatch, manim_cache):
    """Run a segment's scene in Manim's dry run (every animation computed, every frame drawn
    small, nothing written) with the silent ``estimate`` voice and the viewing checks on;
    returns the scene for inspection. A narrated segment must pass :func:`watching_problems`
    (``watch=False`` skips that, for a test that looks at something else)."""

    def run(segment_id: str, lang: str = "es", scene_class=None, watch: bool = True,
            **config_overrides):
        from manim import tempconfig

        from scenes.narration.scene import NarratedScene

        monkeypatch.setenv("LECTURE_LANG", lang)
        monkeypatch.setenv("LECTURE_VOICE", "estimate")
        monkeypatch.setenv("LECTURE_VOICE_CACHE", str(tmp_path / "voice"))
        monkeypatch.setenv("LECTURE_VIEWING", "1")
        if scene_class is None:
            seg = _segment(segment_id)
            scene_class = getattr(importlib.import_module(f"scenes.{seg.module}"), seg.scene)
        narrated = issubclass(scene_class, NarratedScene)
        # (scenes that are not narrated have no voice to keep time with: one frame a second)
        settings = {"dry_run": True, "quality": "low_quality",
                    "frame_rate": DRY_RUN_FPS if narrated else 1,
                    "pixel_height": 180, "pixel_width": 320, "media_dir": str(tmp_path),
                    "tex_dir": str(manim_cache / "Tex"), "text_dir": str(manim_cache / "texts"),
                    "disable_caching": True, "verbosity": "ERROR", "progress_bar": "none"}
        settings.update(config_overrides)
        with tempconfig(settings):
            scene = scene_class()
            scene.render()
        if watch and narrated:
            problems = watching_problems(scene)
            assert problems == [], f"{segment_id} ({lang}): " + "\n".join(problems)
        return scene

    return run


@pytest.fixture
def probe_scene(tmp_path, monkeypatch):
    """Dry-run a NarratedScene class whose segment id is ``probe``, with a narration text of
    the given beats (both languages), the estimate voice and the viewing checks on."""

    def run(scene_class, beats, fps: int = 15, lang: str = "es"):
        import json

        from manim import tempconfig

        from scenes.narration import segment_text

        for code in ("es", "en"):
            folder = tmp_path / "text" / code
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "probe.json").write_text(
                json.dumps({"title": "Probe", "strings": {}, "beats": beats}), encoding="utf-8")
        monkeypatch.setattr(segment_text, "TEXT_DIR", tmp_path / "text")
        monkeypatch.setenv("LECTURE_VOICE", "estimate")
        monkeypatch.setenv("LECTURE_LANG", lang)
        monkeypatch.setenv("LECTURE_VOICE_CACHE", str(tmp_path / "voice"))
        with tempconfig({"dry_run": True, "frame_rate": fps, "pixel_height": 180,
                         "pixel_width": 320, "media_dir": str(tmp_path), "disable_caching": True,
                         "verbosity": "ERROR", "progress_bar": "none"}):
            scene = scene_class(viewing=True)
            scene.render()
        return scene

    return run

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


@pytest.fixture
def run_segment(tmp_path, monkeypatch, manim_cache):
    """Run a segment's scene in Manim's dry run (every animation computed, nothing written)
    with the silent ``estimate`` voice; returns the scene for inspection."""

    def run(segment_id: str, lang: str = "es", scene_class=None, **config_overrides):
        from manim import tempconfig

        monkeypatch.setenv("LECTURE_LANG", lang)
        monkeypatch.setenv("LECTURE_VOICE", "estimate")
        monkeypatch.setenv("LECTURE_VOICE_CACHE", str(tmp_path / "voice"))
        if scene_class is None:
            seg = _segment(segment_id)
            scene_class = getattr(importlib.import_module(f"scenes.{seg.module}"), seg.scene)
        # One frame a second: every animation still runs, at a fifth of the cost.
        settings = {"dry_run": True, "quality": "low_quality", "frame_rate": 1,
                    "pixel_height": 180, "pixel_width": 320, "media_dir": str(tmp_path),
                    "tex_dir": str(manim_cache / "Tex"), "text_dir": str(manim_cache / "texts"),
                    "disable_caching": True, "verbosity": "ERROR", "progress_bar": "none"}
        settings.update(config_overrides)
        with tempconfig(settings):
            scene = scene_class()
            scene.render()
        return scene

    return run

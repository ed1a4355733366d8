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


@pytest.fixture
def run_segment(tmp_path, monkeypatch):
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
        settings = {"dry_run": True, "quality": "low_quality", "frame_rate": 5,
                    "pixel_height": 180, "pixel_width": 320, "media_dir": str(tmp_path),
                    "disable_caching": True, "verbosity": "ERROR", "progress_bar": "none"}
        settings.update(config_overrides)
        with tempconfig(settings):
            scene = scene_class()
            scene.render()
        return scene

    return run

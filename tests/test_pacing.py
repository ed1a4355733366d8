"""Inside a beat, long plays run at their natural length and hold the last frame."""

import pytest
from manim import AnimationGroup, FadeIn, Scene, Square, Succession, Wait, tempconfig

from scenes.narration.pacing import MOTION_CAP, STEP_CAP, natural_run_time
from scenes.narration.scene import NarratedScene


def test_one_animation_is_capped():
    assert natural_run_time(FadeIn(Square()), 5.0) == pytest.approx(MOTION_CAP)
    assert natural_run_time(FadeIn(Square()), 0.5) == pytest.approx(0.5)


def test_a_succession_keeps_a_pace_per_step():
    steps = Succession(*(FadeIn(Square()) for _ in range(4)))
    assert natural_run_time(steps, 20.0) == pytest.approx(4 * STEP_CAP)
    assert natural_run_time(steps, 2.0) == pytest.approx(2.0)  # already brisk: unchanged


def test_a_group_lasts_as_long_as_its_longest_part():
    steps = Succession(*(FadeIn(Square()) for _ in range(5)))
    group = AnimationGroup(steps, FadeIn(Square()))
    assert natural_run_time(group, 30.0) == pytest.approx(5 * STEP_CAP)


class _Paced(NarratedScene):
    segment_id = "s04_conectividad"

    def construct(self):
        self.play(FadeIn(Square()), run_time=3.0)            # outside a beat: as asked
        with self.beat("title"):
            self.play(FadeIn(Square()), run_time=5.0)        # inside: capped, then held
            self.wait(0.5)


def test_inside_a_beat_motion_is_capped_and_the_time_kept(tmp_path, monkeypatch):
    played = []
    original = Scene.play

    def record(self, *animations, **kwargs):
        original(self, *animations, **kwargs)
        played.append((type(self.animations[0]).__name__, round(self.duration, 3)))

    monkeypatch.setattr(Scene, "play", record)
    monkeypatch.setenv("LECTURE_VOICE", "estimate")
    monkeypatch.setenv("LECTURE_LANG", "es")
    monkeypatch.setenv("LECTURE_VOICE_CACHE", str(tmp_path / "voice"))
    with tempconfig({"dry_run": True, "frame_rate": 15, "pixel_height": 180, "pixel_width": 320,
                     "media_dir": str(tmp_path), "disable_caching": True, "verbosity": "ERROR"}):
        scene = _Paced()
        scene.render()
    assert played[0] == ("FadeIn", 3.0)
    assert played[1] == ("FadeIn", MOTION_CAP)
    assert played[2] == ("Wait", pytest.approx(5.0 - MOTION_CAP))
    assert played[3] == ("Wait", 0.5)
    assert isinstance(scene, NarratedScene)
    assert float(scene.time) >= 3.0 + 5.0 + 0.5


def test_a_held_frame_encodes_as_manims_encoder_does(tmp_path):
    """The held-frame encoder sends one converted frame ``repeat`` times; decoded, the video is
    the one Manim's own encoder makes, frame for frame."""
    from fractions import Fraction

    import av
    import numpy as np
    from manim._config.video_encoder import VideoEncoderSpec
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    from scenes.narration.held_frames import HeldFrameEncoder

    spec = VideoEncoderSpec("mp4", "libx264", "yuv420p", 160, 96, Fraction(15),
                            (("crf", "23"), ("preset", "veryfast")))
    rng = np.random.default_rng(3)
    first = rng.integers(0, 255, (96, 160, 4), dtype=np.uint8)
    held = np.full((96, 160, 4), 40, np.uint8)
    held[20:60, 30:120, :3] = (200, 120, 30)
    decoded = {}
    for name, cls in (("manim", VideoSegmentEncoder), ("held", HeldFrameEncoder)):
        target = tmp_path / f"{name}.mp4"
        enc = cls(target=target, spec=spec)
        enc.write_frame(first)
        enc.write_frame(held, repeat=7)
        enc.finish()
        with av.open(str(target)) as c:
            decoded[name] = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    assert len(decoded["held"]) == len(decoded["manim"]) == 8
    for a, b in zip(decoded["held"], decoded["manim"]):
        assert np.array_equal(a, b)


def test_a_slide_redraws_what_it_moves_not_the_cells_before_it(tmp_path, monkeypatch):
    """A slide's group is the whole stage; only the footprint (drawn between the input's cells
    and its numbers) and what comes after it are redrawn, unless Manim's rule is asked for."""
    import numpy as np

    import convmath
    from scenes import kit
    from scenes.narration.scene import WHOLE_GROUPS_MOVE_ENV

    monkeypatch.setenv("LECTURE_VOICE", "estimate")
    monkeypatch.setenv("LECTURE_LANG", "es")
    monkeypatch.setenv("LECTURE_VOICE_CACHE", str(tmp_path / "voice"))
    sp = convmath.spec((5, 5), 3, stride=2, padding=1)
    board = convmath.storyboard(sp, np.arange(25).reshape(5, 5) % 4, np.ones((3, 3), dtype=int))
    with tempconfig({"dry_run": True, "media_dir": str(tmp_path), "verbosity": "ERROR"}):
        inp = kit.CellGrid(board.padded, cell_kind=board.cell_kind)
        out = kit.CellGrid(shape=sp.output, role="output")
        slider = kit.Slider(board, inp, out)
        scene = _Paced()
        scene.add(inp, out, *slider.mobjects)
        move = slider.fast_step(1)
        moving = set(scene.get_moving_mobjects(move))
        assert slider.footprint in moving and slider.marker in moving
        assert not any(cell in moving for cell in inp.cells)
        assert all(number in moving for number in inp.numbers)   # drawn over the footprint
        monkeypatch.setenv(WHOLE_GROUPS_MOVE_ENV, "1")
        assert all(cell in scene.get_moving_mobjects(move) for cell in inp.cells)

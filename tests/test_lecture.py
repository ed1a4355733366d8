"""The lecture runner: a real low-quality render of one segment, read back with PyAV."""

import subprocess
import sys

import av
import pytest

from scenes.narration.subtitles import cue_problems, parse_srt


@pytest.mark.render
def test_render_one_segment_then_reuse_it(tmp_path):
    cmd = [sys.executable, "-m", "scenes.lecture", "s04_conectividad", "--lang", "en",
           "--voice", "estimate", "--quality", "low", "--media", str(tmp_path)]
    first = subprocess.run(cmd, capture_output=True, text=True)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "s04_conectividad: rendered" in first.stdout
    video = tmp_path / "lecture" / "en" / "s04_conectividad.mp4"
    srt = video.with_suffix(".srt")
    with av.open(str(video)) as c:
        v = c.streams.video[0]
        a = c.streams.audio[0]
        assert v.codec_context.name == "h264"
        assert (v.codec_context.width, v.codec_context.height) == (854, 480)
        assert a.codec_context.name == "aac"
        duration = float(c.duration) / 1e6
    cues = parse_srt(srt.read_text())
    assert cues and cue_problems(cues) == []
    assert cues[-1].end <= duration + 0.1
    assert duration > 30

    again = subprocess.run(cmd, capture_output=True, text=True)
    assert again.returncode == 0
    assert "s04_conectividad: reused" in again.stdout


def test_unknown_segment_is_one_line_status_2():
    proc = subprocess.run([sys.executable, "-m", "scenes.lecture", "nope"], capture_output=True,
                          text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "unknown segment" in proc.stderr

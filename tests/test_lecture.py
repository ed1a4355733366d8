"""The lecture command's interface: listing, refusals, the environment of its renders.

Real renders, reuse, the bundle and interrupted renders are in test_production*.py.
"""

import json
import subprocess
import sys

from scenes.production.registry import render_env


def lecture(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "scenes.production.lecture", *args], capture_output=True,
                          text=True, **kwargs)


def test_unknown_segment_is_one_line_status_2():
    proc = lecture("nope")
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "unknown segment" in proc.stderr


def test_list_shows_every_segment_in_order():
    from scenes.segments import SEGMENTS

    proc = lecture("--list")
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert [line.split()[1] for line in lines] == [s.id for s in SEGMENTS]
    assert lines[0].split()[0] == "1"


def test_bad_registry_and_unknown_voice_are_one_line_status_2(tmp_path):
    reg = tmp_path / "r.json"
    reg.write_text("{}")
    proc = lecture("--registry", str(reg))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "registry" in proc.stderr
    reg.write_text(json.dumps([{"id": "demo", "module": "narration.demo", "scene": "NarrationDemo"}]))
    proc = lecture("--registry", str(reg), "--voice", "robot", "--media", str(tmp_path))
    assert proc.returncode == 2 and "unknown voice 'robot'" in proc.stderr
    proc = lecture("--registry", str(reg), "--voice", "recorded", "--fallback", "recorded")
    assert proc.returncode == 2 and "--fallback" in proc.stderr


def test_renders_never_see_scene_parameters():
    env = render_env({"CONV_INPUT": "9", "CONV_CONFIG": "x.json", "PATH": "/bin"}, LECTURE_LANG="en")
    assert env == {"PATH": "/bin", "LECTURE_LANG": "en"}


def test_lecture_clip_subcommand_refuses_impossible_parameters(tmp_path):
    import subprocess
    import sys
    out = tmp_path / "x.gif"
    proc = subprocess.run([sys.executable, "-m", "scenes.production.lecture", "clip", "5", "-k", "9",
                           "-o", str(out)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "larger than padded input" in proc.stderr
    assert not out.exists()


def test_lecture_benchmark_refuses_unknown_segments():
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, "-m", "scenes.production.lecture", "benchmark", "nope"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "unknown segment 'nope'" in proc.stderr

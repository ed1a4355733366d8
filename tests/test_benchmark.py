"""`lecture benchmark`: the end-to-end figures, from a real run of the lecture command."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from scenes.production.benchmark import BUNDLE_STEP, parse_seconds


def test_durations_read_as_the_lecture_command_prints_them():
    assert parse_seconds("12.3 s") == 12.3
    assert parse_seconds("2 min 05 s") == 125
    with pytest.raises(ValueError):
        parse_seconds("soon")
    line = "bundle: lecture.mp4 25:46 written in 14.2 s (25.0 s CPU); -16.0 LUFS"
    assert BUNDLE_STEP.match(line).groups() == ("lecture.mp4 25:46 written", "14.2", "25.0")
    line = "bundle: 13 clip(s) copied in 1.5 s (1.4 s CPU)"
    assert BUNDLE_STEP.match(line).groups()[1:] == ("1.5", "1.4")


def test_benchmark_refuses_what_it_cannot_run(tmp_path):
    (tmp_path / "x").write_text("")
    for args, message in ((["--jobs", "0"], "--jobs must be at least 1"),
                          (["--keep", str(tmp_path)], "is not empty")):
        proc = subprocess.run([sys.executable, "-m", "scenes.production.lecture", "benchmark", *args],
                              capture_output=True, text=True)
        assert proc.returncode == 2 and message in proc.stderr
        assert proc.stderr.count("\n") == 1


@pytest.mark.render
def test_benchmark_times_segments_bundle_and_rerun_end_to_end(tmp_path):
    """One segment at 480p15, silent voice: the tables have every row, the bundle's steps are
    read from what the command printed, and the scratch media kept shows a complete bundle."""
    keep = tmp_path / "kept"
    proc = subprocess.run([sys.executable, "-m", "scenes.production.lecture", "benchmark", "s04_conectividad",
                           "--quality", "low", "--voice", "estimate", "--no-paper",
                           "--keep", str(keep)], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    number = r"[\d.]+"
    assert re.search(rf"^\| s04_conectividad \| {number} \| {number} \| {number} \|$", out, re.M)
    for row in ("segments and thumbnail", "bundle: lecture.mp4", "bundle: clips", "bundle",
                r"\*\*total\*\*"):
        assert re.search(rf"^\| {row} \| \**{number}", out, re.M), row
    seconds = {m.group(1): float(m.group(2))
               for m in re.finditer(rf"^\| (segments and thumbnail|bundle|\*\*total\*\*) \| \**({number})",
                                    out, re.M)}
    assert seconds["segments and thumbnail"] + seconds["bundle"] == pytest.approx(
        seconds["**total**"], abs=0.11)
    rerun = float(re.search(rf"no-change re-run: ({number}) s", out).group(1))
    assert rerun < 15
    youtube = keep / "low" / "media" / "youtube" / "es"
    assert (youtube / "lecture.mp4").exists() and (youtube / "clips" / "01_s04_conectividad.mp4").exists()

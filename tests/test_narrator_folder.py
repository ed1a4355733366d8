"""The narrator's folder, checked before anything renders (real takes: espeak-ng and sox).

Each mistake a narrator makes gets one line naming the file or folder and a clear exit status,
before anything is rendered or written, and the takes stay byte-identical (their hashes are
compared before and after every step): a recordings folder that does not exist (a typo), a
corrupt take, a silent take, a take far too long for its text, ``--out`` naming a folder. A
failed render keeps its log away from the videos, and a good or unchanged run leaves none.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_fuzz_cli import run_main
from test_production import REPO, lecture_copy, run_lecture, sha, small_lecture  # noqa: F401

DEMO = [{"id": "demo", "module": "narration.demo", "scene": "NarrationDemo"}]


def hashes(folder: Path) -> dict[str, str]:
    """Every file under ``folder``, by path, with the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def speak(text: str, target: Path, *sox_effects: str) -> None:
    """A take of ``text`` by espeak-ng, passed through sox with ``sox_effects`` if any."""
    target.parent.mkdir(parents=True, exist_ok=True)
    raw = target.with_name(target.stem + ".raw.wav")
    subprocess.run(["espeak-ng", "-v", "es-419", "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), str(target), *sox_effects], check=True)
    raw.unlink()


class Ran:
    """The result of one command run: exit status, stdout, stderr."""

    def __init__(self, code, out: str, err: str):
        self.returncode, self.stdout, self.stderr = code, out, err


def run(tmp: Path, main, *args: str) -> Ran:
    """``main(args)`` run in this process (a run of a real process costs seconds of imports)."""
    registry = tmp / "registry.json"
    registry.write_text(json.dumps(DEMO))
    code, out, err, _ = run_main(main, ["--registry", str(registry), "--media", str(tmp / "media"),
                                        *args], {"LECTURE_VOICE_CACHE": str(tmp / "voice")})
    return Ran(code, out, err)


def script(tmp, *args):
    from scenes.production.script import main

    return run(tmp, main, "--lang", "es", *args)


def lecture(tmp, *args):
    from scenes.production.lecture import main

    return run(tmp, main, "--voice", "recorded", "--quality", "low", "--no-bundle", *args)


def one_line(proc, prog: str) -> str:
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith(f"{prog}: error: "), proc.stderr
    return proc.stderr.strip()


@pytest.mark.render
def test_the_narrators_mistakes_are_named_before_anything_renders(tmp_path):
    rec = tmp_path / "rec"
    beats = {b["id"]: b["text"] for b in json.loads(
        (REPO / "scenes/narration/text/es/demo.json").read_text())["beats"]}

    # A typo in the recordings folder: named, status 2, nothing created (by either command;
    # the first as a real process).
    typo = tmp_path / "recs"
    (tmp_path / "registry.json").write_text(json.dumps(DEMO))
    proc = subprocess.run([sys.executable, "-m", "scenes.production.script", "--recordings",
                           str(typo), "--media", str(tmp_path / "media"), "--registry",
                           str(tmp_path / "registry.json")], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stdout == ""
    assert one_line(proc, "lecture-script") == (
        f"lecture-script: error: --recordings '{typo}': does not exist; check the path, or "
        f"create it with lecture-script --init")
    proc = lecture(tmp_path, "--recordings", str(typo))
    assert proc.returncode == 2 and proc.stdout == ""
    assert one_line(proc, "lecture").startswith(f"lecture: error: --recordings '{typo}': does not "
                                                f"exist")
    assert not typo.exists() and not (tmp_path / "media").exists()

    # First use: --init creates the folder and its manifest.
    proc = script(tmp_path, "--recordings", str(rec), "--init")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"created the recordings folder {rec}" in proc.stdout
    assert (rec / "es/manifest.json").is_file()

    # A good take for the intro; the size beat gets each broken take in turn.
    speak(beats["intro"], rec / "es/demo/intro.wav")
    size = rec / "es/demo/size.wav"
    broken = {
        "corrupt": (lambda: size.write_bytes(os.urandom(48_000)),
                    "it does not decode as audio (Invalid data found when processing input)"),
        "silent": (lambda: subprocess.run(["sox", "-n", "-r", "22050", "-c", "1", str(size),
                                           "trim", "0", "4"], check=True),
                   "it is silent (loudest sample digital silence, under -50 dBFS)"),
        "too long": (lambda: speak(beats["size"], size, "repeat", "9"),
                     "it holds "),
    }
    for name, (make, detail) in broken.items():
        make()
        before = hashes(rec)
        proc = script(tmp_path, "--recordings", str(rec), "--check")
        assert proc.returncode == 1, (name, proc.stdout, proc.stderr)
        assert f"demo/size: unusable take (size.wav): {detail}" in proc.stdout, (name, proc.stdout)
        assert "demo/intro" not in proc.stdout and "1 of 2 recorded" in proc.stdout
        proc = lecture(tmp_path, "--recordings", str(rec))
        assert proc.returncode == 2, (name, proc.stdout, proc.stderr)
        assert f"demo/size: unusable take (size.wav): {detail}" in proc.stdout
        assert one_line(proc, "lecture").startswith("lecture: error: 1 beat(s) without a usable "
                                                    "take")
        assert not list((tmp_path / "media/lecture/es").glob("*.mp4"))
        assert hashes(rec) == before, name
    too_long = next(line for line in proc.stdout.splitlines() if "demo/size" in line)
    assert "s of sound, far more than the" in too_long and "its text takes to say" in too_long
    # ... and the script marks it to record again.
    before = hashes(rec)
    proc = script(tmp_path, "--recordings", str(rec))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = (tmp_path / "media/recording/es/script.md").read_text()
    assert "### ✗ `size`" in text and "REGRABAR: la toma no se puede usar" in text
    assert "### ✓ `intro`" in text
    assert {k: v for k, v in hashes(rec).items() if k.endswith(".wav")} == {
        k: v for k, v in before.items() if k.endswith(".wav")}

    # --out naming a folder is refused before anything is written, the manifest included.
    speak(beats["size"], size)
    before, manifest = hashes(rec), (rec / "es/manifest.json").stat().st_mtime_ns
    folder = tmp_path / "scripts"
    folder.mkdir()
    proc = script(tmp_path, "--recordings", str(rec), "--out", str(folder))
    assert proc.returncode == 2 and proc.stdout == ""
    assert one_line(proc, "lecture-script") == (
        f"lecture-script: error: --out '{folder}': is a folder; name a file, e.g. "
        f"{folder / 'script.md'}")
    assert hashes(rec) == before and (rec / "es/manifest.json").stat().st_mtime_ns == manifest
    assert not any(folder.iterdir())

    # With good takes, the check passes and the takes are still the same bytes.
    proc = script(tmp_path, "--recordings", str(rec), "--check")
    assert proc.returncode == 0 and "2 of 2 recorded" in proc.stdout, proc.stdout + proc.stderr
    assert hashes(rec) == before


def test_the_recorded_voice_names_an_unusable_take_or_falls_back(tmp_path, monkeypatch):
    """In a render, the voice checks the take it is about to use (the same check)."""
    from scenes.narration.voices import VoiceError, make_speech_service

    take = tmp_path / "rec/es/seg/a.wav"
    take.parent.mkdir(parents=True)
    take.write_bytes(os.urandom(10_000))
    from scenes.production.takes import Manifest

    manifest = Manifest.load(tmp_path / "rec", "es")
    manifest.issue("seg/a", "hola")
    manifest.save()
    before = hashes(tmp_path / "rec")
    service = make_speech_service("recorded", "es", cache_dir=tmp_path / "voice",
                                  options={"recordings": str(tmp_path / "rec")})
    service.begin_beat("seg", "a")
    with pytest.raises(VoiceError, match=r"seg/a: unusable take \(a\.wav\): it does not decode"):
        service.generate_from_text("hola")
    monkeypatch.setenv("LECTURE_RECORDED_FALLBACK", "estimate")
    drafted = make_speech_service("recorded", "es", cache_dir=tmp_path / "voice",
                                  options={"recordings": str(tmp_path / "rec")})
    drafted.begin_beat("seg", "a")
    assert Path(drafted.generate_from_text("hola")["original_audio"]).exists()
    assert hashes(tmp_path / "rec") == before


# --------------------------------------------------------------------------- failure logs


def logs_beside_videos(dest: Path) -> list[str]:
    return sorted(p.name for p in dest.glob("*.log"))


@pytest.mark.render
def test_a_failed_render_keeps_its_log_apart_until_the_segment_is_good(lecture_copy):
    repo, media = lecture_copy / "repo", lecture_copy / "media"
    dest = media / "lecture/es"
    module = repo / "scenes/demo_bis.py"
    good = module.read_text()
    kept = {name: sha(dest / name) for name in ("demo_bis.mp4", "demo_bis.srt", "demo_bis.stamp")}

    # A scene that breaks: the render fails, its log is kept under logs/, not beside the video.
    module.write_text(good + "\nraise RuntimeError('a deliberate mistake in the scene')\n")
    proc = run_lecture(repo, media, "demo_bis", "--no-bundle")
    assert proc.returncode == 1
    log = dest / "logs/demo_bis.failed.log"
    assert "a deliberate mistake in the scene" in log.read_text()
    assert f"full log: {log}" in proc.stdout
    assert logs_beside_videos(dest) == []
    assert {name: sha(dest / name) for name in kept} == kept

    # The scene put right: its previous render is current again; the stale log goes, as does
    # one left beside the video by an earlier version.
    module.write_text(good)
    (dest / "demo_bis.log").write_text("an old failure\n")
    proc = run_lecture(repo, media, "demo_bis", "--no-bundle")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 to render, 1 unchanged" in proc.stdout
    assert not log.exists() and logs_beside_videos(dest) == []


@pytest.mark.render
def test_an_interrupted_render_leaves_no_failure_log(lecture_copy):
    repo, media = lecture_copy / "repo", lecture_copy / "media"
    dest = media / "lecture/es"
    kept = {name: sha(dest / name) for name in ("demo_bis.mp4", "demo_bis.srt", "demo_bis.stamp")}
    cmd = [sys.executable, "-m", "scenes.production.lecture", "demo_bis", "--force", "--no-bundle",
           "--registry", str(repo / "registry.json"), "--voice", "espeak", "--quality", "low",
           "--media", str(media)]
    env = dict(os.environ, LECTURE_VOICE_CACHE=str(lecture_copy / "voice"))
    proc = subprocess.Popen(cmd, cwd=repo, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:   # until manim has written a few partial movies
            if len(list((dest / ".scratch").rglob("uncached_*.mp4"))) >= 2 or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the render finished before it could be interrupted"
        proc.send_signal(signal.SIGTERM)     # what a service manager or `kill` sends
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, out
    assert "interrupted" in out
    assert not (dest / "logs").exists() and logs_beside_videos(dest) == []
    assert {name: sha(dest / name) for name in kept} == kept
    again = run_lecture(repo, media, "demo_bis", "--no-bundle")
    assert again.returncode == 0 and "0 to render, 1 unchanged" in again.stdout
    assert logs_beside_videos(dest) == []

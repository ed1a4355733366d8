"""The narrator's workflow: the recording script, the manifest, the recorded voice.

Takes are made here with espeak-ng (a WAV at one speed, a FLAC at another). Whatever happens,
the takes are never touched: same bytes, same modification times, none removed; and a render
never writes anything into the recordings folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scenes.narration.marks import strip_anchors
from scenes.production import takes as tk

from test_production import copy_repo

DEMO = [{"id": "demo", "module": "narration.demo", "scene": "NarrationDemo"}]


def snapshot(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def takes_only(snap: dict) -> dict:
    return {k: v for k, v in snap.items() if k.split(".")[-1] in ("wav", "flac")}


def speak(text: str, target: Path, speed: int) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    wav = target.with_suffix(".wav")
    subprocess.run(["espeak-ng", "-v", "es-419", "-s", str(speed), "-w", str(wav), text], check=True)
    if target.suffix != ".wav":
        subprocess.run(["sox", str(wav), str(target)], check=True)
        wav.unlink()


def run(repo: Path, tmp: Path, module: str, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", module, "--registry", str(repo / "registry.json"),
           "--media", str(tmp / "media"), "--recordings", str(tmp / "rec"), *args]
    env = dict(os.environ, LECTURE_VOICE_CACHE=str(tmp / "voice"))
    env.pop("LECTURE_RECORDED_FALLBACK", None)
    return subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=600)


def lecture(repo, tmp, *args):
    return run(repo, tmp, "scenes.production.lecture", "--voice", "recorded", "--quality", "low",
               "--no-bundle", *args)


@pytest.mark.render
def test_recorded_voice_workflow(tmp_path):
    repo = copy_repo(tmp_path / "repo", DEMO)
    rec = tmp_path / "rec"
    text_file = repo / "scenes/narration/text/es/demo.json"
    beats = {b["id"]: strip_anchors(b["text"])
             for b in json.loads(text_file.read_text())["beats"]}

    # 1. The script: every beat, its text, its expected duration; the manifest of issued texts
    #    (--init: the recordings folder does not exist yet).
    proc = run(repo, tmp_path, "scenes.production.script", "--lang", "es", "--init")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    script = (tmp_path / "media/recording/es/script.md").read_text()
    for beat_id, text in beats.items():
        assert f"`{beat_id}`" in script and text in script
        assert f"es/demo/{beat_id}.wav" in script
    assert "≈ 7.5 s" in script                      # the intro's expected duration
    manifest = json.loads((rec / "es/manifest.json").read_text())
    assert set(manifest["beats"]) == {"demo/intro", "demo/size"}
    assert "demo/intro: no take" in proc.stdout and "demo/size: no take" in proc.stdout

    # 2. One take recorded: the other beat is reported by id and nothing is rendered.
    speak(beats["intro"], rec / "es/demo/intro.wav", 175)
    before = snapshot(rec)
    proc = lecture(repo, tmp_path)
    assert proc.returncode == 2
    assert "demo/size: no take" in proc.stdout and "demo/intro" not in proc.stdout
    assert "1 beat(s) without a usable take" in proc.stderr
    assert not (tmp_path / "media/lecture/es/demo.mp4").exists()

    # 3. Both takes: the voice is the narrator's (the beats last as long as the takes).
    speak(beats["size"], rec / "es/demo/size.flac", 125)
    before = snapshot(rec)
    proc = lecture(repo, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 beats, 2 recorded, 0 without a usable take" in proc.stdout
    spoken = json.loads((tmp_path / "media/lecture/es/demo.beats.json").read_text())
    from scenes.narration.voices import estimate_duration

    size = next(b for b in spoken["beats"] if b["id"] == "size")
    assert size["duration"] > estimate_duration(beats["size"], "es") + 1.0   # read slowly
    assert len(list((tmp_path / "voice").glob("recorded-es-*.wav"))) == 2
    assert snapshot(rec) == before                       # a render writes nothing there

    # 4. The text of a recorded beat changes: its take is stale, reported, never used or removed.
    data = json.loads(text_file.read_text())
    data["beats"][1]["text"] = data["beats"][1]["text"].replace("3: cinco", "3, es decir: cinco")
    text_file.write_text(json.dumps(data, ensure_ascii=False))
    proc = lecture(repo, tmp_path)
    assert proc.returncode == 2
    assert "demo/size: stale take (size.flac)" in proc.stdout
    assert snapshot(rec) == before

    # ... and with a fallback voice, a draft is rendered with espeak for that beat.
    proc = lecture(repo, tmp_path, "--fallback", "espeak")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "demo/size: stale take" in proc.stdout and "spoken by espeak" in proc.stdout
    assert snapshot(rec) == before

    # 5. Issuing the script again does not make the stale take fresh (the manifest remembers
    #    the text it was recorded against) and touches no take.
    proc = run(repo, tmp_path, "scenes.production.script", "--lang", "es")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "demo/size: stale take" in proc.stdout
    assert "⚠ `size`" in (tmp_path / "media/recording/es/script.md").read_text()
    assert takes_only(snapshot(rec)) == takes_only(before)
    proc = run(repo, tmp_path, "scenes.production.script", "--lang", "es", "--check")
    assert proc.returncode == 1 and "demo/size: stale take" in proc.stdout

    # 6. Re-recording it (a new file) from the new script makes it current again.
    (rec / "es/demo/size.flac").rename(tmp_path / "old-size.flac")   # the narrator's move
    speak(data["beats"][1]["text"], rec / "es/demo/size.wav", 125)
    proc = run(repo, tmp_path, "scenes.production.script", "--lang", "es", "--check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 of 2 recorded" in proc.stdout


# --------------------------------------------------------------------------- the manifest rules


def _take(root: Path, name: str, content: bytes = b"RIFF-take") -> Path:
    p = root / "es" / "seg" / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(content)
    return p


def test_take_states(tmp_path):
    root = tmp_path
    m = tk.Manifest.load(root, "es")
    assert tk.take_status(root, "es", "seg", "a", "hola", m).state == tk.MISSING
    _take(root, "a.wav")
    assert tk.take_status(root, "es", "seg", "a", "hola", m).state == tk.UNREGISTERED
    m.issue("seg/a", "hola")                             # the script gave the narrator "hola"
    assert tk.take_status(root, "es", "seg", "a", "hola", m).state == tk.OK
    assert tk.take_status(root, "es", "seg", "a", "hola  <bookmark mark='x'/>", m).state == tk.OK
    assert tk.take_status(root, "es", "seg", "a", "adiós", m).state == tk.STALE
    # registered against "hola", then the script moves on: the take stays stale for "adiós"
    assert tk.register_new_takes(m, root, "es", [("seg", "a")]) == ["seg/a"]
    m.issue("seg/a", "adiós")
    assert tk.take_status(root, "es", "seg", "a", "adiós", m).state == tk.STALE
    # a new recording (different audio) made from the new script is current
    (root / "es/seg/a.wav").write_bytes(b"RIFF-new-take")
    assert tk.take_status(root, "es", "seg", "a", "adiós", m).state == tk.OK
    _take(root, "a.flac")
    assert tk.take_status(root, "es", "seg", "a", "adiós", m).state == tk.AMBIGUOUS


def test_manifest_round_trip_and_takes_untouched(tmp_path):
    take = _take(tmp_path, "b.mp3", b"ID3-audio")
    before = (take.read_bytes(), take.stat().st_mtime_ns)
    m = tk.Manifest.load(tmp_path, "es")
    m.issue("seg/b", "texto")
    tk.register_new_takes(m, tmp_path, "es", [("seg", "b")])
    m.save()
    again = tk.Manifest.load(tmp_path, "es")
    assert again.beats == m.beats and again.takes == m.takes
    assert tk.take_status(tmp_path, "es", "seg", "b", "texto").state == tk.OK
    assert (take.read_bytes(), take.stat().st_mtime_ns) == before
    assert sorted(p.name for p in (tmp_path / "es").rglob("*")) == ["b.mp3", "manifest.json", "seg"]


def test_takes_digest_follows_takes_and_manifest(tmp_path):
    a = tk.segment_takes_digest(tmp_path, "es", "seg")
    _take(tmp_path, "a.wav")
    b = tk.segment_takes_digest(tmp_path, "es", "seg")
    m = tk.Manifest.load(tmp_path, "es")
    m.issue("seg/a", "x")
    m.save()
    c = tk.segment_takes_digest(tmp_path, "es", "seg")
    assert len({a, b, c}) == 3
    assert tk.segment_takes_digest(tmp_path, "es", "other") == a


def test_recorded_voice_is_chosen_by_name(tmp_path, monkeypatch):
    from scenes.narration.voices import VOICE_NAMES, VoiceError, make_speech_service

    assert "recorded" in VOICE_NAMES
    service = make_speech_service("recorded", "es", cache_dir=tmp_path,
                                  options={"recordings": str(tmp_path / "rec")})
    assert type(service).__name__ == "RecordedService"
    with pytest.raises(VoiceError, match="segment and beat id"):
        service.generate_from_text("hola")
    service.begin_beat("seg", "a")
    with pytest.raises(VoiceError, match="seg/a: no take"):
        service.generate_from_text("hola")
    monkeypatch.setenv("LECTURE_RECORDED_FALLBACK", "estimate")
    drafted = make_speech_service("recorded", "es", cache_dir=tmp_path,
                                  options={"recordings": str(tmp_path / "rec")})
    drafted.begin_beat("seg", "a")
    data = drafted.generate_from_text("hola")
    assert Path(data["original_audio"]).is_absolute() and Path(data["original_audio"]).exists()
    assert not (tmp_path / "rec").exists()


def test_a_take_times_its_anchors_evenly_unless_the_narrator_gives_the_time(tmp_path, monkeypatch):
    """A recorded take has no word times of its own: its anchors are spread over its speech,
    and the narrator corrects one by writing, in the take's manifest entry, the second of the
    recording at which the anchored word starts."""
    from scenes.narration.marks import anchor_times, parse_anchors
    from scenes.production.recorded_voice import LEAD_IN, RecordedService

    text = "Primero la entrada, y luego la <bookmark mark='o'/>salida del kernel."
    spoken, offsets = parse_anchors(text)
    rec = tmp_path / "rec"
    take = rec / "es/demo/intro.wav"
    speak(spoken, take, 160)
    subprocess.run(["sox", str(take), str(tmp_path / "padded.wav"), "pad", "1.5", "0"], check=True)
    os.replace(tmp_path / "padded.wav", take)          # 1.5 s of silence before the voice
    manifest = tk.Manifest.load(rec, "es")
    manifest.issue("demo/intro", text)
    manifest.register("demo/intro", tk.file_sha(take), "demo/intro.wav", tk.text_sha(text))
    manifest.save()
    before = snapshot(rec / "es/demo")

    def mark(cache):
        service = RecordedService("es", recordings=rec, cache_dir=cache)
        service.begin_beat("demo", "intro")
        data = service._wrap_generate_from_text(text)
        return anchor_times(offsets, data["word_times"], 99.0)["o"]

    estimated = mark(tmp_path / "c1")
    share = offsets["o"] / len(spoken)
    assert LEAD_IN + 0.5 * share * 4 < estimated < LEAD_IN + 1.5 * share * 4    # about that far in
    entry = tk.Manifest.take_id("demo/intro", tk.file_sha(take))
    data = json.loads((rec / "es/manifest.json").read_text())
    data["takes"][entry]["marks"] = {"o": 3.1}           # the narrator listened: 3.1 s into the file
    (rec / "es/manifest.json").write_text(json.dumps(data))
    corrected = mark(tmp_path / "c1")                   # same cache: the correction is seen
    # (espeak starts its file with a few hundredths of a second of silence of its own)
    assert corrected == pytest.approx(3.1 - (1.5 - LEAD_IN), abs=0.1)
    assert snapshot(rec / "es/demo") == before         # the take is only read

    data["takes"][entry]["marks"] = {"o": "late"}
    (rec / "es/manifest.json").write_text(json.dumps(data))
    from scenes.narration.voices import VoiceError
    with pytest.raises(VoiceError, match="'marks' must map anchor names to seconds"):
        mark(tmp_path / "c2")

"""Hostile input to every command: convmath, lecture, lecture-script.

Hypothesis makes up arguments, environment values and JSON documents (deep nesting, huge
integers, non-finite numbers, wrong types, unicode digits, folders where files belong and files
where folders belong) and runs each command's ``main()`` in this process (a run costs
milliseconds, not an interpreter start). Whatever comes in, a run ends with exit status 0 or 2,
never an exception; a refusal is exactly one line on stderr and writes nothing; no output holds
inf or nan; each run takes under a few seconds. A few cases also run as real processes.

The cases of the hostile-input report are checked one by one at the end, with their exact
refusal lines.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import chdir, contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import convmath.cli
from scenes.production import lecture, script

REPO = Path(__file__).resolve().parent.parent
SECONDS = 5.0            # the most one run may take
NON_FINITE = re.compile(r"\b(?:-?inf(?:inity)?|nan)\b", re.IGNORECASE)
FUZZ = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ENV_NAMES = ("LECTURE_LANG", "LECTURE_QUALITY", "LECTURE_VOICE", "LECTURE_MEDIA",
             "LECTURE_RECORDINGS", "LECTURE_REGISTRY", "LECTURE_RECORDED_FALLBACK",
             "LECTURE_VOICE_OPTIONS", "LECTURE_VOICE_CACHE")


@contextmanager
def environment(values: dict[str, str]):
    """``os.environ`` with the lecture's variables set to ``values`` only, restored after."""
    saved = {k: os.environ.get(k) for k in ENV_NAMES}
    for k in ENV_NAMES:
        os.environ.pop(k, None)
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run_main(main, argv: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str, float]:
    """(exit status, stdout, stderr, seconds) of ``main(argv)`` run here."""
    out, err = io.StringIO(), io.StringIO()
    handler = signal.getsignal(signal.SIGTERM)     # lecture installs its own while rendering
    start = time.monotonic()
    try:
        with environment(env or {}), redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:             # --help
                code = exc.code
    finally:
        signal.signal(signal.SIGTERM, handler)
    return code, out.getvalue(), err.getvalue(), time.monotonic() - start


def check_run(prog: str, code, out: str, err: str, seconds: float) -> None:
    assert code in (0, 2), (code, out, err)
    if code == 2:
        assert err.startswith(f"{prog}: error: ") and err.endswith("\n") and err.count("\n") == 1, err
    else:
        assert err == "", err
    assert not NON_FINITE.search(out), out[:500]
    assert seconds < SECONDS, seconds


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# --------------------------------------------------------------------------- what to try

UNICODE_DIGITS = ["٣", "３", "१२", "²", "٠"]
NUMBER_TEXTS = ["0", "-1", "400", "1000000000", "1000000001", "9223372036854775807",
                "-9223372036854775808", "1" * 5000, "1e3", "1.5", "", " ", "x", "nan", "inf",
                "-inf", "0x10", "1_0", "+3", " 5 ", "3\n", *UNICODE_DIGITS]
some_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                    max_size=12)
plain_numbers = st.integers(1, 9).map(str)
numbers = st.one_of(plain_numbers, plain_numbers, plain_numbers, st.sampled_from(NUMBER_TEXTS))
sizes = st.one_of(st.lists(plain_numbers, min_size=1, max_size=3),
                  st.lists(numbers, min_size=0, max_size=5)).map("x".join)
paddings = st.one_of(sizes, st.sampled_from(["valid", "same", "full", "SAME", "0:1", "1:0,2",
                                             "-1:2", "1:2:3", ":", "9223372036854775807:0"]))
json_leaves = st.one_of(
    st.integers(-10, 10), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["1/2", "-3/4", "1/0", "0.1", "1e999999999", "2.5e-3", "nan", "Infinity",
                     "1" * 80, *UNICODE_DIGITS]),
    st.booleans(), st.none(), st.text(max_size=4), st.just({}), st.just({"a": 1}))
json_arrays = st.recursive(json_leaves, lambda inner: st.lists(inner, min_size=0, max_size=4),
                           max_leaves=16)
exact_numbers = st.one_of(st.integers(-9, 9), st.integers(-10**60, 10**60),
                          st.fractions(max_denominator=10**6).map(str),
                          st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: round(f, 3)))
rectangular = st.integers(1, 3).flatmap(lambda ndim: st.tuples(
    *[st.integers(1, 5)] * ndim)).flatmap(lambda shape: st.lists(
        exact_numbers, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))).map(
        lambda flat: np.array(flat, dtype=object).reshape(shape).tolist()))
DEEP = ["[" * n + "1" + "]" * n for n in (2, 3, 4, 33, 65, 1000, 200_000)]

# Places a run may name, made afresh in each run's scratch folder (see ``fill``).
PLACES = ["<folder>", "<file>", "<missing>", "<under-file>", "<new>"]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, str]:
    """Files and folders that runs only read: values, registries, a folder, a file."""
    base = tmp_path_factory.mktemp("inputs")
    (base / "folder").mkdir()
    (base / "file").write_text("not JSON, not a folder\n")
    (base / "values.json").write_text("[[1, 2], [3, 4]]")
    (base / "binary.json").write_bytes(bytes(range(256)) * 4)
    (base / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (base / "ghost.json").write_text(json.dumps([{"id": "ghost", "module": "ghost_scene",
                                                  "scene": "Ghost"}]))
    (base / "bad-registry.json").write_text('[{"id": 1}]')
    names = ("folder", "file", "values.json", "binary.json", "deep.json", "ghost.json",
             "bad-registry.json")
    return {name.removesuffix(".json"): str(base / name) for name in names} | {
        "missing": str(base / "missing"), "under-file": str(base / "file" / "x")}


def fill(argv: list[str], env: dict[str, str], scratch: Path) -> tuple[list[str], dict[str, str]]:
    """Place tokens replaced by paths in ``scratch`` (a folder, a file, a path that does not
    exist, one under a file, a new one), and a media and recordings folder there unless the run
    names its own, so that no run writes outside its scratch folder."""
    (scratch / "folder").mkdir()
    (scratch / "file").write_text("a file\n")
    paths = {"<folder>": scratch / "folder", "<file>": scratch / "file",
             "<missing>": scratch / "missing" / "deeper", "<under-file>": scratch / "file" / "x",
             "<new>": scratch / "new"}
    argv = [str(paths.get(a, a)) for a in argv]
    env = {k: str(paths.get(v, v)) for k, v in env.items()}
    for flag, name, var in (("--media", "media", "LECTURE_MEDIA"),
                            ("--recordings", "recordings", "LECTURE_RECORDINGS")):
        (scratch / name).mkdir(exist_ok=True)
        if flag not in argv and not env.get(var, "").strip():
            argv = [flag, str(scratch / name)] + argv
    return argv, env


def sometimes(draw, times_in_ten: int) -> bool:
    """True about ``times_in_ten`` times in ten (plain ``integers`` would favour the ends)."""
    return draw(st.sampled_from([False] * (10 - times_in_ten) + [True] * times_in_ten))


def option(draw, argv: list[str], flag: str, good: list[str], bad: list[str]) -> None:
    """Maybe ``flag``, with a good value seven times in ten, else a bad one or any text."""
    if sometimes(draw, 5):
        kind = draw(st.sampled_from(["good"] * 7 + ["bad"] * 2 + ["text"]))
        value = {"good": st.sampled_from(good), "bad": st.sampled_from(bad), "text": some_text}
        argv += [flag, draw(value[kind])]


def env_values(names: dict[str, list[str]]):
    """Some of the variables ``names`` (name → good values) set to a good value, garbage or a
    place."""
    garbage = st.one_of(some_text, st.sampled_from(
        ["", " ", "fr", "bogus", "0", "-3", *UNICODE_DIGITS, "[[[[", '{"voice": 1}', "[" * 5000,
         "recorded", *PLACES]))
    return st.fixed_dictionaries({}, optional={
        name: st.sampled_from([True] * 3 + [False]).flatmap(
            lambda ok, good=good: st.sampled_from(good) if ok else garbage)
        for name, good in names.items()})


# --------------------------------------------------------------------------- convmath


@st.composite
def convmath_argv(draw, inputs):
    command = draw(st.sampled_from(["shape", "transpose", "matrix", "conv", "conv",
                                    "receptive-field", "bogus", ""]))
    argv = [command] if command else []
    if command in ("shape", "transpose", "matrix"):
        argv.append(draw(sizes))
    if command in ("shape", "transpose", "matrix", "conv"):
        for flag, strategy in (("--kernel", sizes), ("--stride", sizes), ("--padding", paddings),
                               ("--dilation", sizes), ("--output-padding", sizes),
                               ("--groups", numbers)):
            if sometimes(draw, 3):
                argv += [flag, draw(strategy)]
        if sometimes(draw, 3):
            argv.append("--transposed")
    if command in ("matrix", "conv"):
        for flag in (["--kernel-values"] if command == "matrix" else
                     ["--input-values", "--kernel-values"]):
            if command == "conv" or draw(st.booleans()):
                kind = draw(st.sampled_from(["exact"] * 6 + ["doc", "deep", "file", "text"]))
                if kind == "exact":
                    value = json.dumps(draw(rectangular))
                elif kind == "doc":
                    value = json.dumps(draw(json_arrays))
                elif kind == "deep":
                    value = draw(st.sampled_from(DEEP))
                elif kind == "file":
                    value = "@" + inputs[draw(st.sampled_from(
                        ["folder", "file", "missing", "under-file", "values", "binary", "deep"]))]
                else:
                    value = draw(some_text)
                argv += [flag, value]
    if command == "conv" and draw(st.booleans()):
        argv += ["--op", draw(st.sampled_from(["correlation", "convolution", "x"]))]
    if command == "receptive-field":
        for _ in range(draw(st.integers(0, 4))):
            argv += ["--layer", ",".join(draw(st.lists(numbers, min_size=0, max_size=5)))]
    if draw(st.booleans()):
        argv.append("--json")
    if sometimes(draw, 1):
        argv.append(draw(st.sampled_from(["--help", "--frobnicate", "extra"])))
    return argv


def test_convmath_never_crashes(inputs):
    run_main(convmath.cli.main, ["shape", "7"])          # imports done before timing

    @settings(FUZZ, max_examples=250)
    @given(argv=convmath_argv(inputs))
    def attempt(argv):
        code, out, err, seconds = run_main(convmath.cli.main, argv)
        check_run("convmath", code, out, err, seconds)
        if code == 2:
            assert out == ""

    attempt()


# --------------------------------------------------------------------------- lecture


@st.composite
def lecture_run(draw, inputs):
    argv: list[str] = []
    if sometimes(draw, 3):
        argv.append(draw(st.sampled_from(["ghost", "s99", "--list", "--force", "--bundle"])))
    option(draw, argv, "--lang", ["es", "en"], ["fr", "ES", ""])
    option(draw, argv, "--quality", ["low", "high"], ["bogus", ""])
    option(draw, argv, "--voice", ["estimate", "espeak", "recorded"], ["bogus", "x:y", "gtts", ""])
    option(draw, argv, "--fallback", ["espeak", "estimate"], ["recorded", "bogus", ""])
    option(draw, argv, "--jobs", ["1", "2", " 2 "], ["0", "-3", "33", "1.5", "x", "٣", "99999"])
    for flag in ("--media", "--recordings"):
        option(draw, argv, flag, ["<folder>", "<new>"], ["<file>", "<missing>", "<under-file>"])
    registry = draw(st.sampled_from(["ghost"] * 7 + ["folder", "missing", "binary", "deep",
                                                    "bad-registry"]))
    argv += ["--registry", inputs[registry], "--no-bundle"]
    env = draw(env_values({"LECTURE_LANG": ["es", "en"], "LECTURE_QUALITY": ["low", "4k"],
                           "LECTURE_VOICE": ["estimate", "espeak", "recorded"],
                           "LECTURE_MEDIA": ["<folder>", "<new>"],
                           "LECTURE_RECORDINGS": ["<folder>"],
                           "LECTURE_RECORDED_FALLBACK": ["espeak"],
                           "LECTURE_VOICE_OPTIONS": ["{}"],
                           "LECTURE_VOICE_CACHE": ["<folder>", "<new>"]}))
    return argv, env


def warm_up(main, inputs, *extra: str) -> None:
    """One complete run of each path, so that module imports are not timed as a run."""
    with tempfile.TemporaryDirectory() as tmp:
        for voice in ([], ["--voice", "recorded"]) if main is lecture.main else ([],):
            code = run_main(main, ["--registry", inputs["ghost"], "--media", tmp,
                                   "--recordings", inputs["folder"], *voice, *extra])[0]
            assert code == 0


def test_lecture_never_crashes(inputs):
    warm_up(lecture.main, inputs, "--no-bundle")

    @settings(FUZZ, max_examples=80)
    @given(run=lecture_run(inputs))
    def attempt(run):
        with tempfile.TemporaryDirectory() as tmp, chdir(tmp):   # relative paths land here
            scratch = Path(tmp)
            argv, env = fill(*run, scratch)
            before = files_in(scratch)
            code, out, err, seconds = run_main(lecture.main, argv, env)
            check_run("lecture", code, out, err, seconds)
            if code == 2:   # a refusal writes nothing
                assert files_in(scratch) == before

    attempt()


# --------------------------------------------------------------------------- lecture-script


@st.composite
def script_run(draw, inputs):
    argv: list[str] = []
    option(draw, argv, "--lang", ["es", "en"], ["fr"])
    option(draw, argv, "--jobs", ["1", "2"], ["0", "-3", "x", "٣"])
    option(draw, argv, "--media", ["<folder>", "<new>"], ["<file>", "<under-file>"])
    option(draw, argv, "--recordings", ["<folder>"], ["<file>", "<missing>", "<under-file>"])
    option(draw, argv, "--out", ["<new>", "<missing>"], ["<folder>", "<under-file>"])
    for flag in ("--check", "--init"):
        if sometimes(draw, 3):
            argv.append(flag)
    if sometimes(draw, 2):
        argv += ["--accept", draw(st.sampled_from(["ghost/title", "nope", "ghost", "/", "a/b"]))]
    if sometimes(draw, 2):
        argv.append(draw(st.sampled_from(["ghost", "s99"])))
    registry = draw(st.sampled_from(["ghost"] * 7 + ["folder", "binary", "deep"]))
    argv += ["--registry", inputs[registry]]
    env = draw(env_values({"LECTURE_LANG": ["es", "en"], "LECTURE_MEDIA": ["<folder>"],
                           "LECTURE_RECORDINGS": ["<folder>"]}))
    manifest = draw(st.sampled_from(["none"] * 4 + ["good"] * 2 + [
        "folder", "garbage", "deep", "wrong-shape", "lang-is-file"]))
    return argv, env, manifest


MANIFESTS = {"good": '{"beats": {}, "takes": {}}', "garbage": "{not json",
             "deep": "[" * 100_000, "wrong-shape": '{"beats": [], "takes": {"x": 3}}'}


def test_lecture_script_never_crashes(inputs):
    warm_up(script.main, inputs, "--check")
    @settings(FUZZ, max_examples=80)
    @given(run=script_run(inputs))
    def attempt(run):
        argv, env, manifest = run
        with tempfile.TemporaryDirectory() as tmp, chdir(tmp):   # relative paths land here
            scratch = Path(tmp)
            argv, env = fill(argv, env, scratch)
            lang_folder = scratch / "recordings" / "es"     # the default recordings' language
            if manifest == "folder":
                (lang_folder / "manifest.json").mkdir(parents=True)
            elif manifest == "lang-is-file":
                lang_folder.write_text("a file")
            elif manifest in MANIFESTS:
                lang_folder.mkdir()
                (lang_folder / "manifest.json").write_text(MANIFESTS[manifest])
            before = files_in(scratch)
            code, out, err, seconds = run_main(script.main, argv, env)
            check_run("lecture-script", code, out, err, seconds)
            if code == 2:   # a refusal writes nothing
                assert files_in(scratch) == before

    attempt()


# --------------------------------------------------------------------------- the report's cases

REPORTED = [
    (["matrix", "400x400"], 0, "1425636 non-zero entries of 25344640000; too large to print here"),
    (["conv", "--input-values", "[1e400]", "--kernel-values", "[1]"], 2,
     "convmath: error: input values: '1e400' has 401 digits before the point; the limit is 50 "
     "(for one number, and for each of p and q in p/q)"),
    (["conv", "--input-values", "[NaN]", "--kernel-values", "[1]"], 2,
     "convmath: error: input values: NaN is not a finite number"),
    (["conv", "--input-values", "[Infinity]", "--kernel-values", "[1]"], 2,
     "convmath: error: input values: Infinity is not a finite number"),
    (["conv", "--input-values", "[1,{},3]", "--kernel-values", "[1]"], 2,
     "convmath: error: input values: {} is not a number"),
    (["conv", "--input-values", '["1e999999999",1]', "--kernel-values", "[1]"], 2,
     "convmath: error: input values: '1e999999999' has 1000000000 digits before the point; the "
     "limit is 50 (for one number, and for each of p and q in p/q)"),
    (["conv", "--input-values", "[" + "1" * 5000 + "]", "--kernel-values", "[1]"], 2,
     "convmath: error: input values: a number has more than 50 digits (the limit)"),
    (["conv", "--input-values", DEEP[3], "--kernel-values", "[1]"], 2,
     "convmath: error: input values nests 33 levels deep; convmath handles at most 3 axes"),
    (["conv", "--input-values", DEEP[-1], "--kernel-values", "[1]"], 2,
     "convmath: error: input values nests 200000 levels deep; convmath handles at most 3 axes"),
    (["matrix", "5", "--stride", "9223372036854775807"], 2,
     "convmath: error: stride 9223372036854775807 is beyond the limit of 1 000 000 000"),
    (["matrix", "5", "--dilation", "9223372036854775807"], 2,
     "convmath: error: dilation 9223372036854775807 is beyond the limit of 1 000 000 000"),
]


@pytest.mark.parametrize("argv, status, line", REPORTED, ids=lambda v: str(v)[:40])
def test_reported_convmath_cases(argv, status, line):
    code, out, err, seconds = run_main(convmath.cli.main, argv)
    check_run("convmath", code, out, err, seconds)
    assert code == status
    assert line in (err if status else out), (out[:300], err)


def test_matrix_json_of_a_large_input_is_sparse_and_right():
    code, out, err, seconds = run_main(convmath.cli.main, ["matrix", "200x200", "--json"])
    check_run("convmath", code, out, err, seconds)
    data = json.loads(out)
    assert data["format"] == "sparse" and data["shape"] == [39204, 40000]
    assert len(data["rows"]) == len(data["columns"]) == len(data["values"]) == 39204 * 9
    # row 1 (the second output cell) reads input cells 1, 2, 3, then 201, ... with w00, w01, ...
    assert list(zip(data["columns"][9:12], data["values"][9:12])) == [(1, "w00"), (2, "w01"),
                                                                       (3, "w02")]


def test_a_transposed_400x400_by_400x400_is_refused_at_once(tmp_path):
    ones = tmp_path / "ones.json"
    ones.write_text(json.dumps([[1] * 400] * 400))
    code, out, err, seconds = run_main(convmath.cli.main, [
        "conv", "--transposed", "--input-values", f"@{ones}", "--kernel-values", f"@{ones}"])
    check_run("convmath", code, out, err, seconds)
    assert err == "convmath: error: the kernel has 160 000 cells; the limit is 100 000\n"


@pytest.mark.parametrize("prog, argv, env, line", [
    ("lecture", ["--list"], {"LECTURE_QUALITY": "bogus"},
     "lecture: error: LECTURE_QUALITY 'bogus': choose one of low, medium, high, production, 4k"),
    ("lecture", ["--list"], {"LECTURE_LANG": "fr"},
     "lecture: error: LECTURE_LANG 'fr': choose one of es, en"),
    ("lecture", ["--list", "--jobs", "0"], {}, "lecture: error: --jobs '0': give a whole number "
                                              "from 1 to 32"),
    ("lecture-script", ["--jobs", "-3"], {},
     "lecture-script: error: --jobs '-3': give a whole number from 1 to 32"),
])
def test_real_processes_refuse_in_one_line(prog, argv, env, line):
    module = {"lecture": "scenes.production.lecture", "lecture-script": "scenes.production.script"}[prog]
    proc = subprocess.run([sys.executable, "-m", module, *argv], capture_output=True, text=True,
                          env={**os.environ, **env}, cwd=REPO, timeout=60)
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", line + "\n")


def test_reported_lecture_cases(inputs, tmp_path):
    """Each case of the report, in process: the exact line, status 2, nothing written."""
    rec = tmp_path / "rec"
    rec.mkdir()
    cases = [
        (lecture.main, ["--list", "--media", inputs["file"]], {},
         f"lecture: error: --media '{inputs['file']}': is a file, not a folder"),
        (script.main, ["--media", inputs["file"], "--recordings", str(rec)], {},
         f"lecture-script: error: --media '{inputs['file']}': is a file, not a folder"),
        (lecture.main, ["--list", "--jobs", "-3"], {},
         "lecture: error: --jobs '-3': give a whole number from 1 to 32"),
        (script.main, ["--jobs", "0", "--recordings", str(rec)], {},
         "lecture-script: error: --jobs '0': give a whole number from 1 to 32"),
        (script.main, ["--recordings", inputs["file"]], {},
         f"lecture-script: error: --recordings '{inputs['file']}': is a file, not a folder"),
        (script.main, ["--recordings", str(rec), "--out", inputs["folder"]], {},
         f"lecture-script: error: --out '{inputs['folder']}': is a folder; name a file, e.g. "
         f"{inputs['folder']}/script.md"),
        (lecture.main, ["--list"], {"LECTURE_VOICE": "bogus"},
         "lecture: error: LECTURE_VOICE: unknown voice 'bogus'"),
    ]
    for main, argv, env, line in cases:
        before = files_in(tmp_path)
        code, out, err, seconds = run_main(main, argv, env)
        assert (code, out) == (2, ""), (argv, out, err)
        assert err.startswith(line) and err.count("\n") == 1, err
        assert files_in(tmp_path) == before

"""The blog post (``lecture post``): headings in the outline's order, every field filled, no
typed numbers, the fields equal to an independent computation (PyTorch), bad input refused,
clips reused, and the written page opened in a real headless chromium."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from scenes.production.post import build, document as doc, facts, figures
from scenes.production.post.browser import Browser, check_page, inspect_page, page_problems
from scenes.production.post.chapters import at_time, lecture_chapters

LANGS = ("es", "en")

# The outline's headings (the seed draft), in the Spanish post's words.
OUTLINE_WORDS_ES = {
    "convolucion": "Convolución", "convolucion-o-correlacion": "correlación",
    "parametros": "Parámetros de la convolución", "ecuacion-general": "ecuación general",
    "matriz": "convolución como matriz", "conectividad": "Conectividad de los filtros",
    "formulas": "Fórmulas de salida", "transpuesta": "Convolución transpuesta",
    "no-es-deconvolucion": "deconvolución", "transpuesta-conectividad": "por conectividad",
    "transpuesta-matriz": "por matriz", "superposicion": "Visualización por superposición",
    "transpuesta-formulas": "Fórmulas de salida", "extras": "Dudas interesantes",
    "padding-same": "SAME", "dimensiones": "Varias dimensiones",
    "campo-receptivo": "Campo receptivo", "referencias": "Referencias",
}


def _template(tmp_path: Path, lang: str, edit) -> Path:
    original = doc.template_path(lang).read_text(encoding="utf-8")
    text = edit(original)
    assert text != original, "the edit did not apply"
    path = tmp_path / f"draft-{lang}.md"
    path.write_text(text, encoding="utf-8")
    return path


# --- the text -----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_headings_follow_the_outline(lang, tmp_path):
    post, _, _ = build.prepare(lang, tmp_path)
    assert [(s.id, s.level) for s in post.sections[1:]] == doc.OUTLINE
    if lang == "es":
        titles = {s.id: s.title for s in post.sections}
        for sid, words in OUTLINE_WORDS_ES.items():
            assert words.lower() in titles[sid].lower(), (sid, titles[sid])


def test_headings_out_of_order_are_refused(tmp_path):
    def swap(text):
        a = "## La convolución como matriz {#matriz}"
        b = "## Conectividad de los filtros {#conectividad}"
        return text.replace(a, "@@").replace(b, a).replace("@@", b)
    with pytest.raises(doc.PostError, match=r"should be \{#matriz\}"):
        build.prepare("es", tmp_path, template=_template(tmp_path, "es", swap))


@pytest.mark.parametrize("lang", LANGS)
def test_every_field_is_filled(lang, tmp_path):
    post, marked, _ = build.prepare(lang, tmp_path)
    text = doc.strip_markers(marked)
    assert "{{" not in text and "{%" not in text
    assert marked.count(doc.OPEN) == marked.count(doc.CLOSE) > 300


def test_both_languages_use_the_same_numbers():
    used = {lang: set(doc.FIELD.findall(doc.template_path(lang).read_text(encoding="utf-8")))
            for lang in LANGS}
    assert used["es"] == used["en"]


def test_an_unknown_field_is_refused(tmp_path):
    draft = _template(tmp_path, "es", lambda t: t.replace("{{par.first}}", "{{par.primero}}", 1))
    with pytest.raises(doc.PostError, match=r"line \d+: unknown field \{\{par.primero\}\}"):
        build.prepare("es", tmp_path, template=draft)


@pytest.mark.parametrize("typed, where", [
    ("Acá $i = {{par.i}}$.", "Acá $i = 5$."),                      # in a formula
    ("Acá $i = {{par.i}}$.", "Acá $i$ vale 5."),                   # in the prose
    ("una entrada de {{par.i_size}}", "una entrada de 5×5"),       # a size
])
def test_a_typed_number_is_refused(tmp_path, typed, where):
    draft = _template(tmp_path, "es", lambda t: t.replace(typed, where, 1))
    with pytest.raises(doc.PostError, match=r"line \d+: the number 5 is typed"):
        build.prepare("es", tmp_path, template=draft)


@pytest.mark.parametrize("lang", LANGS)
def test_no_number_is_typed(lang, tmp_path):
    """Every digit outside the references and link addresses is a field's (or 0, 1, 2 in a
    formula): what prepare() enforces, asserted here on the real texts."""
    post, _, _ = build.prepare(lang, tmp_path)
    assert doc.typed_numbers(post) == []


def test_display_math_must_stand_alone(tmp_path):
    draft = _template(tmp_path, "es", lambda t: t.replace(
        "Con los números de la animación:\n\n$$", "Con los números de la animación: $$", 1))
    with pytest.raises(doc.PostError, match=r"paragraph of its own"):
        build.prepare("es", tmp_path, template=draft)


# --- the numbers, computed again with PyTorch ------------------------------------------------------

def _numbers(text: str) -> list[int]:
    return [int(v) for v in re.findall(r"-?\d+", text.replace("\u00a0", "").replace("{,}", "")
                                       .replace(r"\,", ""))]


def _t(a) -> torch.Tensor:
    return torch.tensor(np.asarray(a, dtype=np.int64), dtype=torch.float64)


def _size(text: str) -> tuple[int, ...]:
    return tuple(int(v) for v in text.split("×"))


def test_the_numbers_equal_pytorch():
    f = facts.fields("en")
    x, w = _t(figures.FIGURES["a1"].x), _t(figures.FIGURES["a1"].w)
    assert _numbers(f["par.out_tex"]) == F.conv2d(x[None, None], w[None, None]).int().flatten().tolist()
    a1 = F.conv2d(x[None, None], w[None, None], stride=2, padding=1)
    assert _numbers(f["a1.out_tex"]) == a1.int().flatten().tolist()
    assert _size(f["a1.o_size"]) == tuple(a1.shape[2:])
    assert _size(f["par.o_stride"]) == tuple(F.conv2d(x[None, None], w[None, None], stride=2).shape[2:])
    assert _size(f["par.o_dil"]) == tuple(F.conv2d(x[None, None], w[None, None], dilation=2).shape[2:])
    row, krow = x[0][None, None], w[0][None, None]
    assert _numbers(f["corr.corr_tex"]) == F.conv1d(row, krow).int().flatten().tolist()
    assert _numbers(f["corr.conv_tex"]) == F.conv1d(row, krow.flip(-1)).int().flatten().tolist()
    # Cᵀ(C·x) for the deconvolution argument
    x4, w3 = x[:4, :4][None, None], w[None, None]
    cx = F.conv2d(x4, w3)
    assert _numbers(f["tr.cx_tex"]) == cx.int().flatten().tolist()
    assert _numbers(f["tr.back_tex"]) == F.conv_transpose2d(cx, w3).int().flatten().tolist()
    # the transposed convolutions drawn by the figures
    y, wl = (_t(v) for v in facts.T_LINE_VALUES)
    assert _numbers(f["tc.out_tex"]) == F.conv_transpose1d(y[None, None], wl[None, None]).int().flatten().tolist()
    ym, wm = (_t(v) for v in facts.T_MATRIX_VALUES)
    assert _numbers(f["tm.out_tex"]) == F.conv_transpose2d(ym[None, None], wm[None, None]).int().flatten().tolist()
    xs, ws = (_t(v) for v in facts.SUPER_VALUES)
    sup = F.conv_transpose2d(xs[None, None], ws[None, None], stride=2, padding=1)
    assert _numbers(f["sup.out_tex"]) == sup.int().flatten().tolist()
    # from a convolution to its transposed: 28 → 14 → 28 with output_padding a
    down = torch.nn.Conv2d(1, 1, int(f["plan.k"]), int(f["plan.s"]), int(f["plan.p"]), device="meta")
    up = torch.nn.ConvTranspose2d(1, 1, int(f["plan.k"]), int(f["plan.s"]), int(f["plan.p"]),
                                  output_padding=int(f["plan.a"]), device="meta")
    image = torch.empty(1, 1, *_size(f["plan.i"]), device="meta")
    assert tuple(down(image).shape[2:]) == _size(f["plan.o"])
    assert tuple(up(down(image)).shape[2:]) == _size(f["plan.i"])
    # SAME padding: the padding written in the text gives o = ⌈i/s⌉
    for n in (1, 2, 3, 4):
        i, k, s = (int(f[f"same{n}.{key}"]) for key in "iks")
        padded = F.pad(torch.zeros(1, 1, i), (int(f[f"same{n}.before"]), int(f[f"same{n}.after"])))
        assert F.conv1d(padded, torch.zeros(1, 1, k), stride=s).shape[-1] == -(-i // s) == int(f[f"same{n}.o"])
    # parameter counts
    assert sum(p.numel() for p in torch.nn.Conv2d(3, 2, 3).parameters()) == int(f["ch.params"])
    dense = torch.nn.Linear(28 * 28, 26 * 26, bias=False, device="meta")
    assert dense.weight.numel() == int(f["conv.dense"].replace(",", ""))
    assert _vgg16_millions() == (f["vgg.conv"], f["vgg.dense"])


def _vgg16_millions() -> tuple[str, str]:
    conv, c = 0, 3
    for width in [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512]:
        conv += sum(p.numel() for p in torch.nn.Conv2d(c, width, 3, device="meta").parameters())
        c = width
    dense = sum(sum(p.numel() for p in torch.nn.Linear(a, b, device="meta").parameters())
                for a, b in [(512 * 7 * 7, 4096), (4096, 4096), (4096, 1000)])
    return f"{conv / 1e6:.1f}", f"{dense / 1e6:.1f}"


def test_receptive_fields_equal_a_gradient():
    """The receptive field written in the text is the set of inputs with a non-zero gradient."""
    f = facts.fields("en")
    for prefix, layers in (("rf", facts.RF_STRIDED), ("rfd", facts.RF_DILATED)):
        x = torch.ones(1, 1, 64, requires_grad=True)
        y = x
        for layer in layers:
            y = F.conv1d(y, torch.ones(1, 1, layer.kernel), stride=layer.stride,
                         dilation=layer.dilation)
        y[0, 0, y.shape[-1] // 2].backward()
        assert int((x.grad != 0).sum()) == int(f[f"{prefix}.r"])


# --- the command -----------------------------------------------------------------------------------

@pytest.mark.parametrize("argv, message", [
    (["--lang", "fr"], "language must be es or en"),
    (["--video-url", "ftp://example.org/v"], "must be an http(s) address"),
    (["--quality", "best"], "invalid choice"),
])
def test_bad_input_is_one_line_and_status_2(argv, message, tmp_path, capsys):
    assert build.main(argv + ["--media", str(tmp_path / "media")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not (tmp_path / "media" / "post").exists()


def test_a_bad_text_writes_nothing(tmp_path, capsys):
    draft = _template(tmp_path, "es", lambda t: t.replace("+ 1 = {{a1.o}}", "+ 1 = 3", 1))
    assert build.main(["--text", str(draft), "--media", str(tmp_path / "media")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the number 3 is typed" in err
    assert not (tmp_path / "media" / "post").exists()


def test_media_that_is_a_file_is_refused(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    assert build.main(["--media", str(tmp_path / "file")]) == 2
    assert "is not a folder" in capsys.readouterr().err


# --- chapters ----------------------------------------------------------------------------------------

def test_chapters_from_the_bundle_description(tmp_path):
    from scenes.narration.segment_text import load_segment_text

    folder = tmp_path / "youtube" / "en"
    folder.mkdir(parents=True)
    title = load_segment_text("s02_parametros", "en").title
    (folder / "description.txt").write_text(
        f"Title\n\nChapters:\n0:00 Intro\n1:47 {title}\n1:02:03 nothing\n", encoding="utf-8")
    chapters = lecture_chapters(tmp_path, "en")
    assert chapters.starts == {"s02_parametros": 107}
    url = "https://www.youtube.com/watch?v=abc&t=5s"
    assert at_time(url, 107) == "https://www.youtube.com/watch?v=abc&t=107s"
    value = build.field_values("en", chapters, url)
    assert value("chapter:s02_parametros") == f"[“{title}” (1:47)](https://www.youtube.com/watch?v=abc&t=107s)"
    matrix = load_segment_text("s03_matriz", "en").title
    assert value("chapter:s03_matriz") == f"[“{matrix}”]({url})"       # no start time known
    assert build.field_values("en", chapters, None)("chapter:s02_parametros") == f"“{title}” (1:47)"


def _tiny_video(path: Path, seconds: int) -> None:
    import av

    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=10)
        stream.width = stream.height = 64
        stream.pix_fmt = "yuv420p"
        for _ in range(10 * seconds):
            frame = av.VideoFrame.from_ndarray(np.zeros((64, 64, 3), np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def test_chapters_from_the_rendered_segments(tmp_path):
    """Without a bundle, the starts add up the segments' lengths; one segment missing: none."""
    from scenes.production.registry import load_registry

    folder = tmp_path / "lecture" / "es"
    folder.mkdir(parents=True)
    ids = [seg.id for seg in load_registry()]
    for n, seg in enumerate(ids):
        _tiny_video(folder / f"{seg}.mp4", 1 + n % 3)
    chapters = lecture_chapters(tmp_path, "es")
    assert chapters.starts["s01_convolucion"] == 0
    assert chapters.starts["s02_parametros"] == 1 and chapters.starts["s03_matriz"] == 3
    assert chapters.starts[ids[-1]] == sum(1 + n % 3 for n in range(len(ids) - 1))
    (folder / f"{ids[5]}.mp4").unlink()
    assert lecture_chapters(tmp_path, "es").starts == {}


def test_no_lecture_rendered_means_no_times(tmp_path):
    chapters = lecture_chapters(tmp_path, "es")
    assert chapters.starts == {} and chapters.source == ""
    assert len(chapters.titles) >= 13


# --- clips -------------------------------------------------------------------------------------------

def test_a_clip_is_rendered_again_only_when_what_it_shows_changes():
    fig = figures.FIGURES["a1"]
    q = figures.QUALITIES["blog"]
    key = figures.clip_key(fig, "mp4", q, "es", "code")
    assert key == figures.clip_key(fig, "mp4", q, "es", "code")
    other = figures.Figure("a1", facts.A1_DILATED, "slide")
    assert key != figures.clip_key(other, "mp4", q, "es", "code")
    assert key != figures.clip_key(fig, "mp4", q, "en", "code")
    assert key != figures.clip_key(fig, "mp4", q, "es", "other code")
    assert key != figures.clip_key(fig, "mp4", figures.QUALITIES["quick"], "es", "code")


def test_every_figure_is_shown_and_drawable():
    shown = {f.id for lang in LANGS for f in doc.parse(
        doc.template_path(lang).read_text(encoding="utf-8"), lang).figures()}
    assert shown == set(figures.FIGURES)
    figures.check_figures(list(figures.FIGURES.values()), figures.QUALITIES["quick"], "es",
                          Path("/nonexistent-folder"))


# --- the written post, in a real browser ------------------------------------------------------------

SRC = re.compile(r'(?:src|href)="([^"#][^"]*)"')


def missing_files(folder: Path) -> list[str]:
    """Local files index.md and index.html point at (and the fonts katex.min.css names)
    that do not exist."""
    refs = set()
    for name in ("index.md", "index.html"):
        refs.update(r for r in SRC.findall((folder / name).read_text(encoding="utf-8"))
                    if not re.match(r"[a-z]+:", r))
    css = folder / "katex" / "katex.min.css"
    fonts = {f"katex/{u}" for u in re.findall(r"url\((fonts/[^)]+\.woff2)\)", css.read_text())}
    return sorted(r for r in refs | fonts if not (folder / r).is_file())


@pytest.mark.render
@pytest.mark.parametrize("lang", LANGS)
def test_the_post_is_written_and_shows_in_chromium(lang, tmp_path, capsys):
    media = tmp_path / "media"
    argv = ["--lang", lang, "--media", str(media), "--quality", "quick",
            "--video-url", "https://www.youtube.com/watch?v=lecture"]
    assert build.main(argv) == 0
    folder = media / "post" / lang
    md = (folder / "index.md").read_text(encoding="utf-8")
    front = md.split("---\n")[1]
    for key in ("layout: post", "title:", "date:", f"lang: {lang}", "description:", "tags:",
                "published: true", "math: true"):
        assert key in front
    ids = re.findall(r"^#{2,3} .+ \{#([a-z0-9-]+)\}$", md, re.M)
    assert ids == [sid for sid, _ in doc.OUTLINE]
    assert "{{" not in md and "$$" in md
    assert md.count("<video ") == len(figures.FIGURES) == md.count('.gif"')
    assert missing_files(folder) == []
    assert "watch?v=lecture" in md          # the lecture is linked

    shots = tmp_path / "screenshots"
    report = check_page(folder / "index.html", shots)
    assert report.problems == []
    post = doc.parse(doc.strip_markers(build.prepare(lang, media)[1]), lang)
    from scenes.production.post.page import formulas_of
    assert report.info["formulas"] == len(formulas_of(post))
    assert len(report.info["videos"]) == len(figures.FIGURES)
    assert all(v["width"] > 0 for v in report.info["videos"])
    sections = report.info["sections"]
    assert [s["id"] for s in sections][:2] == ["intro", "convolucion"]
    assert len(report.screenshots) == len(sections)
    for png in report.screenshots:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 2000

    # a second run renders nothing and leaves the clips alone
    before = {p.name: p.stat().st_mtime_ns for p in (folder / "figures").iterdir()}
    capsys.readouterr()
    assert build.main(argv) == 0
    assert "(0 rendered, 22 unchanged)" in capsys.readouterr().out
    assert before == {p.name: p.stat().st_mtime_ns for p in (folder / "figures").iterdir()}

    # the checks can fail: a missing clip, and raw LaTeX or a missing video in a page
    gone = folder / "figures" / "a1.gif"
    gone.unlink()
    assert missing_files(folder) == ["figures/a1.gif"]


def test_the_page_check_sees_raw_latex_and_missing_media(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text('<!doctype html><html><body><article><section data-section="intro">'
                    '<p>Half typeset: $$o = i$$</p><video src="missing.mp4" muted loop '
                    'aria-label="x"></video><img src="missing.gif"></section></article>'
                    '</body></html>', encoding="utf-8")
    with Browser() as browser:
        problems = page_problems(inspect_page(browser, page))
    assert any("no formula" in p for p in problems)
    assert any("raw LaTeX" in p for p in problems)
    assert any("video did not load" in p for p in problems)
    assert any("image did not load" in p for p in problems)

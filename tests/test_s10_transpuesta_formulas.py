"""Segment 10 (transposed formulas): every formula, grid and call it shows is convmath's, and
the PyTorch code it shows runs and gives the shape it claims."""

import re

import numpy as np
import pytest

import convmath as cm
from convmath.formulas import transposed_output
from convmath.relationships import RELATIONSHIPS


def as_int(a) -> np.ndarray:
    return np.asarray(a, dtype=object).astype(np.int64)


def numbers_after(text: str, names: str) -> dict:
    """``{"i": 5, ...}`` from a shown text like "… i = 5, k = 3, s = 2, p = 1"."""
    return {n: int(re.search(rf"(?<![\w′]){n} = (\d+)", text).group(1)) for n in names}


def call_kwargs(code: str) -> dict:
    """``{"in": 3, "out": 16, "kernel_size": 3, ...}`` from a shown call
    "name = nn.Name(3, 16, kernel_size=3, ...)" (continuation lines joined)."""
    inner = re.search(r"nn\.\w+\((.*)\)", " ".join(code.split())).group(1)
    parts = [p.strip() for p in inner.split(",")]
    out = {"in": int(parts[0]), "out": int(parts[1])}
    out.update({k: int(v) for k, v in (p.split("=") for p in parts[2:])})
    return out


def run_shown_code(code: dict) -> tuple[tuple, tuple]:
    """Run the code lines the segment shows with PyTorch, as shown (its own imports, nothing
    else given): (the shape the last line evaluates to, the shape its comment claims)."""
    torch = pytest.importorskip("torch")
    namespace = {}
    exec("\n".join(code["imports"] + code["conv"] + code["up"] + code["run"][:-1]), namespace)
    expr, comment = code["run"][-1].split("#")
    with torch.no_grad():
        shape = tuple(eval(expr, namespace))
    claimed = tuple(int(n) for n in re.search(r"\[(.*)\]", comment).group(1).split(","))
    return shape, claimed


@pytest.mark.parametrize("lang", ["es", "en"])
def test_transposed_formulas_segment(run_segment, lang):
    scene = run_segment("s10_transpuesta_formulas", lang)
    assert scene.unspoken_beats() == []
    problems = {beat: p for beat, p in scene.layout_report.items() if p}
    assert problems == {}

    # the superposition reminder: stamps, crop, output
    view = scene.view
    t = view.spec
    x, w = as_int(view.input.shown_values()), as_int(view.kernel.shown_values())
    assert np.array_equal(as_int(view.canvas.shown_values()),
                          cm.transposed_scatter(x, w, t.stride, 0))
    assert np.array_equal(as_int(view.output_values()),
                          cm.transposed_scatter(x, w, t.stride, t.padding))

    # PyTorch's output formula, with the numbers of that example
    card = scene.formula_card
    expected = transposed_output(t, latex=True)
    assert card.general_latex == expected.general
    assert card.result_latex == str(t.output[0]) == str(expected.value)
    assert expected.substituted in card.substituted_latex

    # relationships 8–14: the guide's cases, each as the equivalent direct convolution, with
    # the convolution (i → o) and the transposed one (i′ → o′) written beside it
    seen = []
    for beat_id, panel in scene.panels.items():
        n = panel.relationship
        seen.append(n)
        notes = scene.notes[beat_id]
        p = numbers_after(notes.conv_head.original_text, "ksp")
        p.update(numbers_after(notes.maps[0].original_text, "io"))
        conv = cm.spec((p["i"], p["i"]), p["k"], p["s"], p["p"])
        assert conv.output[0] == p["o"]
        rel = RELATIONSHIPS[n]
        assert rel.transposed and rel.applies(p["i"], p["k"], p["s"], p["p"], 1)
        o_prime = rel.output(p["i"], p["k"], p["s"], p["p"], 1)
        assert o_prime == p["i"]                           # the transpose undoes the shape
        assert panel.card.result_latex == str(o_prime)
        assert panel.output.shape == (o_prime, o_prime)
        assert re.search(r"i′ = (\d+)", notes.t_in.original_text).group(1) == str(p["o"])
        assert re.search(r"o′ = (\d+)", notes.t_out.original_text).group(1) == str(o_prime)
        # the direct convolution's input: i′ = o, s − 1 zeros between, padding k − p − 1,
        # the a extra zeros after (bottom/right)
        ip = conv.output[0]
        zeros = p["s"] - 1
        a = (p["i"] + 2 * p["p"] - p["k"]) % p["s"]
        before, after = p["k"] - p["p"] - 1, p["k"] - p["p"] - 1 + a
        stretched = (ip - 1) * (zeros + 1) + 1
        assert panel.input.shape == (stretched + before + after,) * 2
        kinds = panel.input.cell_kind
        assert (kinds == "input").sum() == ip * ip
        assert (kinds == "inserted").sum() == stretched ** 2 - ip * ip
        assert panel.input.label.original_text.endswith(f"{ip}×{ip}")
        shown = panel.input.shown_values()
        assert all(shown[c] == 0 for c in zip(*np.nonzero(kinds != "input")))
        # the kernel slides with stride 1 over it: o′ positions per axis
        assert panel.input.shape[0] - p["k"] + 1 == o_prime
        legend = {s_.cell_kind.ravel()[0]: t_.original_text
                  for s_, t_ in zip(panel.legend.samples, panel.legend.texts)}
        assert legend["padding"].endswith(f"= {before}")
        assert ("inserted" in legend) == (zeros > 0)
        if zeros:
            assert legend["inserted"].endswith(f"= {zeros}")
        if n == 14:
            assert a > 0 and len(panel.extra_marks) == 2
            assert panel.extra_label.original_text == f"a = {a}"
            # two inputs give the same output; the a card says why the transpose picks i
            inputs = [numbers_after(m.original_text, "io") for m in notes.maps]
            assert sorted(d["i"] for d in inputs) == [p["i"] - a, p["i"]]
            assert {d["o"] for d in inputs} == {ip} == {cm.spec(d["i"], p["k"], p["s"], p["p"])
                                                        .output[0] for d in inputs}
            assert scene.a_card.result_latex == str(a)
            assert scene.a_card.substituted_latex.startswith(
                f"a = ({p['i']} + 2\\cdot {p['p']} - {p['k']}) \\bmod {p['s']}")
    assert seen == list(range(8, 15))

    # the odd case in PyTorch's terms: output_padding = a; the output without it and with it
    odd = scene.panels["r14"]
    tp = odd.spec
    assert tp.output_padding[0] == odd.plan.a[0]
    first, second = scene.op_lines
    bare = cm.transposed(tp.input, tp.kernel, tp.stride, tp.padding)
    assert first.result_latex == str(bare.output[0]) == str(scene.op_without.value)
    assert second[2].tex_string.strip() == str(tp.output[0]) == str(scene.op_with.value)
    assert bare.output[0] == tp.output[0] - tp.output_padding[0]

    # the worked example: PyTorch code that runs and gives the shape convmath says
    code = scene.code_lines
    conv_kw = call_kwargs(" ".join(code["conv"]))
    t_kw = call_kwargs(" ".join(code["up"]))
    src, mid, back = scene.plan_squares
    channels, *size = (int(n) for n in src[1].original_text.split()[-1].split("×"))
    assert channels == conv_kw["in"]
    conv = cm.spec(tuple(size), conv_kw["kernel_size"], conv_kw["stride"], conv_kw["padding"],
                   in_channels=conv_kw["in"], out_channels=conv_kw["out"])
    assert mid[1].original_text.endswith("×".join(map(str, (conv.out_channels, *conv.output))))
    for key in ("kernel_size", "stride", "padding"):
        assert t_kw[key] == conv_kw[key]
    assert (t_kw["in"], t_kw["out"]) == (conv_kw["out"], conv_kw["in"])
    t2 = cm.transposed(conv.output, t_kw["kernel_size"], t_kw["stride"], t_kw["padding"],
                       output_padding=t_kw["output_padding"], in_channels=t_kw["in"],
                       out_channels=t_kw["out"])
    assert t2.output == conv.input
    assert back[1].original_text.endswith("×".join(map(str, (t2.out_channels, *t2.output))))
    assert scene.plan_card.result_latex == str(conv.input[0])
    shape, claimed = run_shown_code(code)
    assert shape == claimed == (1, t2.out_channels, *t2.output)
    # the code on screen is these lines, one Text each
    texts = [line.original_text for line in (*scene.conv_code, *scene.transposed_code[0],
                                             *scene.transposed_code[1])]
    assert texts == [line.strip() for line in
                     code["imports"] + code["conv"] + code["up"] + code["run"]]
    # the guide's terms: zeros between, padding before/after, stretched and padded sizes
    nums = scene.paper_numbers
    assert nums["z"] == t_kw["stride"] - 1
    assert nums["b"] == t_kw["kernel_size"] - t_kw["padding"] - 1
    assert nums["a"] == nums["b"] + t_kw["output_padding"]
    assert nums["stretched"] == (conv.output[0] - 1) * t_kw["stride"] + 1
    assert nums["padded"] == nums["stretched"] + nums["b"] + nums["a"]
    assert nums["o"] == nums["padded"] - t_kw["kernel_size"] + 1 == conv.input[0]
    text = " ".join(line.original_text for line in scene.paper_lines)
    for v in (nums["stretched"], nums["padded"], nums["o"]):
        assert f"{v}×{v}" in text


def test_shown_code_check_catches_a_wrong_call():
    """The run check fails when the shown call would not go back to the input's shape (here:
    output_padding left out, as if the odd case were forgotten)."""
    import scenes.s10_transpuesta_formulas as s10

    code = s10.plan_code(cm.plan_transpose(s10.PLAN_CONV))
    broken = dict(code, up=[re.sub(r",\s*output_padding=\d+", "", " ".join(code["up"]))])
    shape, claimed = run_shown_code(broken)
    assert shape != claimed


def test_wrapped_call_is_still_python():
    import scenes.s10_transpuesta_formulas as s10

    line = "up = nn.ConvTranspose2d(16, 3, kernel_size=3, stride=2, padding=1, output_padding=1)"
    lines = s10.wrap_call(line, 50)
    assert all(len(x) <= 50 for x in lines) and len(lines) > 1
    compile("\n".join(["nn = None"] + lines), "<shown>", "exec")
    assert " ".join(" ".join(lines).split()) == line


@pytest.mark.parametrize("z, expected", [(1, "1 zero between"), (2, "2 zeros between"),
                                         (0, "0 zeros between")])
def test_english_zero_count_reads_right(z, expected):
    from scenes.kit.text.numfmt import counted
    from scenes.narration.segment_text import load_segment_text

    text = load_segment_text("s10_transpuesta_formulas", "en")
    zeros = counted(z, text.string("zero_one"), text.string("zero_many"))
    shown = text.string("paper_zeros", zeros=zeros, ip=14, st=27)
    said = text.beat("plan_paper").format(zeros=zeros, b=1, a=2).text
    assert shown.startswith(expected) and f"insert <bookmark mark='zeros'/>{expected}" in said


def test_transposed_relationship_formulas():
    from scenes.kit.cases.transposed_case import transposed_relationship_formula

    f = transposed_relationship_formula(14, 6, 3, 2, 1)
    assert f.substituted == r"2(3 - 1) + 1 + 3 - 2\cdot 1" and f.value == 6
    assert transposed_relationship_formula(8, 4, 3).substituted == "2 + (3 - 1)"
    with pytest.raises(cm.ConvError):
        transposed_relationship_formula(12, 6, 3, 2, 0)      # s does not divide i − k
    with pytest.raises(cm.ConvError):
        transposed_relationship_formula(5, 6, 3, 2, 0)       # not a transposed relationship


def test_remainder_formula_is_checked_against_convmath():
    import scenes.s10_transpuesta_formulas as s10

    f = s10.remainder_formula(cm.spec(6, 3, 2, 1), 1)
    assert f.value == 1 and f.substituted == r"(6 + 2\cdot 1 - 3) \bmod 2"
    with pytest.raises(cm.ConvError):
        s10.remainder_formula(cm.spec(6, 3, 2, 1), 0)
    assert s10.same_output_inputs(cm.spec(6, 3, 2, 1)) == [5, 6]

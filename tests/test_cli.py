"""The convmath command end to end: real processes, output, error lines, exit codes."""

import json
import subprocess
import sys

import numpy as np
import pytest
import torch

import convmath as cm


def run(*args):
    proc = subprocess.run([sys.executable, "-m", "convmath.cli", *args], capture_output=True,
                          text=True)
    return proc.returncode, proc.stdout, proc.stderr


def test_shape_writes_the_formula_with_numbers():
    code, out, err = run("shape", "7", "--kernel", "3", "--stride", "2", "--padding", "1")
    assert code == 0 and err == ""
    assert "o = ⌊(i + 2p − d(k−1) − 1)/s⌋ + 1 = ⌊(7 + 2·1 − 1·2 − 1)/2⌋ + 1 = 4" in out


def test_shape_json_keys_and_2d_sizes():
    code, out, _ = run("shape", "7x5", "-k", "4", "-s", "2", "-p", "same", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["output"] == [4, 3]
    assert data["padding"] == [[1, 2], [1, 2]]


def test_asymmetric_and_per_axis_padding():
    _, out, _ = run("shape", "6x6", "-k", "3", "-p", "0:1,2", "--json")
    data = json.loads(out)
    assert data["padding"] == [[0, 1], [2, 2]]
    assert data["output"] == [5, 8]


def test_transposed_shape():
    _, out, _ = run("shape", "3", "-k", "3", "-s", "2", "-p", "1", "--transposed",
                    "--output-padding", "1", "--json")
    assert json.loads(out)["output"] == [6]


def test_transpose_plan_json_builds_a_working_pytorch_layer():
    code, out, _ = run("transpose", "6x5", "-k", "3", "-s", "2", "-p", "1", "--json")
    data = json.loads(out)
    assert code == 0
    pt = data["pytorch"]
    layer = torch.nn.ConvTranspose2d(1, 1, pt["kernel_size"], stride=pt["stride"],
                                     padding=pt["padding"], output_padding=pt["output_padding"],
                                     dilation=pt["dilation"])
    y = layer(torch.zeros(1, 1, *data["transposed"]["input"]))
    assert list(y.shape[-2:]) == [6, 5] == data["transposed"]["output"]
    assert data["direct"]["zeros_between"] == [1, 1]
    assert data["direct"]["padding"] == [[1, 2], [1, 1]]


def test_transpose_human_output():
    _, out, _ = run("transpose", "6", "-k", "3", "-s", "2", "-p", "1")
    assert "ConvTranspose1d(kernel_size=3, stride=2, padding=1, output_padding=1" in out
    assert "1 zero inserted between inputs, padding 1 before and 2 after" in out


def test_matrix_symbolic_and_numeric():
    code, out, _ = run("matrix", "4x4", "-k", "3", "--json")
    data = json.loads(out)
    assert code == 0 and data["shape"] == [4, 16]
    assert data["matrix"][0][:4] == ["w00", "w01", "w02", 0]
    _, out, _ = run("matrix", "4", "-k", "3", "--kernel-values", "[1,2,3]", "--json")
    assert json.loads(out)["matrix"] == [[1, 2, 3, 0], [0, 1, 2, 3]]


def test_conv_values_match_pytorch(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.integers(-5, 6, size=(6, 7))
    w = rng.integers(-3, 4, size=(3, 2))
    f = tmp_path / "x.json"
    f.write_text(json.dumps(x.tolist()))
    code, out, _ = run("conv", "--input-values", f"@{f}", "--kernel-values",
                       json.dumps(w.tolist()), "-s", "2", "-p", "1", "--json")
    assert code == 0
    ref = torch.nn.functional.conv2d(torch.tensor(x, dtype=torch.float64)[None, None],
                                     torch.tensor(w, dtype=torch.float64)[None, None],
                                     stride=2, padding=1)
    assert json.loads(out)["output"] == ref[0, 0].long().tolist()


def test_conv_true_convolution_and_fractions():
    _, out, _ = run("conv", "--input-values", "[1, 2, 3]", "--kernel-values", "[1, 0]",
                    "--op", "convolution", "--json")
    assert json.loads(out)["output"] == [2, 3]
    _, out, _ = run("conv", "--input-values", '["1/2", 2, 3]', "--kernel-values", "[1, 1]",
                    "--json")
    assert json.loads(out)["output"] == ["5/2", 5]


def test_receptive_field():
    code, out, _ = run("receptive-field", "--layer", "3,1,1", "--layer", "3,2,1", "--layer",
                       "3,1,1", "--json")
    layers = json.loads(out)["layers"]
    assert code == 0
    assert [f["size"] for f in layers] == [3, 5, 9]
    assert [f["jump"] for f in layers] == [1, 2, 2]
    _, out, _ = run("receptive-field", "--layer", "3,1,1", "--layer", "3,2,1")
    assert "= 5" in out


def test_receptive_field_center_column_holds_the_center_of_the_field():
    """The column and key say "center" and hold the middle of output 0's field, not its start:
    two unpadded 3-wide layers see input cells 0 to 4, centered on 2."""
    code, out, _ = run("receptive-field", "--layer", "3,1,0", "--layer", "3,1,0")
    header, first, second = out.splitlines()[:3]
    assert code == 0 and header.split()[-2:] == ["center", "eff.pad"]
    assert [first.split()[-2], second.split()[-2]] == ["1", "2"]
    assert "sees input cells 0 to 4 (negative: padding), centered on 2" in out
    _, out, _ = run("receptive-field", "--layer", "3,1,0", "--layer", "2,2,0", "--json")
    layers = json.loads(out)["layers"]
    assert [f["center"] for f in layers] == [1, "3/2"] and "start" not in layers[0]


@pytest.mark.parametrize("args, words", [
    (["shape", "5", "-k", "9"], "kernel 9 is larger than padded input 5"),
    (["shape", "5", "-k", "3", "-d", "3"], "kernel 3 (dilated 7) is larger than padded input 5"),
    (["shape", "5", "-k", "3", "-s", "0"], "stride must be at least 1"),
    (["shape", "5", "-k", "3", "-d", "0"], "dilation must be at least 1"),
    (["shape", "5", "-k", "3", "-p", "-1"], "padding must not be negative"),
    (["shape", "3", "-k", "3", "-t", "--output-padding", "2", "-s", "2"],
     "output_padding 2 must be smaller than stride 2"),
    (["shape", "5x", "-k", "3"], "input size must be integers"),
    (["shape", "5x5", "-k", "3x3x3"], "kernel has 3 axes but the input has 2"),
    (["shape", "5", "-p", "middle"], "padding must be"),
    (["conv", "--input-values", "[1,2", "--kernel-values", "[1]"], "not a JSON array"),
    (["frobnicate"], "invalid choice"),
    (["receptive-field"], "at least one --layer"),
])
def test_errors_are_one_line_with_status_2(args, words):
    code, out, err = run(*args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("convmath: error: ")
    assert words in err
    assert "Traceback" not in err


def test_help_lists_subcommands():
    code, out, _ = run("--help")
    assert code == 0
    for name in ("shape", "transpose", "matrix", "conv", "receptive-field"):
        assert name in out


def test_console_script_is_installed():
    import shutil
    exe = shutil.which("convmath") or str(__import__("pathlib").Path(sys.executable).parent / "convmath")
    proc = subprocess.run([exe, "shape", "4", "-k", "3"], capture_output=True, text=True)
    assert proc.returncode == 0 and "= 2" in proc.stdout


@pytest.mark.parametrize("values, words", [
    ("[[1,2],[3]]", "rectangular"),
    ("[]", "empty row"),
    ('["x"]', "is not a number"),
])
def test_bad_value_arrays_are_one_line(values, words):
    code, out, err = run("conv", "--input-values", values, "--kernel-values", "[1]")
    assert code == 2 and out == "" and words in err and err.count("\n") == 1


def test_before_after_padding_applies_to_every_axis():
    _, out, _ = run("shape", "7", "--padding", "0:1", "--json")
    assert json.loads(out)["padding"] == [[0, 1]]
    _, out, _ = run("shape", "7x7", "--padding", "0:1", "--json")
    assert json.loads(out)["padding"] == [[0, 1], [0, 1]]

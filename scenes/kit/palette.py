"""One place for the kit's colours, stroke widths and font sizes.

The roles follow the paper's animations (Dumoulin & Visin) so viewers recognise
them: the input is blue, the output cyan, the kernel footprint a shaded warm
overlay and padding cells are dashed and dim. The background (#0f1419) is set in
``manim.cfg``; it is repeated here so stills and tests can use it too.
"""

from __future__ import annotations

from manim import ManimColor, rgb_to_color

BACKGROUND = ManimColor("#0f1419")

# --- roles -----------------------------------------------------------------------------------
INPUT = rgb_to_color((38 / 255, 139 / 255, 210 / 255))    # RGB(38,139,210), the paper's blue
OUTPUT = rgb_to_color((42 / 255, 161 / 255, 152 / 255))   # RGB(42,161,152), the paper's cyan
KERNEL = ManimColor("#f2a93b")                             # amber: the kernel and its weights
FOOTPRINT = ManimColor("#f2a93b")                          # shading of the cells under the kernel
FOOTPRINT_OPACITY = 0.45
PADDING = ManimColor("#7c8791")                            # dashed, dim outline
PADDING_OPACITY = 0.0                                      # padding cells are not filled
INSERTED = ManimColor("#b58ad6")                           # zeros inserted by a transposed conv
INSERTED_OPACITY = 0.18
HIGHLIGHT = ManimColor("#ffd75e")                          # a window, a row, a chosen cell
MUTED = ManimColor("#3a4550")                              # de-emphasised lines and cells

ROLE_COLORS = {
    "input": INPUT,
    "output": OUTPUT,
    "kernel": KERNEL,
    "padding": PADDING,
    "inserted": INSERTED,
}

# The red, green and blue channels of a colour image (readable as text on the background).
CHANNEL_COLORS = [ManimColor("#e8603c"), ManimColor("#2fb67f"), ManimColor("#56b4e9")]

# Fill opacities of a cell by kind: drawn cells are lightly filled, their numbers stay readable.
FILL_OPACITY = {
    "input": 0.35,
    "output": 0.35,
    "kernel": 0.35,
    "padding": PADDING_OPACITY,
    "inserted": INSERTED_OPACITY,
    "empty": 0.06,       # an output cell not computed yet
}

# One colour per kernel tap (connectivity lines, matrix entries and heat maps, tap keys): shared
# weights are the same colour wherever they appear. The seven colours of Okabe & Ito's palette
# for colour-blind viewers (black left out: the background is dark) plus three light extras
# chosen to keep away from them and from the text colours. All nine stay apart (CIEDE2000
# difference at least 10) for normal vision and simulated protanopia, deuteranopia and
# tritanopia, and read at 4.5:1 or better on the background (tests/test_palette.py). Indices 1
# (vermilion) and 4 (sky blue) keep the hue they had, as some scenes use them by index.
TAP_COLORS = [
    ManimColor("#e69f00"),  # orange
    ManimColor("#d55e00"),  # vermilion
    ManimColor("#009e73"),  # bluish green
    ManimColor("#cc79a7"),  # reddish purple
    ManimColor("#56b4e9"),  # sky blue
    ManimColor("#f0e442"),  # yellow
    ManimColor("#7777ff"),  # periwinkle
    ManimColor("#bbcc88"),  # sage
    ManimColor("#cceeff"),  # pale blue
]


# Fill opacity of a cell shaded in a tap colour (a kernel key, the taps of a footprint): white
# digits on it keep 4.5:1 against the lightest tap colour.
TAP_SHADE_OPACITY = 0.3


def tap_color(flat_tap: int) -> ManimColor:
    """The colour of kernel tap number ``flat_tap`` (row-major), cycling if there are many."""
    return TAP_COLORS[int(flat_tap) % len(TAP_COLORS)]


# --- text ------------------------------------------------------------------------------------
TEXT = ManimColor("#e6e1cf")          # body text
TEXT_DIM = ManimColor("#8a949e")      # secondary text, captions, zeros on padding
TEXT_ON_CELL = ManimColor("#f5f5f5")  # digits inside cells
# zeros on padding cells (their dashed outline says they are padding): light enough to keep
# 4.5:1 under a kernel footprint's shading, amber or any tap colour
PADDING_TEXT = ManimColor("#cfd5db")
TITLE = ManimColor("#f5f5f5")
INPUT_TEXT = ManimColor("#6cb6ee")   # input values written outside their cells (lighter blue)
OUTPUT_TEXT = ManimColor("#4fd1c5")  # output values written outside their cells (lighter cyan)
ACCENT = HIGHLIGHT

FONT = "DejaVu Sans"                  # has − × · and every Spanish accent
TITLE_FONT = "Lato"

# Font sizes (Manim units of font_size; 48 is Manim's default).
FONT_SIZES = {
    "title": 56,
    "subtitle": 32,
    "label": 26,        # "Entrada 5×5"
    "formula": 40,
    "body": 30,
    "caption": 22,      # corner captions
    "products": 30,     # the line "3·1 + 0·2 + … = 17"
    "cell": 24,         # numbers inside cells of the default size
    "tap": 12,          # small kernel weights in a cell's corner
}
TITLE_SIZE = FONT_SIZES["title"]
SUBTITLE_SIZE = FONT_SIZES["subtitle"]
LABEL_SIZE = FONT_SIZES["label"]
FORMULA_SIZE = FONT_SIZES["formula"]
BODY_SIZE = FONT_SIZES["body"]
CAPTION_SIZE = FONT_SIZES["caption"]

# Geometry.
# Players draw subtitles over the bottom 15 % of the frame (8 units high): nothing to read
# goes below this line while the voice speaks.
SUBTITLE_TOP = -2.8
CELL_SIZE = 0.6
CELL_STROKE = 2.0
FRAME_MARGIN = 0.3

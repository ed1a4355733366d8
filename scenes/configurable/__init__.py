"""Parameters of the configurable scenes (A1–A3) and the clip command, read from
CONV_* settings and checked with convmath before anything is drawn. Never imports manim.
"""

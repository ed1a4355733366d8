"""The lecture's segments, in order: one module per post section."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    id: str        # also the narration text's file name and the output's name
    module: str    # the module in scenes/ that draws it
    scene: str     # the scene class to render


SEGMENTS: list[Segment] = [
    Segment("s01_convolucion", "s01_convolucion", "Convolucion"),
    Segment("s02_parametros", "s02_parametros", "ParametrosConvolucion"),
    Segment("s03_matriz", "s03_matriz", "ConvolucionComoMatriz"),
    Segment("s04_conectividad", "s04_conectividad", "ConectividadFiltros"),
    Segment("s05_formulas", "s05_formulas", "FormulasSalida"),
    Segment("s06_transpuesta", "s06_transpuesta", "ConvolucionTranspuesta"),
    Segment("s07_transpuesta_conectividad", "s07_transpuesta_conectividad",
            "TranspuestaPorConectividad"),
    Segment("s08_transpuesta_matriz", "s08_transpuesta_matriz", "TranspuestaPorMatriz"),
    Segment("s09_superposicion", "s09_superposicion", "VisualizacionSuperposicion"),
    Segment("s10_transpuesta_formulas", "s10_transpuesta_formulas", "FormulasTranspuesta"),
    Segment("x1_padding_same", "x1_padding_same", "PaddingSame"),
    Segment("x2_dimensiones", "x2_dimensiones", "VariasDimensiones"),
    Segment("x3_campo_receptivo", "x3_campo_receptivo", "CampoReceptivo"),
]


def segment_number(segment_id: str) -> int:
    """The segment's position in the lecture, counting from 1 (shown on its title card)."""
    for n, seg in enumerate(SEGMENTS, 1):
        if seg.id == segment_id:
            return n
    raise KeyError(f"unknown segment {segment_id!r}")

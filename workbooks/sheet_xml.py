"""The order of a worksheet part's child elements (ECMA-376 Part 1, §18.3.1.99 CT_Worksheet).

Excel refuses a sheet whose elements are out of this order, so every step that inserts an
element into sheet XML written by openpyxl (page setup of a printout, a drawing or a
header/footer picture put back) finds its place from this one sequence.
"""

from __future__ import annotations

WORKSHEET_CHILDREN: tuple[str, ...] = (
    "sheetPr",
    "dimension",
    "sheetViews",
    "sheetFormatPr",
    "cols",
    "sheetData",
    "sheetCalcPr",
    "sheetProtection",
    "protectedRanges",
    "scenarios",
    "autoFilter",
    "sortState",
    "dataConsolidate",
    "customSheetViews",
    "mergeCells",
    "phoneticPr",
    "conditionalFormatting",
    "dataValidations",
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
)


def children_after(name: str) -> tuple[str, ...]:
    """The elements a worksheet may hold after ``name``, in order."""
    return WORKSHEET_CHILDREN[WORKSHEET_CHILDREN.index(name) + 1 :]


__all__ = ["WORKSHEET_CHILDREN", "children_after"]

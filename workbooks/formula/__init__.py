"""A focused Excel formula evaluator: the ordinary functions of bureau workbooks plus ``TJ_``.

:func:`workbooks.formula.workbook.evaluate` computes every formula of an .xlsx/.xlsm file.
"""

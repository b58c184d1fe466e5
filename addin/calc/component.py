"""The UNO component of the 统计助手 Calc extension (runs inside LibreOffice's Python).

Never imported by the project: the build copies it into the ``.oxt`` as
``tongji_component.py``, next to ``pythonpath/`` holding :mod:`udfs`, ``tongji_cells``
(:mod:`addin.calc.cells`) and ``tongji_calc_parts`` (the function names and the Basic
wrappers, generated from the catalogue).

- ``Tongji`` (service ``com.sun.star.sheet.AddIn``): one method per ``TJ_`` function, each
  running the same kernel as Excel (:data:`udfs.functions.FUNCTIONS`), for the Basic ``TJ_``
  wrappers only (their last argument marks the call; any other call gives ``#VALUE!``). NumPy and the kernels
  are imported at the first call, so the extension installs (and ``tongji doctor`` can report)
  even where NumPy is missing.
- ``Setup`` (a job run when LibreOffice starts): writes the Basic ``TJ_`` wrappers into the
  user's 我的宏/Standard library, the one library Calc resolves cell functions from without
  being asked; an up-to-date module is left alone.
"""

import tongji_calc_parts as parts
import unohelper
from com.sun.star.task import XJob
from org.tongji.calc import XTongji

ERROR = 4  # com.sun.star.sheet.FormulaResult.ERROR


def _error_cells(cell_range):
    """``(row, column, Calc error number)`` of every error cell of a range."""
    origin = cell_range.getRangeAddress()
    found = []
    for block in cell_range.queryFormulaCells(ERROR).getRangeAddresses():
        for row in range(block.StartRow - origin.StartRow, block.EndRow - origin.StartRow + 1):
            for column in range(
                block.StartColumn - origin.StartColumn, block.EndColumn - origin.StartColumn + 1
            ):
                cell = cell_range.getCellByPosition(column, row)
                found.append((row, column, cell.getError()))
    return found


def _argument(value):
    """A referenced range (the VBA ``Range`` object the Basic wrapper receives) read with its
    blank and error cells; any other argument (a number, a text, rows of values, ``None``) as
    Calc computed it."""
    if type(value).__name__ != "pyuno":  # no UNO object: no introspection needed
        return value
    import tongji_cells

    cell_range = value.getCellRange()
    rows = cell_range.getDataArray()
    # error cells are the only empty elements of a DataArray (blank cells are "")
    errors = _error_cells(cell_range) if any(None in row for row in rows) else []
    return tongji_cells.range_values(rows, errors)


def _method(name):
    def method(self, *args):
        import tongji_cells

        from udfs.functions import FUNCTIONS

        own = tongji_cells.from_wrapper(args, parts.WRAPPER_TOKEN)
        if own is None:  # TJ.GROWTH from a cell: a blank may have arrived as 0
            return tongji_cells.NOT_FROM_A_WRAPPER
        given = tongji_cells.skipped(parts.PARAMETERS[name], own)
        if given is None:  # a 0 that may be an argument left empty: refused, not guessed
            return tongji_cells.AMBIGUOUS_ZERO
        return tongji_cells.call(FUNCTIONS[name], *map(_argument, given))

    method.__name__ = name
    return method


class Tongji(unohelper.Base, XTongji):
    def __init__(self, ctx):
        self.ctx = ctx


for _name in parts.NAMES:
    setattr(Tongji, _name, _method(_name))


def install_basic(ctx):
    """Put the current wrappers into 我的宏/Standard; returns whether anything changed."""
    libraries = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.script.ApplicationScriptLibraryContainer", ctx
    )
    if not libraries.hasByName("Standard"):
        libraries.createLibrary("Standard")
    libraries.loadLibrary("Standard")
    standard = libraries.getByName("Standard")
    if standard.hasByName(parts.BASIC_MODULE):
        if standard.getByName(parts.BASIC_MODULE) == parts.BASIC_SOURCE:
            return False
        standard.replaceByName(parts.BASIC_MODULE, parts.BASIC_SOURCE)
    else:
        standard.insertByName(parts.BASIC_MODULE, parts.BASIC_SOURCE)
    libraries.storeLibraries()
    return True


class Setup(unohelper.Base, XJob):
    def __init__(self, ctx):
        self.ctx = ctx

    def execute(self, arguments):
        install_basic(self.ctx)
        return None


g_ImplementationHelper = unohelper.ImplementationHelper()
g_ImplementationHelper.addImplementation(
    Tongji, parts.ADDIN_SERVICE, ("com.sun.star.sheet.AddIn", parts.ADDIN_SERVICE)
)
g_ImplementationHelper.addImplementation(
    Setup, parts.SETUP_SERVICE, ("com.sun.star.task.Job", parts.SETUP_SERVICE)
)

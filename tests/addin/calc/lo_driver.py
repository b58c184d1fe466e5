"""Drive a headless LibreOffice through UNO: install an extension, open, recalculate, read and
save workbooks. Run with the Python that has ``uno`` (``/usr/bin/python3`` on Debian), not the
project's virtual environment; the tests call it through :mod:`tests.addin.calc.libreoffice_calc`.

    python3 lo_driver.py PIPE install EXTENSION.oxt
    python3 lo_driver.py PIPE basic            # is the TJ_ Basic module in 我的宏/Standard?
    python3 lo_driver.py PIPE basic-set MODULE SOURCE.bas   # replace a module's Basic source
    python3 lo_driver.py PIPE run JOBS.json    # prints the results as JSON
    python3 lo_driver.py PIPE terminate

A job: ``{"open": path, "formulas": {"Sheet1!C2": "=TJ_GROWTH(A2;B2)"}, "calculate": true,
"values": {"Sheet1!B2": 0}, "read": true, "save": [[path, filter name], ...]}`` — formulas are
set, the document is recalculated in full (unless ``calculate`` is false), then ``values`` are
typed in (Calc's automatic recalculation updates what depends on them), then it is read and saved. ``read`` returns every non-empty cell of every sheet
with its formula, value, text and Calc error number.
"""

import json
import sys
import time

import uno
import unohelper
from com.sun.star.beans import PropertyValue
from com.sun.star.task import XInteractionHandler
from com.sun.star.ucb import XCommandEnvironment, XProgressHandler


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe, wait=60.0):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + wait
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # NoConnectException while soffice starts
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class Approve(unohelper.Base, XInteractionHandler):
    """Answers every question of the extension manager with 'yes' (as unopkg does)."""

    def handle(self, request):
        approve = uno.getTypeByName("com.sun.star.task.XInteractionApprove")
        for continuation in request.getContinuations():
            if continuation.queryInterface(approve) is not None:
                continuation.select()
                return


class Quiet(unohelper.Base, XProgressHandler):
    def push(self, status):
        pass

    def update(self, status):
        pass

    def pop(self):
        pass


class Environment(unohelper.Base, XCommandEnvironment):
    def getInteractionHandler(self):
        return Approve()

    def getProgressHandler(self):
        return Quiet()


def install(ctx, path):
    manager = ctx.getValueByName("/singletons/com.sun.star.deployment.ExtensionManager")
    url = uno.systemPathToFileUrl(path)
    extension = manager.addExtension(url, (), "user", None, Environment())
    return {"installed": extension.getIdentifier().Value}


def basic_status(ctx):
    libraries = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.script.ApplicationScriptLibraryContainer", ctx
    )
    libraries.loadLibrary("Standard")
    standard = libraries.getByName("Standard")
    return {"modules": list(standard.getElementNames())}


def basic_set(ctx, module, path):
    """Replace the Basic source of ``module`` in 我的宏/Standard (for the running session)."""
    libraries = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.script.ApplicationScriptLibraryContainer", ctx
    )
    libraries.loadLibrary("Standard")
    standard = libraries.getByName("Standard")
    with open(path, encoding="utf-8") as handle:
        standard.replaceByName(module, handle.read())
    return {"replaced": module}


ERROR_RESULT = 4  # com.sun.star.sheet.FormulaResult
TEXT_RESULT = 2
VALUE_RESULT = 1


def column_name(index):
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def read_sheet(sheet):
    """Every non-empty cell: whole-range reads (formulas, values) plus one call per error cell."""
    cursor = sheet.createCursor()
    cursor.gotoEndOfUsedArea(False)
    end = cursor.RangeAddress
    area = sheet.getCellRangeByPosition(0, 0, end.EndColumn, end.EndRow)
    formulas = area.getFormulaArray()
    data = area.getDataArray()
    errors = {}
    for block in area.queryFormulaCells(ERROR_RESULT).getRangeAddresses():
        for row in range(block.StartRow, block.EndRow + 1):
            for col in range(block.StartColumn, block.EndColumn + 1):
                errors[row, col] = sheet.getCellByPosition(col, row).getError()
    cells = {}
    for row, (formula_row, data_row) in enumerate(zip(formulas, data, strict=True)):
        for col, (formula, value) in enumerate(zip(formula_row, data_row, strict=True)):
            is_formula = formula.startswith(("=", "{="))  # {=…}: part of an array formula
            if not is_formula and formula == "" and value == "":
                continue
            error = errors.get((row, col), 0)
            if error:
                kind = ERROR_RESULT
            elif is_formula and value == 0.0:
                # a DataArray shows an empty-text result of an array formula as 0: ask the cell
                cell = sheet.getCellByPosition(col, row)
                kind = cell.FormulaResultType2
                value = cell.getString() if kind == TEXT_RESULT else value
            else:
                kind = TEXT_RESULT if isinstance(value, str) else VALUE_RESULT
            cells[f"{column_name(col)}{row + 1}"] = {
                "formula": formula if is_formula else None,
                "value": value if isinstance(value, float) else 0.0,
                "text": value if isinstance(value, str) else "",
                "error": error,
                "result": kind if is_formula else None,
            }
    return cells


def read_book(doc):
    sheets = doc.Sheets
    return {
        sheets.getByIndex(n).Name: read_sheet(sheets.getByIndex(n)) for n in range(sheets.Count)
    }


def run_job(desktop, job):
    url = uno.systemPathToFileUrl(job["open"]) if job.get("open") else "private:factory/scalc"
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
    try:
        for address, formula in job.get("formulas", {}).items():
            sheet_name, cell = address.split("!")
            doc.Sheets.getByName(sheet_name).getCellRangeByName(cell).setFormula(formula)
        for address, formula in job.get("array_formulas", {}).items():
            sheet_name, cells = address.split("!")
            doc.Sheets.getByName(sheet_name).getCellRangeByName(cells).setArrayFormula(formula)
        result = {}
        if job.get("calculate", True):
            started = time.perf_counter()
            doc.calculateAll()
            result["recalc_seconds"] = time.perf_counter() - started
        for address, value in job.get("values", {}).items():
            sheet_name, cell = address.split("!")
            target = doc.Sheets.getByName(sheet_name).getCellRangeByName(cell)
            if value is None:
                target.setString("")
            elif isinstance(value, str):
                target.setString(value)
            else:
                target.setValue(value)
        if job.get("read"):
            result["sheets"] = read_book(doc)
        for path, filter_name in job.get("save", []):
            doc.storeToURL(uno.systemPathToFileUrl(path), (prop("FilterName", filter_name),))
        return result
    finally:
        doc.close(True)


def main(argv):
    pipe, command, *rest = argv
    ctx = connect(pipe)
    if command == "install":
        result = install(ctx, rest[0])
    elif command == "basic":
        result = basic_status(ctx)
    elif command == "basic-set":
        result = basic_set(ctx, rest[0], rest[1])
    elif command == "run":
        with open(rest[0], encoding="utf-8") as handle:
            jobs = json.load(handle)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        result = [run_job(desktop, job) for job in jobs]
    elif command == "terminate":
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        desktop.terminate()
        result = {"terminated": True}
    else:
        raise SystemExit(f"unknown command {command}")
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1:])

"""统计助手 inside LibreOffice Calc: the ``.oxt`` extension built from the same catalogue of ``TJ_``
functions as the Excel add-in (:mod:`udfs.catalog`), computing with the same kernels
(:mod:`udfs.functions`, vendored into the extension).

- :mod:`addin.calc.cells`: Calc's arguments in, Calc's cell values (real error values) out;
  no ``uno`` import, so the project's own tests exercise it directly;
- :mod:`addin.calc.sources`: the extension's text parts (IDL, ``CalcAddIns.xcu``, the Basic
  ``TJ_`` wrappers, ``Jobs.xcu``, manifest, ``description.xml``);
- :mod:`addin.calc.build`: the ``.oxt`` (``tongji build-calc``);
- ``addin/calc/component.py``: the UNO component itself; it runs inside LibreOffice's Python
  and is never imported by the project.

Why two layers of functions: LibreOffice hands a Python add-in a blank single cell as ``0``
(indistinguishable from a real 0) and writes add-in calls into .xlsx under their UNO name
(``ORG.TONGJI.CALC.TONGJI.TJ_GROWTH``), which Excel does not know. Basic functions named
``TJ_GROWTH`` etc. in the user's 我的宏/Standard library receive a blank as *empty* and keep the
Excel names in .xlsx and .ods, so those are the functions users type; each hands its arguments
to the Python component, marked as theirs (:data:`WRAPPER_TOKEN`); the component refuses any
other call with ``#VALUE!``. See ``docs/calc-addin.md``.
"""

#: The extension's identifier (``description.xml``) and the UNO names of its parts.
EXTENSION_ID = "org.tongji.calc"
MODULE = "org.tongji.calc"
INTERFACE = f"{MODULE}.XTongji"
#: Implementation (and service) name of the add-in: the node of ``CalcAddIns.xcu``.
ADDIN_SERVICE = f"{MODULE}.Tongji"
#: The job that puts the Basic wrappers into 我的宏/Standard when LibreOffice starts.
SETUP_SERVICE = f"{MODULE}.Setup"
#: How Calc writes a call of the add-in function itself into a file.
UNO_PREFIX = ADDIN_SERVICE.upper() + "."
#: The Basic module holding the ``TJ_`` wrappers (in the user's Standard library).
BASIC_MODULE = "TongjiFunctions"
#: The last parameter of every method of the component (after the function's own): the Basic
#: wrappers fill it with :data:`WRAPPER_TOKEN`. A call straight from a cell or the Function
#: Wizard (``TJ.GROWTH(B2;C2)``) leaves it empty, and Calc has then handed a blank single cell
#: over as 0: the component refuses such a call with ``#VALUE!`` instead of computing.
CALLER_PARAMETER = "caller"
WRAPPER_TOKEN = "TONGJI_BASIC_WRAPPER"

"""统计助手 inside Excel: the ribbon tab and its handlers (:mod:`addin.ribbon`), the live-workbook
host (:mod:`addin.xlwings_host`), the function help (:mod:`addin.function_help`) and the
``.xlam`` build from text sources (:mod:`addin.xlam`)."""

#: The project name xlwings knows the add-in by (``PROJECT_NAME`` in its VBA, ``.tongji`` conf).
PROJECT = "tongji"
#: The add-in's file name. ``install/locations.py`` repeats both: it runs on a bare Python
#: before tongji is installed (tests/install check that they agree).
ADDIN_FILENAME = f"{PROJECT}.xlam"

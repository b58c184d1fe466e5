"""xlwings' remote engine (used to test the ribbon handlers on an open workbook) needs these
before the first ``import xlwings``; they do not change what the TJ_ functions compute."""

import os

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
os.environ.setdefault("XLWINGS_ON_SERVER", "true")

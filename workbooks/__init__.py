"""Everything that reads or changes a bureau workbook without Excel.

The table grammar (:mod:`workbooks.tables`), data drops (:mod:`workbooks.drops`), period labels
(:mod:`workbooks.period_names`), the commands written once against the host protocol
(:mod:`workbooks.host`): ranking (:mod:`workbooks.rank`) and refresh (:mod:`workbooks.refresh`);
the openpyxl host for files (:mod:`workbooks.file_host`); the formula engine
(:mod:`workbooks.formula`) behind :mod:`workbooks.compute`; the package reader/writer of cached
values (:mod:`workbooks.xlsx_package`); rendering (:mod:`workbooks.render`); and the sample
workbooks (:mod:`workbooks.samples`). Nothing here imports xlwings.
"""

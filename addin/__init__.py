"""统计助手 inside Excel: the ribbon tab and its handlers (:mod:`addin.ribbon`), the live-workbook
host (:mod:`addin.xlwings_host`), the function help (:mod:`addin.function_help`) and the
``.xlam`` build from text sources (:mod:`addin.xlam`)."""

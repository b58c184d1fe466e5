"""统计助手 add-in side: ribbon commands, the workbook hosts they run on, the ``tongji`` command,
and the text sources the ``.xlam`` add-in is built from."""

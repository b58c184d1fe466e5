"""Sample workbooks and data drops of 示例市 (fictional): figures, workbook builder, drops."""

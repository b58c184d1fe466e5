Attribute VB_Name = "TongjiRibbon"
' The one callback of every button on the ribbon tab: the button id names the command,
' which addin/ribbon.py looks up in BUTTONS. A new button is ribbon XML plus Python,
' never new VBA.
' Chinese text stays inside string literals: the build spells it with ChrW (ASCII module).
Option Explicit

Public Sub OnButton(control As IRibbonControl)
    ' Entry point of every button: never let Excel show the VBA debugger.
    On Error GoTo failed
    If Not WorkbookIsOpen() Then
        MsgBox "请先打开或新建一个工作簿，再点「统计助手」的按钮。", vbInformation, "统计助手"
        Exit Sub
    End If
    If control.Id = "function_help" Then
        If ShowCallFailure() Then Exit Sub
    End If
    RunPython "import addin.ribbon; addin.ribbon.run('" & control.Id & "')"
    Exit Sub
failed:
    ShowFailure Err.Number, Err.Description
End Sub

Private Function ShowCallFailure() As Boolean
    ' Function help on a cell whose TJ_ call failed before Python answered: Python may not
    ' start at all, so the reason is shown from VBA.
    Dim cell As Object, reason As String, address As String
    On Error GoTo none
    Set cell = ActiveCell
    If cell Is Nothing Then Exit Function
    address = cell.Address(False, False)
    reason = TongjiCells.ReasonFor(cell.Worksheet.Parent.Name, cell.Worksheet.Name, address)
    If Not TongjiCells.IsCallFailure(reason) Then Exit Function
    MsgBox "所选单元格 " & address & " 显示 #VALUE!，原因：" & reason & vbCrLf & vbCrLf & _
        "请点「环境检查」按钮，或在命令行运行 tongji doctor。", vbExclamation, "统计助手"
    ShowCallFailure = True
none:
End Function

Public Function WorkbookIsOpen() As Boolean
    ' True when a workbook window is active (xlwings' RunPython walks ActiveWorkbook).
    Dim book As Object
    On Error GoTo none
    Set book = ActiveWorkbook
    WorkbookIsOpen = Not book Is Nothing
    Exit Function
none:
    WorkbookIsOpen = False
End Function

Public Sub ShowFailure(ByVal number As Long, ByVal description As String)
    ' The Chinese message of a failed button, with VBA's own text for support.
    On Error Resume Next
    MsgBox "统计助手未能完成这个操作（错误 " & number & "）：" & vbCrLf & description & vbCrLf & vbCrLf & _
        "请点「环境检查」按钮，或在命令行运行 tongji doctor。", vbExclamation, "统计助手"
End Sub

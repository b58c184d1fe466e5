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
    RunPython "import addin.ribbon; addin.ribbon.run('" & control.Id & "')"
    Exit Sub
failed:
    ShowFailure Err.Number, Err.Description
End Sub

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

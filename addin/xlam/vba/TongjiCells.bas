Attribute VB_Name = "TongjiCells"
' Results of the TJ_ functions as Excel cell values.
'
' Classic xlwings can hand back only values, so udfs/errors.py sends an error as the text
' "<literal> <message>", e.g. "#DIV/0! " followed by a Chinese reason. ToCells turns every
' such element into the real error value (CVErr) and keeps the reason per cell, so the
' ribbon button (function help) can tell the user why a cell shows #DIV/0!.
' Reasons arrive from Python at run time; the one Chinese literal here is spelled with ChrW
' by the build.
Option Explicit
Option Private Module

Private Const ERR_NULL As Long = 2000   ' xlErrNull
Private Const ERR_DIV0 As Long = 2007   ' xlErrDiv0
Private Const ERR_VALUE As Long = 2015   ' xlErrValue
Private Const ERR_REF As Long = 2023    ' xlErrRef
Private Const ERR_NAME As Long = 2029   ' xlErrName
Private Const ERR_NUM As Long = 2036    ' xlErrNum
Private Const ERR_NA As Long = 2042     ' xlErrNA
Private Const ERR_GETTING_DATA As Long = 2043   ' xlErrGettingData
Private Const ERR_SPILL As Long = 2045  ' xlErrSpill
Private Const ERR_CALC As Long = 2050   ' xlErrCalc

Private Reasons As Dictionary   ' cell key (book|sheet|cell) -> reason text

Public Function ToCells(ByVal result As Variant, ByVal caller As Variant) As Variant
    ' result: a scalar, a 1-D or a 2-D array from XLPy.CallUDF; caller: the calling Range
    ' (or Nothing outside a worksheet).
    Dim i As Long, j As Long, reason As String, code As Long
    If Not IsArray(result) Then
        code = ErrorCode(result, reason)
        If code <> 0 Then
            Remember caller, 0, 0, reason
            ToCells = CVErr(code)
        Else
            ToCells = result
        End If
        Exit Function
    End If
    If Dimensions(result) = 1 Then
        For j = LBound(result, 1) To UBound(result, 1)
            code = ErrorCode(result(j), reason)
            If code <> 0 Then
                Remember caller, 0, j - LBound(result, 1), reason
                result(j) = CVErr(code)
            End If
        Next j
    Else
        For i = LBound(result, 1) To UBound(result, 1)
            For j = LBound(result, 2) To UBound(result, 2)
                code = ErrorCode(result(i, j), reason)
                If code <> 0 Then
                    Remember caller, i - LBound(result, 1), j - LBound(result, 2), reason
                    result(i, j) = CVErr(code)
                End If
            Next j
        Next i
    End If
    ToCells = result
End Function

Public Function Failed(ByVal description As String, ByVal caller As Variant) As Variant
    ' The result of a call that failed before Python answered (Python cannot start, the
    ' module cannot be imported...): #VALUE! in the cell, the text kept for the function help.
    Dim i As Long, j As Long, reason As String
    reason = CallFailurePrefix() & description
    Failed = CVErr(ERR_VALUE)
    On Error GoTo done
    If TypeName(caller) <> "Range" Then Exit Function
    For i = 0 To caller.Rows.Count - 1
        For j = 0 To caller.Columns.Count - 1
            Remember caller, i, j, reason
        Next j
    Next i
done:
End Function

Public Function CallFailurePrefix() As String
    ' How the reason of a failed call starts (a function: VBA constants cannot hold ChrW).
    CallFailurePrefix = "调用 Python 失败："
End Function

Public Function IsCallFailure(ByVal reason As String) As Boolean
    IsCallFailure = Left$(reason, Len(CallFailurePrefix())) = CallFailurePrefix()
End Function

Public Function ErrorCode(ByVal value As Variant, ByRef reason As String) As Long
    ' The Excel error number of an error marker (0 for any other value) and its reason.
    Dim marker As String
    ErrorCode = 0
    reason = ""
    If VarType(value) <> vbString Then Exit Function
    marker = value
    If Left$(marker, 1) <> "#" Then Exit Function
    If MarkerOf(marker, "#DIV/0!", reason) Then
        ErrorCode = ERR_DIV0
    ElseIf MarkerOf(marker, "#N/A", reason) Then
        ErrorCode = ERR_NA
    ElseIf MarkerOf(marker, "#NUM!", reason) Then
        ErrorCode = ERR_NUM
    ElseIf MarkerOf(marker, "#VALUE!", reason) Then
        ErrorCode = ERR_VALUE
    ElseIf MarkerOf(marker, "#REF!", reason) Then
        ErrorCode = ERR_REF
    ElseIf MarkerOf(marker, "#NAME?", reason) Then
        ErrorCode = ERR_NAME
    ElseIf MarkerOf(marker, "#NULL!", reason) Then
        ErrorCode = ERR_NULL
    ElseIf MarkerOf(marker, "#SPILL!", reason) Then
        ErrorCode = ERR_SPILL
    ElseIf MarkerOf(marker, "#CALC!", reason) Then
        ErrorCode = ERR_CALC
    ElseIf MarkerOf(marker, "#GETTING_DATA", reason) Then
        ErrorCode = ERR_GETTING_DATA
    End If
End Function

Private Function MarkerOf(ByVal marker As String, ByVal literal As String, ByRef reason As String) As Boolean
    ' True when marker is literal alone or literal followed by a space and a reason.
    If marker = literal Then
        MarkerOf = True
    ElseIf Left$(marker, Len(literal) + 1) = literal & " " Then
        reason = Mid$(marker, Len(literal) + 2)
        MarkerOf = True
    Else
        MarkerOf = False
    End If
End Function

Private Function Dimensions(ByRef values As Variant) As Long
    Dim upper As Long
    On Error GoTo one
    upper = UBound(values, 2)
    Dimensions = 2
    Exit Function
one:
    Dimensions = 1
End Function

Private Sub Remember(ByVal caller As Variant, ByVal rowOffset As Long, ByVal columnOffset As Long, ByVal reason As String)
    If Not IsObject(caller) Then Exit Sub
    If caller Is Nothing Then Exit Sub
    If TypeName(caller) <> "Range" Then Exit Sub
    On Error GoTo done
    If Reasons Is Nothing Then Set Reasons = New Dictionary
    Reasons.Item(CellKey(caller.Cells(1, 1).Offset(rowOffset, columnOffset))) = reason
done:
End Sub

Private Function CellKey(ByVal cell As Object) As String
    CellKey = cell.Worksheet.Parent.Name & "|" & cell.Worksheet.Name & "|" & cell.Address(False, False)
End Function

Public Function ReasonFor(ByVal bookName As String, ByVal sheetName As String, ByVal address As String) As String
    ' The reason kept for a cell ("" when none): called from Python for the function help.
    Dim key As String
    ReasonFor = ""
    If Reasons Is Nothing Then Exit Function
    key = bookName & "|" & sheetName & "|" & Replace(address, "$", "")
    If Reasons.Exists(key) Then ReasonFor = Reasons.Item(key)
End Function

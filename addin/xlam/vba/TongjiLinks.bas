Attribute VB_Name = "TongjiLinks"
' Workbooks that travel between PCs: Excel saves a TJ_ call as a link to the add-in's full
' path ([1]!TJ_GROWTH(...) with an external link naming C:\Users\<name>\...\tongji.xlam).
' When a workbook opens, every Excel link whose file name is this add-in's is changed to
' this add-in's own path, silently (the saved state of the workbook is kept).
Option Explicit

Private Const XL_EXCEL_LINKS As Long = 1   ' xlExcelLinks / xlLinkTypeExcelLinks

Private Watch As TongjiLinkWatch

Public Sub StartWatching()
    ' Called from ThisWorkbook's Workbook_Open: relink the workbooks already open, then
    ' every workbook opened later (Application's WorkbookOpen event).
    Dim book As Object
    On Error Resume Next
    Set Watch = New TongjiLinkWatch
    Watch.Attach
    For Each book In Application.Workbooks
        RelinkBook book
    Next book
End Sub

Public Sub RelinkBook(ByVal book As Object)
    ' Point every link to a file named like this add-in at this add-in.
    On Error Resume Next
    RelinkTo book, ThisWorkbook, Application
End Sub

Public Sub RelinkTo(ByVal book As Object, ByVal addin As Object, ByVal app As Object)
    ' RelinkBook with Excel's objects passed in: addin is this add-in's workbook, app the
    ' Application. On every way out, a ChangeLink refused halfway through included, the
    ' workbook's saved state and the user's DisplayAlerts setting are put back.
    Dim links As Variant, i As Long, mine As String, wasSaved As Boolean
    Dim alerts As Boolean, quiet As Boolean
    On Error GoTo done
    If book Is Nothing Then Exit Sub
    If book.Name = addin.Name Then Exit Sub
    links = book.LinkSources(XL_EXCEL_LINKS)
    If IsEmpty(links) Then Exit Sub
    mine = addin.FullName
    wasSaved = book.Saved
    alerts = app.DisplayAlerts
    app.DisplayAlerts = False
    quiet = True
    For i = LBound(links) To UBound(links)
        If NeedsRelink(CStr(links(i)), mine) Then
            book.ChangeLink CStr(links(i)), mine, XL_EXCEL_LINKS
        End If
    Next i
done:
    If quiet Then
        app.DisplayAlerts = alerts
        book.Saved = wasSaved
    End If
End Sub

Public Function NeedsRelink(ByVal link As String, ByVal mine As String) As Boolean
    ' A link to another copy of this add-in: same file name, other path.
    NeedsRelink = LCase$(FileNameOf(link)) = LCase$(FileNameOf(mine)) And LCase$(link) <> LCase$(mine)
End Function

Public Function FileNameOf(ByVal path As String) As String
    ' The file name of a Windows path or URL (after the last \ or /).
    Dim cut As Long
    cut = InStrRev(path, "\")
    If InStrRev(path, "/") > cut Then cut = InStrRev(path, "/")
    FileNameOf = Mid$(path, cut + 1)
End Function

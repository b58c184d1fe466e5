Attribute VB_Name = "TongjiRibbon"
' The one callback of every button on the ribbon tab: the button id names the command,
' which addin/ribbon.py looks up in BUTTONS. A new button is ribbon XML plus Python,
' never new VBA.
Option Explicit

Public Sub OnButton(control As IRibbonControl)
    RunPython "import addin.ribbon; addin.ribbon.run('" & control.Id & "')"
End Sub

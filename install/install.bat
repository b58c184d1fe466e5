@echo off
rem tongji one-step installer: finds a Python and runs install.py.
rem   install.bat              install (offline when a "wheelhouse" folder is next to this file)
rem   install.bat uninstall    remove exactly what install added
rem   install.bat install --target C:\tongji
chcp 65001 >nul
setlocal
set "HERE=%~dp0"
set "PY="
if exist "%HERE%python\python.exe" set "PY=%HERE%python\python.exe"
if not defined PY (
  where py >nul 2>nul && set "PY=py -3"
)
if not defined PY (
  where python >nul 2>nul && set "PY=python"
)
if not defined PY (
  echo Python 3.10+ not found. Install Python from python.org, or put a Python folder named "python" next to install.bat.
  pause
  exit /b 1
)
set "ARGS=%*"
if "%~1"=="" set "ARGS=install"
%PY% "%HERE%install.py" %ARGS%
set "CODE=%ERRORLEVEL%"
pause
exit /b %CODE%

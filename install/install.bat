@echo off
rem tongji one-step installer: finds a Python to run install.py, which then picks the Python
rem the offline bundle was built for (wheelhouse\manifest.json, "py -3.X").
rem   install.bat              install (offline when a "wheelhouse" folder is next to this file)
rem   install.bat uninstall    remove exactly what install added
rem   install.bat install --target C:\tongji
rem Every path is quoted: the folder may be under a user name with a space (C:\Users\Zhang San).
chcp 65001 >nul
setlocal
set "HERE=%~dp0"
set "PYEXE="
set "PYARG="
if exist "%HERE%python\python.exe" set "PYEXE=%HERE%python\python.exe"
if not defined PYEXE (
  where py >nul 2>nul && set "PYEXE=py" && set "PYARG=-3"
)
if not defined PYEXE (
  where python >nul 2>nul && set "PYEXE=python"
)
if not defined PYEXE (
  echo 未找到 Python：请从 python.org 安装 64 位 Python（3.11、3.12 或 3.13，安装时勾选 py launcher），
  echo 或把完整的 Python 文件夹（不是 embeddable 版）命名为 python 放在 install.bat 旁边。
  echo Python not found. Install 64-bit Python 3.11+ from python.org, or put a full Python folder named "python" next to install.bat.
  pause
  exit /b 1
)
set "ARGS=%*"
if "%~1"=="" set "ARGS=install"
"%PYEXE%" %PYARG% "%HERE%install.py" %ARGS%
set "CODE=%ERRORLEVEL%"
pause
exit /b %CODE%

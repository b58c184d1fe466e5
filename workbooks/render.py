"""打印版 / ``tongji render``: a sheet as PDF or PNG through LibreOffice headless.

The sheet is rendered from a values-only copy (``TJ_`` formulas replaced by their computed
values: LibreOffice cannot run the add-in's functions), with every other sheet hidden so only
the requested one is printed. Chinese text is set in Noto CJK: a private fontconfig file maps
the fonts bureau workbooks use (宋体, 等线, 微软雅黑 …) to Noto Sans/Serif CJK SC, so no character
turns into a box. PNG pages come from the PDF through ``pdftoppm``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from workbooks.compute import WorkbookProblem, check_workbook, export_values_file
from workbooks.suggest import did_you_mean

_SANS = ("等线", "DengXian", "微软雅黑", "Microsoft YaHei", "黑体", "SimHei", "Calibri", "Arial")
_SERIF = ("宋体", "SimSun", "新宋体", "NSimSun", "仿宋", "FangSong", "仿宋_GB2312", "楷体", "KaiTi")
_SERIF += ("Times New Roman", "方正小标宋简体", "方正小标宋_GBK")

_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
{aliases}
</fontconfig>
"""


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _fonts_conf(directory: Path) -> Path:
    rules = []
    for family, target in [(f, "Noto Sans CJK SC") for f in _SANS] + [
        (f, "Noto Serif CJK SC") for f in _SERIF
    ]:
        rules.append(
            f'  <match target="pattern"><test name="family"><string>{family}</string></test>'
            f'<edit name="family" mode="prepend" binding="strong"><string>{target}</string>'
            "</edit></match>"
        )
    path = directory / "fonts.conf"
    path.write_text(_FONTS_CONF.format(aliases="\n".join(rules)), encoding="utf-8")
    return path


_SHEET_TAG = re.compile(r"<sheet\b[^>]*?/>")
_STATE = re.compile(r"""\sstate=["'][^"']*["']""")
_NAME = re.compile(r"""\sname=["']([^"']*)["']""")
_ACTIVE = re.compile(r"""\sactiveTab=["']\d+["']""")
_FIRST = re.compile(r"""\sfirstSheet=["']\d+["']""")


def only_sheet(source: Path, target: Path, sheet: str) -> None:
    """Copy a workbook with every sheet but ``sheet`` hidden and ``sheet`` active."""
    from xml.sax.saxutils import unescape

    with zipfile.ZipFile(source) as package:
        book = package.read("xl/workbook.xml").decode("utf-8")
        tags = _SHEET_TAG.findall(book)
        names = [unescape(_NAME.search(t).group(1), {"&quot;": '"', "&apos;": "'"}) for t in tags]
        if sheet not in names:
            listed = "、".join(names)
            raise WorkbookProblem(
                f"工作簿中没有名为「{sheet}」的工作表{did_you_mean(sheet, names)}（现有：{listed}）"
            )
        index = names.index(sheet)
        for k, tag in enumerate(tags):
            plain = _STATE.sub("", tag)
            new = plain if k == index else plain.replace("<sheet ", '<sheet state="hidden" ', 1)
            book = book.replace(tag, new, 1)
        book = _ACTIVE.sub("", _FIRST.sub("", book))
        book = re.sub(r"<workbookView\b", f'<workbookView activeTab="{index}"', book, count=1)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info in package.infolist():
                data = package.read(info.filename)
                if info.filename == "xl/workbook.xml":
                    data = book.encode("utf-8")
                out.writestr(info, data)


def render(
    source: Path, sheet: str, pdf: Path | None = None, png: Path | None = None
) -> list[Path]:
    """Render ``sheet`` of ``source`` to ``pdf`` and/or ``png``; returns the files written."""
    check_workbook(source)
    program = soffice()
    if program is None:
        raise WorkbookProblem(
            "未找到 LibreOffice（soffice），无法生成打印版。请先安装 libreoffice-calc。"
        )
    if pdf is None and png is None:
        raise WorkbookProblem("请用 --pdf 或 --png 指定输出文件。")
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="tongji-render-") as temp:
        work = Path(temp)
        values = work / f"values{source.suffix}"
        export_values_file(source, values)
        single = work / "sheet.xlsx"
        only_sheet(values, single, sheet)
        env = dict(os.environ)
        env["FONTCONFIG_FILE"] = str(_fonts_conf(work))
        env["HOME"] = str(work)
        command = [
            program,
            f"-env:UserInstallation=file://{work / 'profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "out"),
            str(single),
        ]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
        produced = work / "out" / "sheet.pdf"
        if done.returncode != 0 or not produced.exists():
            raise WorkbookProblem(
                f"LibreOffice 转换失败：{done.stderr.strip() or done.stdout.strip()}"
            )
        if pdf is not None:
            pdf.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(produced, pdf)
            written.append(pdf)
        if png is not None:
            written.extend(_png(produced, png))
    return written


def _png(pdf: Path, png: Path) -> list[Path]:
    """Every page of ``pdf`` as PNG: ``name.png`` for one page, ``name-1.png``… for more."""
    program = shutil.which("pdftoppm")
    if program is None:
        raise WorkbookProblem("未找到 pdftoppm（poppler-utils），无法生成 PNG。")
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tongji-png-") as temp:
        prefix = Path(temp) / "page"
        subprocess.run([program, "-png", "-r", "150", str(pdf), str(prefix)], check=True)
        pages = sorted(Path(temp).glob("page*.png"))
        if len(pages) == 1:
            shutil.copyfile(pages[0], png)
            return [png]
        out = []
        for k, page in enumerate(pages, 1):
            target = png.with_name(f"{png.stem}-{k}{png.suffix}")
            shutil.copyfile(page, target)
            out.append(target)
        return out

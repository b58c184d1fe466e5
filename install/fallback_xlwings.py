"""备用：用 xlwings 自己的 Windows 方式（Excel + VBA 编辑器）重建同一个加载项。

Fallback for when the add-in built from text by ``tongji build-addin`` does not load on a PC.
It makes the same add-in the way xlwings does on Windows, through Excel itself:

1. ``xlwings quickstart tongji --addin --ribbon`` copies xlwings' ribbon add-in template;
2. Excel opens it; the VBA modules exported by ``tongji build-addin --export-vba`` (the same
   text the normal build writes) replace the template's modules through
   ``VBProject.VBComponents.Import``, exactly what ``xlwings vba import`` does — this needs
   Excel's option 信任对 VBA 工程对象模型的访问 (Trust access to the VBA project object model);
3. the conf sheet is renamed ``tongji.conf`` and filled with the same entries;
4. after Excel saved and closed the file, the ribbon part is replaced with ours (Excel has no
   way to edit it).

Run with the Python of the installed environment:
    <target>\\venv\\Scripts\\python.exe install\\fallback_xlwings.py [-o tongji.xlam]
Needs Windows with desktop Excel; elsewhere it stops with a message.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path


def replace_zip_part(path: Path, part: str, data: bytes) -> None:
    """Rewrite ``path`` with ``part`` replaced (or added), through a temporary file."""
    temporary = path.with_suffix(".tmp")
    with (
        zipfile.ZipFile(path) as source,
        zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            if info.filename != part:
                out.writestr(info, source.read(info))
        out.writestr(part, data)
    temporary.replace(path)


def rebuild(out: Path) -> None:  # pragma: no cover - Windows with Excel only
    import xlwings as xw

    from addin.xlam import build, customui, vba_modules

    work = Path(tempfile.mkdtemp(prefix="tongji-addin-"))
    subprocess.check_call(
        [sys.executable, "-m", "xlwings.cli", "quickstart", "tongji", "--addin", "--ribbon"],
        cwd=work,
    )
    xlam = work / "tongji" / "tongji.xlam"
    exported = work / "vba"
    vba_modules.export(exported)
    conf = build.conf_entries(str(Path(sys.executable).with_name("pythonw.exe")))

    app = xw.App(visible=False, add_book=False)
    try:
        book = app.books.open(str(xlam))
        try:
            components = book.api.VBProject.VBComponents
        except Exception as exc:
            raise SystemExit(
                "Excel 拒绝访问 VBA 工程：请在 Excel「文件 → 选项 → 信任中心 → 信任中心设置 → 宏设置」"
                "中勾选「信任对 VBA 工程对象模型的访问」后重试。"
            ) from exc
        for name in (
            "RibbonMyAddin",
            "xlwings",
            "Dictionary",
            "TongjiRibbon",
            "TongjiCells",
            "TongjiFunctions",
        ):
            try:
                component = components(name)
            except Exception:
                continue
            component.Name = f"{name}_old"  # a removed name is only freed when the macro ends
            components.Remove(component)
        for path in sorted(exported.iterdir()):
            components.Import(str(path))
        sheet = next(s for s in book.sheets if s.name.endswith(".conf"))
        sheet.name = build.CONF_SHEET
        sheet.clear()
        sheet["A1"].value = [[entry.key, entry.value] for entry in conf]
        book.save()
        book.close()
    finally:
        app.quit()
    replace_zip_part(xlam, build.CUSTOMUI_PART, customui.customui_xml())
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(xlam, out)
    print(f"已用 xlwings 的 Windows 方式重建加载项：{out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", type=Path, default=Path("tongji.xlam"))
    args = parser.parse_args(argv)
    if not sys.platform.startswith("win"):
        print("备用重建方式需要 Windows 和桌面版 Excel；本机请用 tongji build-addin。")
        return 2
    rebuild(args.out.resolve())  # pragma: no cover
    return 0  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())

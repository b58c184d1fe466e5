"""Run Basic functions in LibreOffice (headless) and print their results as JSON.

Started with a Python that has LibreOffice's ``uno`` module (the system ``python3`` on Debian),
not the project's venv::

    python3 lo_basic_run.py MODULES.json PROFILE_URL CALLS.json

MODULES.json: module name → Basic source; they go into a library ``tjtest`` of the application
(document libraries cannot be called from outside through the script provider).
CALLS.json: ``[[module, function, [args…]], …]``. Prints ``[[result, [out args…]], …]``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        modules = json.load(handle)
    profile = sys.argv[2]
    with open(sys.argv[3], encoding="utf-8") as handle:
        calls = json.load(handle)
    pipe = f"tjbasic{os.getpid()}"
    office = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--invisible",
            "--norestore",
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    desktop = None
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        for _ in range(240):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # LibreOffice is still starting
                time.sleep(0.5)
        else:
            raise SystemExit("LibreOffice did not start")
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        libraries = smgr.createInstanceWithContext(
            "com.sun.star.script.ApplicationScriptLibraryContainer", ctx
        )
        if not libraries.hasByName("tjtest"):
            libraries.createLibrary("tjtest")
        libraries.loadLibrary("tjtest")
        library = libraries.getByName("tjtest")
        for name, code in modules.items():
            if library.hasByName(name):
                library.replaceByName(name, code)
            else:
                library.insertByName(name, code)
        factory = smgr.createInstanceWithContext(
            "com.sun.star.script.provider.MasterScriptProviderFactory", ctx
        )
        provider = factory.createScriptProvider("")
        out = []
        for module, function, args in calls:
            script = provider.getScript(
                f"vnd.sun.star.script:tjtest.{module}.{function}?language=Basic&location=application"
            )
            result, _, outs = script.invoke(tuple(args), (), ())
            out.append([result, list(outs)])
        print(json.dumps(out, ensure_ascii=False))
    finally:
        if desktop is not None:
            desktop.terminate()
        office.wait(timeout=120)


if __name__ == "__main__":
    main()

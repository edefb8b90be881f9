"""WeasyPrint imported without ``ctypes.util.find_library`` loads the same C libraries as a plain import,
and starts no process doing it."""

from __future__ import annotations

import json
import subprocess
import sys

LIBS = ("gobject-2.0", "pango-1.0", "pangoft2-1.0", "harfbuzz", "fontconfig")

CHILD = """
import json, subprocess, sys
LIBS = json.loads(sys.argv[2])
started = []
real = subprocess.Popen.__init__
def counting(self, *a, **k):
    started.append(a[0] if a else k.get("args"))
    real(self, *a, **k)
subprocess.Popen.__init__ = counting
if sys.argv[1] == "fast":
    from speerpunt.report.pdf import import_weasyprint
    import_weasyprint()
else:
    import weasyprint
libs = sorted({line.split()[-1] for line in open("/proc/self/maps")
               if any(f"lib{n}." in line for n in LIBS)})
print(json.dumps({"libs": libs, "started": len(started), "html": hasattr(sys.modules["weasyprint"], "HTML")}))
"""


def _child(mode: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode, json.dumps(LIBS)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_fast_import_loads_the_same_libraries_without_starting_processes() -> None:
    plain, fast = _child("plain"), _child("fast")
    # the plain import searches (ldconfig/gcc): the thing the fast path avoids
    assert plain["started"] > 0
    assert fast["started"] == 0
    assert fast["html"] and plain["html"]
    assert fast["libs"] == plain["libs"]
    for name in LIBS:
        assert any(f"lib{name}." in path for path in fast["libs"]), name


def test_import_weasyprint_restores_find_library() -> None:
    import ctypes.util

    from speerpunt.report.pdf import import_weasyprint

    before = ctypes.util.find_library
    module = import_weasyprint()
    assert ctypes.util.find_library is before
    assert module is sys.modules["weasyprint"]

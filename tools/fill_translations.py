#!/usr/bin/env python3
"""Fill empty English msgstrs of silat.po from Python dicts named T in the
given files (a one-off aid for translators; the .po stays the source)."""
import runpy
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "src/silat/locale/en/LC_MESSAGES/silat.po"

table = {}
for path in sys.argv[1:]:
    table.update(runpy.run_path(path)["T"])
po = polib.pofile(str(PO))
filled = 0
for entry in po:
    if not entry.msgstr and entry.msgid in table:
        entry.msgstr = table[entry.msgid]
        filled += 1
po.save(str(PO))
missing = [e.msgid for e in po if not e.msgstr and not e.obsolete]
print(f"filled {filled}; still untranslated {len(missing)}")
for msgid in missing:
    print("  ", repr(msgid))

#!/usr/bin/env python3
"""Keep SILAT's message catalogs in step with the code.

    .venv/bin/python tools/i18n.py update    # extract silat.pot, merge into en/silat.po
    .venv/bin/python tools/i18n.py compile   # every .po -> .mo

UI strings are written in Bahasa Indonesia (the msgids); ``en/silat.po``
translates them to English. ``id/LC_MESSAGES/colander.po`` and
``deform.po`` give Indonesian for the form libraries' own messages.
tests/test_i18n.py fails when a string lacks its English translation or
a .mo is older than its .po.
"""
import subprocess
import sys
from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent.parent
LOCALE = HERE / "src" / "silat" / "locale"
POT = LOCALE / "silat.pot"


def extract():
    subprocess.run([str(Path(sys.executable).parent / "pot-create"), "-c", str(LOCALE / "lingua.cfg"),
                    "-d", "silat", "-o", str(POT), "src/silat"], cwd=HERE, check=True)
    return polib.pofile(str(POT))


def update():
    pot = extract()
    po_path = LOCALE / "en" / "LC_MESSAGES" / "silat.po"
    po = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
    po.merge(pot)
    for entry in [e for e in po if e.obsolete]:     # strings no longer in the code
        po.remove(entry)
    po_path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(po_path))
    missing = [e.msgid for e in po if not e.msgstr and not e.obsolete]
    print(f"{po_path.relative_to(HERE)}: {len(po)} messages, {len(missing)} untranslated")
    for msgid in missing:
        print(f"  untranslated: {msgid!r}")


def compile_all():
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"compiled {po_path.relative_to(HERE)}")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    else:
        sys.exit(__doc__)

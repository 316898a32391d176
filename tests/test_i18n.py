"""Bahasa Indonesia by default, English through the message catalogs."""
import gettext
import subprocess
import sys
from pathlib import Path

import polib

from silat.resources.site import ZODB_ROOT_KEY
from tests.web import login

LOCALE = Path(__file__).resolve().parent.parent / "src" / "silat" / "locale"


def test_every_ui_string_has_an_english_translation(tmp_path):
    pot = tmp_path / "silat.pot"
    subprocess.run([str(Path(sys.executable).parent / "pot-create"), "-c", str(LOCALE / "lingua.cfg"),
                    "-d", "silat", "-o", str(pot), str(LOCALE.parent)], check=True, capture_output=True)
    english = {e.msgid: e.msgstr for e in polib.pofile(str(LOCALE / "en/LC_MESSAGES/silat.po"))}
    missing = [e.msgid for e in polib.pofile(str(pot)) if not english.get(e.msgid)]
    assert missing == [], "run tools/i18n.py update and translate: %r" % missing[:20]


def test_compiled_catalogs_match_their_sources():
    for po_path in LOCALE.glob("*/LC_MESSAGES/*.po"):
        with open(po_path.with_suffix(".mo"), "rb") as mo:
            compiled = gettext.GNUTranslations(mo)._catalog
        source = {e.msgid: e.msgstr for e in polib.pofile(str(po_path)) if e.msgstr and not e.obsolete}
        assert {k: v for k, v in compiled.items() if k} == source, f"tools/i18n.py compile ({po_path.name})"


def test_indonesian_by_default_and_a_persistent_switch_to_english(testapp, make_user, db):
    page = testapp.get("/masuk")
    assert '<html lang="id"' in page.text and "Nama pengguna atau email" in page.text
    form = page.forms["deform"]
    form["login"] = ""
    assert "Wajib diisi" in form.submit("masuk").text       # colander, in Indonesian

    password = make_user("pemohon1", "pemohon")
    home = login(testapp, "pemohon1", password).follow().maybe_follow()
    english = home.forms[1].submit("lang", value="en").follow()
    assert '<html lang="en"' in english.text and "My Applications" in english.text
    with db.transaction() as conn:
        assert conn.root()[ZODB_ROOT_KEY]["pengguna"]["pemohon1"].language == "en"

    testapp.reset()                          # another browser: the profile brings English back
    assert '<html lang="id"' in testapp.get("/masuk").text
    page = login(testapp, "pemohon1", password).follow().maybe_follow()
    assert "My Applications" in page.text
    assert "Required" in testapp.get("/masuk").forms["deform"].submit("masuk").text

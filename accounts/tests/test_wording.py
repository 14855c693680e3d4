"""One Indonesian term for password ("kata sandi") and "Anda" capitalised, in every catalogue of
the project and in the strings Django and allauth show on its pages (their own Indonesian
catalogues say "Sandi anda"; portal/locale overrides them)."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

ROOT = Path(settings.BASE_DIR)
CATALOGUES = sorted(
    p
    for p in ROOT.glob("*/locale/id/LC_MESSAGES/django.po")
    if not p.is_relative_to(ROOT / ".venv") and not p.is_relative_to(ROOT / "node_modules")
)
LOWERCASE_ANDA = re.compile(r"\banda\b")
BARE_SANDI = re.compile(r"(?<![Kk]ata )\b[Ss]andi\b")


def wording_faults(text: str) -> list[str]:
    text = " ".join(text.split())
    return [m.group(0) for rx in (LOWERCASE_ANDA, BARE_SANDI) for m in rx.finditer(text)]


def test_the_scan_finds_what_it_looks_for():
    assert wording_faults("Sandi anda tidak boleh kosong.") == ["anda", "Sandi"]
    assert wording_faults("Kata sandi Anda, kata\n sandi baru, Pandanwangi, Sandiego") == []


def test_there_are_catalogues_to_scan():
    assert ROOT / "portal/locale/id/LC_MESSAGES/django.po" in CATALOGUES
    assert len(CATALOGUES) >= 5


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_catalogue_says_kata_sandi_and_anda(path):
    faults = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if found := wording_faults(text):
                faults.append(f"{entry.msgid[:60]!r}: {found}")
    assert faults == []


# Django's and allauth's msgids that the platform's pages show (sign-up's password rules, the
# login's refusal, password fields): their own Indonesian says "Sandi anda" or "sandi".
SHOWN_BY_LIBRARIES = [
    "Your password can’t be too similar to your other personal information.",
    "Your password can’t be a commonly used password.",
    "Your password can’t be entirely numeric.",
    "The email address and/or password you specified are not correct.",
    "Password",
    "New password",
    "Password confirmation",
    "The two password fields didn’t match.",
]


@pytest.mark.parametrize("msgid", SHOWN_BY_LIBRARIES)
def test_library_strings_on_our_pages_use_the_same_words(msgid):
    with translation.override("id"):
        shown = gettext(msgid)
    assert shown != msgid  # translated
    assert wording_faults(shown) == []
    assert "sandi" in shown.lower()

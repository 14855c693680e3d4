"""The test session's own guarantees: regions' primary keys collide as in production, and the
session's database is a fresh clone of a template named after what it was built from."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django_tenants.utils import tenant_context

from tests.db_template import TEMPLATE_PREFIX, SessionDatabase, fingerprint
from workspace.models import Document

pytestmark = pytest.mark.django_db


def _document(tenant, title: str) -> Document:
    with tenant_context(tenant):
        document = Document(title=title, original_name="a.pdf")
        document.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=False)
        document.save()
        return document


def test_one_region_writes_rows_the_other_does_not(malang):
    """Moves Kota Malang's sequence ahead of Kota Batu's (rolled back rows keep their keys
    used): the next test shows that every test starts with the sequences aligned again."""
    assert _document(malang, "Surat 1").pk < _document(malang, "Surat 2").pk


def test_two_regions_rows_get_the_same_primary_key(malang, batu):
    """Runs after the test above (pytest keeps a module's order), with no alignment of its own."""
    first = _document(malang, "Surat Kota Malang")
    second = _document(batu, "Surat Kota Batu")
    assert first.pk == second.pk


def test_the_keys_collide_again_after_a_region_wrote_more_rows(malang, batu):
    """Rows made in one region only, in an earlier test or this one, must not separate the
    regions' sequences for the next test: each test starts with every sequence aligned."""
    for n in range(3):
        _document(malang, f"Surat {n}")
    from tests.db_template import align_region_sequences

    align_region_sequences()
    assert _document(malang, "A").pk == _document(batu, "B").pk


def test_the_template_is_named_after_what_the_database_is_built_from(tmp_path, monkeypatch):
    """Changing a migration (or any file the build depends on) names a new template, so a stale
    template is never cloned."""
    import tests.db_template as module

    before = fingerprint()
    (tmp_path / "app" / "migrations").mkdir(parents=True)
    (tmp_path / "app" / "migrations" / "0001_initial.py").write_text("x = 1\n")
    monkeypatch.setattr(module, "ROOT", tmp_path)
    first = fingerprint()
    (tmp_path / "app" / "migrations" / "0001_initial.py").write_text("x = 2\n")
    assert fingerprint() != first
    assert before != first
    assert SessionDatabase().template.startswith(TEMPLATE_PREFIX)

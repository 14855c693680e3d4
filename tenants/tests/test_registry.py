import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from tenants.codes import validate_region_code
from tenants.errors import ErrorCode
from tenants.models import Region, RegionKind

pytestmark = pytest.mark.django_db


def test_registry_holds_every_level_with_official_counts():
    counts = {kind: Region.objects.filter(kind=kind).count() for kind in RegionKind.values}
    assert counts[RegionKind.PROVINSI] == 38
    assert counts[RegionKind.KABUPATEN] + counts[RegionKind.KABUPATEN_ADMINISTRASI] == 416
    assert counts[RegionKind.KOTA] + counts[RegionKind.KOTA_ADMINISTRASI] == 98
    assert counts[RegionKind.KABUPATEN_ADMINISTRASI] + counts[RegionKind.KOTA_ADMINISTRASI] == 6
    assert counts[RegionKind.KECAMATAN] == 7285
    assert Region.objects.villages().count() == 83762
    assert Region.objects.autonomous().count() == 38 + 514 - 6


def test_hierarchy_and_kinds_of_the_examples():
    purwantoro = Region.objects.get(code="35.73.01.1007")
    assert purwantoro.name == "Purwantoro"
    assert purwantoro.kind == RegionKind.KELURAHAN
    assert purwantoro.parent.code == "35.73.01"
    assert purwantoro.parent.name == "Blimbing"
    assert purwantoro.parent.parent.full_name == "Kota Malang"
    assert purwantoro.parent.parent.parent.full_name == "Provinsi Jawa Timur"
    kota_malang = Region.objects.get(code="35.73")
    assert kota_malang.kind == RegionKind.KOTA and kota_malang.is_autonomous
    assert Region.objects.get(code="35.07").kind == RegionKind.KABUPATEN
    assert Region.objects.get(code="31.71").kind == RegionKind.KOTA_ADMINISTRASI
    assert not Region.objects.get(code="31.71").is_autonomous
    assert Region.objects.kecamatan().filter(parent=kota_malang).count() == 5
    assert Region.objects.within(kota_malang).villages().count() == 57
    assert kota_malang.contains(purwantoro)
    assert not Region.objects.get(code="35.79").contains(purwantoro)


def test_slugs_name_subdomains_and_schemas():
    assert Region.objects.get(code="35.73").slug == "kota-malang"
    assert Region.objects.get(code="35").slug == "provinsi-jawa-timur"
    assert Region.objects.get(code="35.73").schema_name == "kota_malang"
    slugs = list(Region.objects.exclude(slug=None).values_list("slug", flat=True))
    assert len(slugs) == 552 == len(set(slugs))
    assert all(len(s) <= 63 and "_" not in s for s in slugs)


@pytest.mark.parametrize("code", ["35", "35.73", "35.73.01", "35.73.01.1007"])
def test_valid_codes(code):
    validate_region_code(code)


@pytest.mark.parametrize(
    "code", ["", "3", "357", "35.7", "35.73.1", "35.73.01.107", "35-73", "35.73.", "aa.bb", " 35"]
)
def test_invalid_codes_are_rejected_with_a_stable_code(code):
    with pytest.raises(ValidationError) as excinfo:
        validate_region_code(code)
    assert excinfo.value.code == ErrorCode.INVALID_REGION_CODE


def test_import_is_idempotent_and_updates_names(capsys):
    Region.objects.filter(code="35.73.01").update(name="Nama Lama")
    before = Region.objects.count()
    call_command("import_regions", level="kecamatan", no_progress=True)
    call_command("import_regions", level="kecamatan", no_progress=True)
    assert Region.objects.count() == before
    assert Region.objects.get(code="35.73.01").name == "Blimbing"
    assert "7285 regions imported" in capsys.readouterr().out

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_exists

from tenants.models import Membership, Role, Tenant

pytestmark = pytest.mark.django_db


def test_bulk_onboarding_by_code_is_idempotent(capsys):
    call_command("onboard_regions", "35.15", "65.71", no_progress=True)
    assert "2 onboarded, 0 already on the platform" in capsys.readouterr().out
    call_command("onboard_regions", "35.15", "65.71", "35.73", no_progress=True)
    assert "0 onboarded, 3 already on the platform" in capsys.readouterr().out
    assert Tenant.objects.filter(region_id__in=["35.15", "65.71"]).count() == 2
    assert schema_exists("kabupaten_sidoarjo") and schema_exists("kota_tarakan")


def test_bulk_onboarding_from_csv_with_first_admins(tmp_path, user_factory, capsys):
    admin = user_factory(email="kerjasama@sidoarjokab.test")
    path = tmp_path / "misi-dagang.csv"
    path.write_text("code,admin_email\n35.15,kerjasama@sidoarjokab.test\n61,\n", encoding="utf-8")
    call_command("onboard_regions", csv=path, no_progress=True)
    assert "2 onboarded" in capsys.readouterr().out
    membership = Membership.objects.get(user=admin)
    assert membership.tenant.region_id == "35.15" and membership.role == Role.ADMIN
    assert Tenant.objects.filter(region_id="61").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["35.7x"], "Nothing was onboarded:\n  “35.7x”"),
        (["99.99"], "no province, kabupaten or kota"),
        (["35.73.01"], "no province, kabupaten or kota"),
        ([], "Give region codes or --csv"),
    ],
)
def test_bulk_onboarding_rejects_bad_input_before_changing_anything(args, message):
    before = Tenant.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("onboard_regions", "35.15", *args, no_progress=True) if args else call_command(
            "onboard_regions", no_progress=True
        )
    assert Tenant.objects.count() == before


def test_bulk_onboarding_csv_needs_code_column_and_known_accounts(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("kode\n35.15\n", encoding="utf-8")
    with pytest.raises(CommandError, match="needs a `code` column"):
        call_command("onboard_regions", csv=bad, no_progress=True)
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("code,admin_email\n35.15,siapa@contoh.test\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no account for siapa@contoh.test"):
        call_command("onboard_regions", csv=unknown, no_progress=True)
    assert not Tenant.objects.filter(region_id="35.15").exists()

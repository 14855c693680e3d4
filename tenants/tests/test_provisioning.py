import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django_tenants.utils import schema_exists, tenant_context

from cms.models import RegionPage
from tenants.errors import ErrorCode
from tenants.models import AuditEvent, Domain, Membership, Region, Role, Tenant
from tenants.onboarding import provision_region
from tenants.provisioning import TemplateNotReady, template_schema

pytestmark = pytest.mark.django_db


def workspace_tables(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", [schema]
        )
        return {row[0] for row in cursor.fetchall()}


def test_provisioning_creates_schema_domain_and_first_admin(user_factory, staff_user):
    applicant = user_factory()
    region = Region.objects.get(code="35.07")

    tenant = provision_region(region=region, acting_user=staff_user, first_admin=applicant)

    assert tenant.schema_name == "kabupaten_malang"
    assert tenant.name == "Kabupaten Malang"
    assert schema_exists("kabupaten_malang")
    assert workspace_tables("kabupaten_malang") == workspace_tables(template_schema())
    assert "workspace_document" in workspace_tables("kabupaten_malang")
    assert Domain.objects.get(tenant=tenant).domain == "kabupaten-malang.localhost"
    assert Membership.objects.get(tenant=tenant).user == applicant
    assert Membership.objects.get(tenant=tenant).role == Role.ADMIN
    event = AuditEvent.objects.get(action="tenant.provisioned", tenant=tenant)
    assert event.actor == staff_user and event.data["first_admin"] == applicant.email
    with tenant_context(tenant):
        from workspace.models import Document

        assert Document.objects.count() == 0


def test_a_region_becomes_a_tenant_at_most_once(malang):
    with pytest.raises(ValidationError) as excinfo:
        provision_region(region=malang.region, acting_user=None)
    assert excinfo.value.code == ErrorCode.REGION_ALREADY_ONBOARDED
    assert Tenant.objects.filter(region=malang.region).count() == 1


def test_administrative_cities_cannot_be_tenants():
    with pytest.raises(ValidationError) as excinfo:
        provision_region(region=Region.objects.get(code="31.71"), acting_user=None)
    assert excinfo.value.code == ErrorCode.REGION_NOT_AUTONOMOUS


def test_a_failure_leaves_nothing_half_made_and_a_retry_succeeds(user_factory, batu):
    # Given a domain that collides with the one provisioning will create...
    region = Region.objects.get(code="35.15")
    blocker = Domain.objects.create(domain="kabupaten-sidoarjo.localhost", tenant=batu)
    admin = user_factory()

    # ...provisioning fails,
    with pytest.raises(IntegrityError):
        provision_region(region=region, acting_user=None, first_admin=admin)

    # and leaves no tenant, schema, membership or audit trace behind.
    assert not Tenant.objects.filter(region=region).exists()
    assert not schema_exists("kabupaten_sidoarjo")
    assert not Membership.objects.filter(user=admin).exists()
    assert not AuditEvent.objects.filter(action="tenant.provisioned", data__region="35.15").exists()
    assert not RegionPage.objects.filter(region=region).exists()

    # Once the obstacle is gone, the same call succeeds.
    blocker.delete()
    tenant = provision_region(region=region, acting_user=None, first_admin=admin)
    assert schema_exists(tenant.schema_name)
    assert Membership.objects.filter(user=admin, tenant=tenant).exists()


def test_an_orphan_schema_from_a_crash_is_cleared_on_retry():
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "kota_tarakan"')
        cursor.execute('CREATE TABLE "kota_tarakan".leftover (id int)')
    tenant = provision_region(region=Region.objects.get(code="65.71"), acting_user=None)
    assert "leftover" not in workspace_tables(tenant.schema_name)
    assert "workspace_document" in workspace_tables(tenant.schema_name)


def test_a_stale_template_is_refused_with_instructions():
    with connection.cursor() as cursor:
        schema = connection.ops.quote_name(template_schema())
        cursor.execute(f"DELETE FROM {schema}.django_migrations WHERE app = %s", ["workspace"])  # noqa: S608
    with pytest.raises(TemplateNotReady, match="migrate_schemas --tenant"):
        provision_region(region=Region.objects.get(code="61.72"), acting_user=None)
    assert not schema_exists("kota_singkawang")
    assert not Tenant.objects.filter(region_id="61.72").exists()


def test_tenant_data_is_isolated_between_schemas(malang, batu):
    from workspace.models import Document

    with tenant_context(malang):
        Document.objects.create(
            title="KSB Malang Raya", file="documents/x.pdf", original_name="x.pdf"
        )
    with tenant_context(batu):
        assert Document.objects.count() == 0
    with tenant_context(malang):
        assert Document.objects.get().title == "KSB Malang Raya"


def test_workspace_tables_hold_no_database_constraints_into_the_public_schema():
    """Cross-schema foreign keys would put one trigger per tenant on public tables."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT con.conname FROM pg_constraint con
            JOIN pg_class src ON src.oid = con.conrelid
            JOIN pg_namespace ns ON ns.oid = src.relnamespace
            JOIN pg_class dst ON dst.oid = con.confrelid
            JOIN pg_namespace dns ON dns.oid = dst.relnamespace
            WHERE con.contype = 'f' AND ns.nspname = %s AND dns.nspname <> ns.nspname
            """,
            [template_schema()],
        )
        assert cursor.fetchall() == []

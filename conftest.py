"""Shared fixtures. The suite runs against a real PostgreSQL (the project-owned cluster that
`make test` starts). Once per session: the public tenant, the migrated template schema, the whole
region registry, and two provisioned regions (Kota Malang and Kota Batu) are committed; every
test then runs in a transaction that is rolled back, DDL included, so tests may provision more
tenants freely."""

from __future__ import annotations

import io
import time

import factory
import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from pypdf import PdfWriter

from accounts.models import User
from tenants.models import Membership, Region, Role, Tenant

# The browser journeys' fixtures (browser, audited, e2e), for the tests of every app.
pytest_plugins = ["tests.browser"]

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "rahasia-yang-panjang-2026"


def _populate_session_database() -> None:
    """What every test may rely on: the public tenant, the migrated template schema, the whole
    region registry, and two provisioned regions (Kota Malang and Kota Batu)."""
    from tenants.onboarding import provision_region
    from tenants.provisioning import ensure_public_tenant, ensure_template
    from tenants.region_codes import AREA_LEVELS, upsert_level

    ensure_public_tenant()
    ensure_template()
    for level in AREA_LEVELS:
        upsert_level(Region, level)
    for code in ("35.73", "35.79"):
        if not Tenant.objects.filter(region_id=code).exists():
            provision_region(region=Region.objects.get(code=code), acting_user=None)


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_createdb,
    django_db_modify_db_settings,  # a pytest-xdist worker's own database name (suffix _gwN)
):
    """The session's database, cloned from a saved PostgreSQL template (tests/db_template.py):
    the first run after a change of migrations, registry data or provisioning code builds it
    (migrations, template schema, registry, two regions: a minute or two); every later run
    clones it in seconds. `--create-db` rebuilds it. Every run gets a fresh copy, so a run
    that emptied tables (the concurrency tests) leaves nothing behind for the next."""
    from tests.db_template import SessionDatabase

    database = SessionDatabase(verbosity=request.config.option.verbose)
    with django_db_blocker.unblock():
        database.set_up(populate=_populate_session_database, rebuild=django_db_createdb)
    yield
    with django_db_blocker.unblock():
        database.tear_down()


@pytest.fixture(autouse=True)
def _colliding_primary_keys(request):
    """Regions' primary keys collide in production: every schema's sequences start at 1. Before
    each database test, every region schema's sequences (the template's too, so regions a test
    provisions follow) are set to one common value, so the next agreement, document or event
    of Kota Malang has the same primary key as Kota Batu's. A query that forgets its region then
    finds the other region's row with the same key, and its test fails."""
    marker = request.node.get_closest_marker("django_db")
    wants_db = marker is not None or {"db", "transactional_db"} & set(request.fixturenames)
    if not wants_db:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    from tests.db_template import align_region_sequences

    align_region_sequences()
    yield


@pytest.fixture(autouse=True)
def _public_schema_each_test(request):
    """Every test starts (and ends) on the public schema."""
    yield
    if "django_db_setup" in request.fixturenames:
        connection.set_schema_to_public()


@pytest.fixture
def committed_platform(transactional_db):
    """For tests whose writes must really commit (live server, concurrent transactions).

    Transactional tests end with a flush of the public schema's tables (pytest-django runs them
    after all others); this restores what the session set-up had made, and afterwards drops the
    schemas of the regions that exist."""
    from importlib import import_module

    from django.apps import apps as django_apps
    from django.core.cache import caches

    from search.models import RegionLocation, Synonym
    from tenants.onboarding import provision_region
    from tenants.provisioning import ensure_public_tenant, ensure_template
    from tenants.region_codes import AREA_LEVELS, TENANT_LEVELS, upsert_level

    # The flush between transactional tests empties the models' tables, not the cache table:
    # what an earlier live-server test cached (a profile's figures, a list page) must not leak.
    for cache in caches.all():
        cache.clear()
    if Region.objects.filter(code__in=["35.73.01.1007", "35.73"]).count() < 2:
        for level in (*TENANT_LEVELS, *AREA_LEVELS):
            upsert_level(Region, level)
    # Data that migrations load (the seeds of synonyms, the regions' coordinates) is emptied by
    # the flush as well: load it again the way the migrations do.
    if not Synonym.objects.exists():
        import_module("search.migrations.0003_seed_synonyms").seed(django_apps, None)
    if not RegionLocation.objects.exists():
        import_module("search.migrations.0009_region_locations_every_region").load(
            django_apps, None
        )
    ensure_public_tenant()
    ensure_template()
    for code in ("35.73", "35.79"):
        if not Tenant.objects.filter(region_id=code).exists():
            provision_region(region=Region.objects.get(code=code), acting_user=None)
    yield
    connection.set_schema_to_public()
    # Only the schemas are dropped here: the rows (tenants and everything that points at them,
    # listings and inquiries included) go with the flush that ends every transactional test.
    schemas = list(Tenant.objects.regions().values_list("schema_name", flat=True))
    with connection.cursor() as cursor:
        for schema in schemas:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"orang{n}@contoh.test")
    full_name = factory.Faker("name", locale="id_ID")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        obj.save()
        if extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


@pytest.fixture
def user_factory(db):
    return UserFactory


@pytest.fixture
def malang(db) -> Tenant:
    return Tenant.objects.get(region_id="35.73")


@pytest.fixture
def batu(db) -> Tenant:
    return Tenant.objects.get(region_id="35.79")


@pytest.fixture
def member(db):
    """member(tenant, role, area="35.73.01.1007", opd="...", mfa=True) -> User"""

    def make(
        tenant: Tenant,
        role: str = Role.VIEWER,
        *,
        area: str | None = None,
        opd: str = "",
        mfa: bool | None = None,
        **user_kwargs,
    ) -> User:
        user = UserFactory(**user_kwargs)
        Membership.objects.create(user=user, tenant=tenant, role=role, opd=opd, area_id=area)
        if mfa if mfa is not None else role == Role.ADMIN:
            TOTP.activate(user, TOTP_SECRET)
        return user

    return make


@pytest.fixture
def staff_user(db) -> User:
    user = UserFactory(is_staff=True)
    TOTP.activate(user, TOTP_SECRET)
    return user


def pass_second_factor(client: Client, user: User) -> None:
    """Record in the client's session what allauth records when a person passes TOTP at login
    (tests that check the *absence* of this use a plain `force_login`)."""
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def host_client(host: str, user: User | None = None) -> Client:
    """A client on `host`, signed in as `user` the way allauth signs people in: with the second
    factor passed when the account has one."""
    client = Client(HTTP_HOST=host)
    if user is not None:
        client.force_login(user)
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            pass_second_factor(client, user)
    return client


@pytest.fixture
def client_for():
    """client_for(tenant_or_None, user=None): a test client on that region's subdomain (or on
    the platform's base domain when tenant is None)."""

    def make(tenant: Tenant | None, user: User | None = None) -> Client:
        host = tenant.get_primary_domain().domain if tenant else "localhost"
        return host_client(host, user)

    return make


def make_pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def pdf_file():
    def make(name: str = "surat.pdf") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, make_pdf(), content_type="application/pdf")

    return make


@pytest.fixture(autouse=True)
def _isolated_exports(settings, tmp_path):
    settings.EXPORT_ROOT = tmp_path / "exports"


@pytest.fixture(scope="session", autouse=True)
def _fresh_media_root():
    """Uploaded files go to the test settings' MEDIA_ROOT (django-tenants' storage caches its
    location, so it is not changed per test); start each session with it empty."""
    import shutil

    from django.conf import settings

    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def signature_checks_in_process(monkeypatch):
    """The signature checks a test sets off (the demo's 126 documents) run the engine in this
    process instead of a child process each: the same validation and the same answer, without
    starting an interpreter per document (about half of a demo load's time). The child process
    and its limits are tested in signatures/tests/test_checking.py, which never uses this."""
    import json

    from signatures import checking, engine

    def in_process(content: bytes) -> dict:
        roots = engine.load_roots(checking.trust_roots_dir() or None)
        return json.loads(json.dumps(engine.answer(content, roots)))

    monkeypatch.setattr(checking, "run_engine", in_process)

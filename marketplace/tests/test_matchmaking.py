"""The partner finder (marketplace/matchmaking.py) on a small constructed world, with exact
scores: Kota Tarakan needs tempeh and sells mud crab; Kota Malang sells Sanan tempe and needs
crab; Kota Batu offers apple-picking tourism and has an agreement with Kota Malang. Kota Batu's
unpublished and expired tempe listings would match Tarakan's need if they counted; they never do.
Then the page (/pasar/mitra/) and the reasons on a public listing's page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone, translation

from cooperation.models import Cooperation, Kind, Party, PartyKind, Stage
from marketplace import matchmaking
from marketplace.matchmaking import Code
from marketplace.models import Listing, ListingStatus
from tenants.models import Region, Role, Tenant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    """Pages in English (the source strings), whatever the catalogues translate."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def tarakan(db) -> Tenant:
    from tenants.onboarding import provision_region

    return provision_region(region=Region.objects.get(code="65.71"), acting_user=None)


def agreement(title: str, *tenants: Tenant, stage: str = Stage.IMPLEMENTATION) -> Cooperation:
    cooperation = Cooperation.objects.create(kind=Kind.KSDD_SUKARELA, title=title, stage=stage)
    for position, tenant in enumerate(tenants):
        Party.objects.create(
            cooperation=cooperation,
            position=position,
            kind=PartyKind.REGION,
            region=tenant.region,
            name=tenant.name,
        )
    return cooperation


@pytest.fixture
def world(malang, batu, tarakan, make_listing):
    need = make_listing(
        tarakan,
        kind="need",
        title="Pasokan tempeh untuk komunitas perantau",
        description="Permintaan tempe melebihi pasokan.",
        sector="C",
        urusan="2.09",
    )
    crab = make_listing(
        tarakan,
        title="Kepiting bakau Tarakan",
        description="Kepiting bakau segar.",
        sector="A",
        urusan="3.25",
    )
    tempe = make_listing(malang, title="Tempe Sanan", sector="C", urusan="3.31")
    crab_need = make_listing(
        malang,
        kind="need",
        title="Kepiting segar untuk restoran",
        sector="A",
        urusan="3.25",
        area=None,
    )
    make_listing(
        batu,
        kind="potential",
        potential_type="tourism",
        title="Wisata petik apel",
        description="Agrowisata apel.",
        sector="R",
        urusan="3.26",
    )
    # What would match Tarakan's need best, were it public: a draft, one awaiting moderation,
    # a returned one, an archived one and an expired one.
    for status in (
        ListingStatus.DRAFT,
        ListingStatus.SUBMITTED,
        ListingStatus.RETURNED,
        ListingStatus.ARCHIVED,
    ):
        make_listing(batu, status=status, title="Tempe Batu", sector="C", urusan="2.09")
    expired = make_listing(batu, title="Tempe Batu lama", sector="C", urusan="2.09")
    Listing.objects.filter(pk=expired.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    agreement("KSB Malang Raya", malang, batu)
    agreement("Usulan yang ditolak", malang, batu, stage=Stage.REJECTED)
    return {"need": need, "crab": crab, "tempe": tempe, "crab_need": crab_need}


def points(suggestion) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {}
    for reason in suggestion.reasons:
        found.setdefault(reason.code, []).append(reason.points)
    return found


def test_tarakan_gets_kota_malang_with_exact_reasons(world, tarakan, malang):
    with translation.override("en"):
        suggestions = matchmaking.suggest_partners(tarakan)
    assert [(s.tenant.region_id, s.score) for s in suggestions] == [("35.73", 10.5)]
    (malang_suggestion,) = suggestions
    assert points(malang_suggestion) == {
        # tempeh = tempe (a synonym) 3 + sector C 1; the urusan differ (2.09, 3.31)
        Code.OUR_NEED: [4.0],
        # kepiting 3 + sector A 1 + urusan 3.25 1
        Code.THEIR_NEED: [5.0],
        Code.SHARED_SECTORS: [1.0],  # A and C
        Code.SHARED_URUSAN: [0.5],  # 3.25
        Code.DISTANCE: [0.0],  # about 1,371 km: beyond 1,000 km
    }
    ours = malang_suggestion.reasons[0]
    assert [ref.pk for ref in ours.listings] == [world["need"].pk, world["tempe"].pk]
    assert "tempeh (tempe)" in ours.text
    assert "Tempe Sanan" in ours.text
    assert round(malang_suggestion.distance_km) == 1371


def test_malang_gets_tarakan_then_batu_with_agreement_and_nearness(world, malang):
    suggestions = matchmaking.suggest_partners(malang)
    assert [(s.tenant.region_id, s.score) for s in suggestions] == [
        ("65.71", 10.5),
        ("35.79", 3.97),
    ]
    batu_suggestion = suggestions[1]
    assert points(batu_suggestion) == {
        Code.AGREEMENTS: [2.0],  # the rejected proposal does not count
        Code.DISTANCE: [1.97],  # 2 × (1 − 16.6 km / 1,000 km)
    }
    assert batu_suggestion.reasons[0].agreements == ("KSB Malang Raya",)


def test_unpublished_and_expired_listings_never_count(world, tarakan, batu):
    assert "35.79" not in [s.tenant.region_id for s in matchmaking.suggest_partners(tarakan)]
    explained = matchmaking.explain_pair(tarakan, batu)
    assert explained.score == 0.0
    assert not matchmaking.qualifies(explained)
    referenced = {ref.title for r in explained.reasons for ref in r.listings}
    assert referenced == set()
    # Published, the same listing is Tarakan's best match at once.
    draft = Listing.objects.get(tenant=batu, title="Tempe Batu", status=ListingStatus.DRAFT)
    Listing.objects.filter(pk=draft.pk).update(
        status=ListingStatus.PUBLISHED, published_at=timezone.now()
    )
    # tempeh = tempe 3 + C 1 + 2.09 1, shared sector C 0.5 and urusan 2.09 0.5
    assert [(s.tenant.region_id, s.score) for s in matchmaking.suggest_partners(tarakan)] == [
        ("35.73", 10.5),
        ("35.79", 6.0),
    ]


def test_scores_are_reproducible(world, malang):
    first = matchmaking.suggest_partners(malang)
    again = matchmaking.suggest_partners(malang)
    assert [(s.tenant.pk, s.score, s.reasons) for s in first] == [
        (s.tenant.pk, s.score, s.reasons) for s in again
    ]


def test_weights_come_from_the_setting(world, tarakan, settings):
    settings.JEJARING_MATCH_WEIGHTS = {"need_words": 10, "shared_sector": 0}
    (malang_suggestion,) = matchmaking.suggest_partners(tarakan)
    # tempeh 10 + C 1; kepiting 10 + A 1 + 3.25 1; sectors 0; urusan 0.5
    assert malang_suggestion.score == 23.5
    assert matchmaking.weights()["need_words"] == 10.0
    assert matchmaking.weights()["agreement"] == matchmaking.DEFAULT_WEIGHTS["agreement"]


def test_an_unknown_weight_is_a_configuration_error(settings):
    settings.JEJARING_MATCH_WEIGHTS = {"need_word": 10}
    with pytest.raises(ImproperlyConfigured, match="need_word"):
        matchmaking.weights()


def test_agreements_count_up_to_the_cap(malang, batu, settings):
    settings.JEJARING_MATCH_WEIGHTS = {"agreement_cap": 2}
    for n in range(3):
        agreement(f"PKS {n}", malang, batu)
    with translation.override("en"):
        (suggestion,) = matchmaking.suggest_partners(malang)
    assert points(suggestion)[Code.AGREEMENTS] == [4.0]
    assert "Only 2 of them count." in suggestion.reasons[0].text


def test_nearness_alone_suggests_nothing(malang, batu):
    assert matchmaking.suggest_partners(malang) == []


def test_vocabulary_drops_common_words_and_folds_synonyms():
    vocabulary = matchmaking.Vocabulary([["tempe", "tempeh"], ["wijen", "sesame"]])
    assert vocabulary.words("Kebutuhan TEMPEH dan biji Wijen untuk Kota 2026") == {
        "tempe": "tempeh",
        "biji": "biji",
        "sesame": "wijen",
    }


# --- The page -------------------------------------------------------------------------------


def partners_url() -> str:
    return reverse("marketplace_region:partners", urlconf="portal.urls_tenant")


def test_partner_finder_page_lists_suggestions_with_reasons(world, malang, member, client_for):
    admin = member(malang, Role.ADMIN)
    response = client_for(malang, admin).get(partners_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert [row["suggestion"].tenant.region_id for row in response.context["rows"]] == [
        "65.71",
        "35.79",
    ]
    assert "Kota Tarakan" in html and "10.50" in html
    assert "Kepiting bakau Tarakan" in html
    assert "KSB Malang Raya" in html  # the office reads the register
    assert "How the score is computed" in html


def test_partner_finder_hides_agreement_titles_from_who_does_not_read_the_register(
    world, malang, member, client_for
):
    lurah = member(malang, Role.LURAH, area="35.73.01.1007")
    response = client_for(malang, lurah).get(partners_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "You already have 1 agreement together." in html
    assert "KSB Malang Raya" not in html


def test_partner_finder_anonymous_is_sent_to_sign_in(malang, client_for):
    response = client_for(malang).get(partners_url())
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["other_region", "staff", "third_party"])
def test_partner_finder_is_not_found_for_non_members(
    malang, batu, member, staff_user, user_factory, client_for, who
):
    user = {
        "other_region": lambda: member(batu, Role.ADMIN),
        "staff": lambda: staff_user,
        "third_party": lambda: user_factory(),
    }[who]()
    assert client_for(malang, user).get(partners_url()).status_code == 404


def test_partner_finder_refuses_other_methods(malang, member, client_for):
    admin = member(malang, Role.ADMIN)
    assert client_for(malang, admin).post(partners_url()).status_code == 405


# --- The reasons on a public listing's page -------------------------------------------------


def detail_url(pk: int) -> str:
    return reverse("marketplace:detail", args=[pk], urlconf="portal.urls_public")


def test_listing_page_explains_the_listing_region_to_a_member_of_another(
    world, tarakan, member, client_for
):
    official = member(tarakan, Role.OPD, opd="Dinas Perdagangan")
    html = client_for(None, official).get(detail_url(world["tempe"].pk)).content.decode()
    assert "Why Kota Malang could be a partner for Kota Tarakan" in html
    assert "Pasokan tempeh untuk komunitas perantau" in html
    assert 'class="highlight"' in html  # the reason about this very listing
    assert "/pasar/mitra/" in html


def test_listing_page_explains_nothing_to_anonymous_or_the_listing_region(
    world, malang, member, client_for
):
    assert (
        "could be a partner"
        not in client_for(None).get(detail_url(world["tempe"].pk)).content.decode()
    )
    admin = member(malang, Role.ADMIN)
    html = client_for(None, admin).get(detail_url(world["tempe"].pk)).content.decode()
    assert "could be a partner" not in html

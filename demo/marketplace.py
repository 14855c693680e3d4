"""The marketplace's demo (issue 7), a step of demo.loader after the regions and accounts.

Every listing goes through the real actions (marketplace.actions: create, submit, publish), never
into the tables directly: its publisher creates and submits it, the region's office publishes it,
and each write records its search index work, so the demo is found by search at once.

- Kota Malang: Sanan tempe, published for Kelurahan Purwantoro (35.73.01.1007) by its lurah and
  moderated by the city's cooperation office; the Blimbing camat's tempe chips; the office's
  public-service mall as a good practice; a kampung wisata; a need for mud crab.
- Kota Tarakan: the need for tempe of its Javanese community (Malang tempe sells there and
  demand outgrows supply); its mud crab; its mangrove conservation area.
- Kabupaten Sidoarjo: sesame seed (biji wijen) from its food agency, smoked milkfish, and an
  idle regional asset (barang milik daerah) offered to investors.
- Kota Batu: apple-picking agrotourism (in English) and its apples.
- Kabupaten Malang: agriculture (Dampit coffee, an agropolitan area for investors).
- Provinsi Jawa Timur: its trade mission as a cooperation offer.
- Kota Singkawang: a need for cooperation on clean water, and Cap Go Meh tourism.

Then Provinsi Jawa Timur's trade mission to Kota Tarakan (missions.actions, through the same
actions as the pages): three weeks after loading, two days, six time slots; Kabupaten Sidoarjo's
sesame seed (biji wijen) and smoked milkfish enrolled by its office, Sanan tempe by the lurah of
Purwantoro, Kota Batu's apples and Kabupaten Malang's coffee by their offices. Kota Tarakan's
office asks to meet Sidoarjo about the sesame seed (left for Sidoarjo to answer) and Kota Malang
about the tempe (accepted by the lurah), and asks Kabupaten Malang about its coffee, then cancels;
Universitas Mitra, a third party, asks Kota Batu about its apples, and Batu moves the meeting to
another slot. So the organiser's overview shows each state, and Sidoarjo's office finds the
request waiting for its answer on its list of meetings.

So Kota Tarakan's partner finder puts Kota Malang first (its tempe meets Tarakan's need; Tarakan's
crab meets Malang's), and the facets of a search show several provinces, regions, kinds, sectors
and urusan.

Idempotent: a listing is skipped when its region already has one with the same title (in any
status). Validity runs a year from the day of loading.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as dt_time

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from marketplace import actions
from marketplace.models import Listing, ListingKind, PotentialType
from missions import actions as mission_actions
from missions.models import Mission
from tenants.models import Membership, Region

VALID_DAYS = 365
MALANG, KAB_MALANG, BATU, SIDOARJO, TARAKAN = "35.73", "35.07", "35.79", "35.15", "65.71"
JATIM, SINGKAWANG = "35", "61.72"
PURWANTORO, BLIMBING = "35.73.01.1007", "35.73.01"
OFFICE = {
    MALANG: "admin.malang@jejaring.test",
    KAB_MALANG: "admin.kabmalang@jejaring.test",
    BATU: "admin.batu@jejaring.test",
    SIDOARJO: "admin.sidoarjo@jejaring.test",
    TARAKAN: "admin.tarakan@jejaring.test",
    JATIM: "admin.jatim@jejaring.test",
    SINGKAWANG: "admin.singkawang@jejaring.test",
}
LURAH_PURWANTORO = "lurah.purwantoro@jejaring.test"
CAMAT_BLIMBING = "camat.blimbing@jejaring.test"
OPD_MALANG = "opd.malang@jejaring.test"


@dataclass(frozen=True)
class Demo:
    region: str
    title: str
    kind: str
    sector: str  # KBLI 2020 section
    urusan: str
    description: str
    contact: tuple[str, str]  # name, e-mail (demo addresses on jejaring.test)
    publisher: str = ""  # e-mail of the member who creates and submits it; the office if empty
    area: str | None = None
    potential_type: str = ""
    quantity: int | None = None
    unit: str = ""
    price: tuple[int, int] | None = None
    language: str = "id"
    extra: dict = field(default_factory=dict)


LISTINGS: tuple[Demo, ...] = (
    # --- Kota Malang ---------------------------------------------------------------------------
    Demo(
        MALANG,
        "Tempe Sanan dari Kelurahan Purwantoro",
        ListingKind.PRODUCT,
        "C",
        "3.31",
        "Tempe kedelai dari sentra tempe Sanan, Kelurahan Purwantoro, Kecamatan Blimbing: "
        "perajin rumahan, dibungkus daun atau plastik, juga keripik tempe. "
        "Siap memasok daerah lain dan membina perajin di komunitas perantau.",
        ("Lurah Purwantoro", "purwantoro@kotamalang.jejaring.test"),
        publisher=LURAH_PURWANTORO,
        area=PURWANTORO,
        quantity=20000,
        unit="kg per bulan",
        price=(12000, 16000),
    ),
    Demo(
        MALANG,
        "Keripik tempe Blimbing",
        ListingKind.PRODUCT,
        "C",
        "2.17",
        "Keripik tempe renyah dari UMKM Kecamatan Blimbing, tahan tiga bulan, kemasan 250 g.",
        ("Camat Blimbing", "blimbing@kotamalang.jejaring.test"),
        publisher=CAMAT_BLIMBING,
        area=BLIMBING,
        quantity=5000,
        unit="bungkus per bulan",
        price=(15000, 20000),
    ),
    Demo(
        MALANG,
        "Mal Pelayanan Publik Kota Malang",
        ListingKind.PRACTICE,
        "O",
        "2.12",
        "Layanan perizinan, kependudukan dan perpajakan dalam satu gedung. Terbuka untuk studi "
        "tiru daerah lain: alur layanan, pembagian tugas antar-OPD, aplikasi antrean.",
        ("Bagian Kerja Sama Setda Kota Malang", "kerjasama@kotamalang.jejaring.test"),
    ),
    Demo(
        MALANG,
        "Kampung Warna-Warni Jodipan",
        ListingKind.POTENTIAL,
        "R",
        "3.26",
        "Kampung wisata tematik di bantaran Sungai Brantas, dikelola warga. Terbuka untuk paket "
        "wisata bersama dan pertukaran pengelola kampung wisata.",
        (
            "Dinas Kepemudaan, Olahraga dan Pariwisata Kota Malang",
            "pariwisata@kotamalang.jejaring.test",
        ),
        potential_type=PotentialType.TOURISM,
    ),
    Demo(
        MALANG,
        "Pasokan kepiting bakau untuk kuliner Kota Malang",
        ListingKind.NEED,
        "A",
        "3.25",
        "Rumah makan dan UMKM kuliner Kota Malang mencari pemasok kepiting bakau hidup secara "
        "rutin.",
        (
            "Dinas Koperasi, Perindustrian dan Perdagangan Kota Malang",
            "diskopindag@kotamalang.jejaring.test",
        ),
        publisher=OPD_MALANG,
        quantity=2000,
        unit="kg per bulan",
    ),
    # --- Kota Tarakan --------------------------------------------------------------------------
    Demo(
        TARAKAN,
        "Kebutuhan tempe untuk komunitas perantau Jawa di Tarakan",
        ListingKind.NEED,
        "C",
        "2.09",
        "Tempe dibuat di Tarakan, tetapi permintaan melebihi pasokan. Kota Tarakan mencari "
        "pemasok tempe dan pembinaan perajin tempe di komunitas perantau Jawa.",
        ("Bagian Kerja Sama Setda Kota Tarakan", "kerjasama@tarakan.jejaring.test"),
        quantity=8000,
        unit="kg per bulan",
    ),
    Demo(
        TARAKAN,
        "Kepiting bakau Tarakan",
        ListingKind.PRODUCT,
        "A",
        "3.25",
        "Kepiting bakau hidup dari tambak dan hutan mangrove Tarakan, dikirim lewat udara.",
        ("Dinas Perikanan Kota Tarakan", "perikanan@tarakan.jejaring.test"),
        quantity=10000,
        unit="kg per bulan",
        price=(120000, 180000),
    ),
    Demo(
        TARAKAN,
        "Kawasan Konservasi Mangrove dan Bekantan",
        ListingKind.POTENTIAL,
        "R",
        "3.26",
        "Hutan mangrove di tengah kota dengan bekantan: wisata edukasi dan riset.",
        ("Dinas Kebudayaan dan Pariwisata Kota Tarakan", "pariwisata@tarakan.jejaring.test"),
        potential_type=PotentialType.TOURISM,
    ),
    # --- Kabupaten Sidoarjo --------------------------------------------------------------------
    Demo(
        SIDOARJO,
        "Biji wijen Sidoarjo",
        ListingKind.PRODUCT,
        "A",
        "2.09",
        "Biji wijen melimpah dari petani Sidoarjo, dibina Dinas Pangan dan Pertanian; siap "
        "untuk misi dagang Jawa Timur dan pembeli dari daerah lain.",
        ("Dinas Pangan dan Pertanian Kabupaten Sidoarjo", "pangan@sidoarjo.jejaring.test"),
        quantity=50,
        unit="ton per musim",
        price=(28000, 35000),
    ),
    Demo(
        SIDOARJO,
        "Bandeng asap Sidoarjo",
        ListingKind.PRODUCT,
        "C",
        "3.25",
        "Bandeng asap dan bandeng presto dari UMKM tambak Sidoarjo.",
        ("Dinas Perikanan Kabupaten Sidoarjo", "perikanan@sidoarjo.jejaring.test"),
        unit="kg",
        price=(60000, 90000),
    ),
    Demo(
        SIDOARJO,
        "Gedung eks kantor kecamatan (barang milik daerah) untuk investor",
        ListingKind.POTENTIAL,
        "L",
        "2.18",
        "Bangunan milik daerah yang tidak terpakai, ditawarkan untuk kerja sama pemanfaatan.",
        (
            "Badan Pengelolaan Keuangan dan Aset Daerah Kabupaten Sidoarjo",
            "aset@sidoarjo.jejaring.test",
        ),
        potential_type=PotentialType.ASSET,
        quantity=1200,
        unit="m²",
    ),
    # --- Kota Batu -----------------------------------------------------------------------------
    Demo(
        BATU,
        "Apple-picking agrotourism in Kota Batu",
        ListingKind.POTENTIAL,
        "R",
        "3.26",
        "Apple-picking orchards (agrowisata petik apel) with homestays and tour packages for "
        "groups from other regions.",
        ("Dinas Pariwisata Kota Batu", "pariwisata@batu.jejaring.test"),
        potential_type=PotentialType.TOURISM,
        language="en",
    ),
    Demo(
        BATU,
        "Apel Batu",
        ListingKind.PRODUCT,
        "A",
        "3.27",
        "Apel manalagi dan rome beauty dari petani Kota Batu, juga sari apel.",
        ("Dinas Pertanian Kota Batu", "pertanian@batu.jejaring.test"),
        quantity=300,
        unit="ton per bulan",
    ),
    # --- Kabupaten Malang ----------------------------------------------------------------------
    Demo(
        KAB_MALANG,
        "Kopi robusta Dampit",
        ListingKind.PRODUCT,
        "A",
        "3.27",
        "Kopi robusta dari kebun rakyat di lereng selatan Kabupaten Malang.",
        (
            "Dinas Tanaman Pangan, Hortikultura dan Perkebunan Kabupaten Malang",
            "perkebunan@kabmalang.jejaring.test",
        ),
        quantity=200,
        unit="ton per bulan",
    ),
    Demo(
        KAB_MALANG,
        "Kawasan agropolitan Poncokusumo",
        ListingKind.POTENTIAL,
        "A",
        "3.27",
        "Sayur dan buah dataran tinggi: lahan dan kelompok tani terbuka untuk investasi "
        "pengolahan pascapanen.",
        ("Dinas Penanaman Modal dan PTSP Kabupaten Malang", "investasi@kabmalang.jejaring.test"),
        potential_type=PotentialType.INVESTMENT,
    ),
    # --- Provinsi Jawa Timur, Kota Singkawang --------------------------------------------------
    Demo(
        JATIM,
        "Misi dagang Jawa Timur",
        ListingKind.OFFER,
        "G",
        "3.30",
        "Setiap tahun Provinsi Jawa Timur membawa produk unggulan kabupaten dan kotanya ke "
        "provinsi lain. Daerah tujuan diajak bekerja sama dalam perdagangan antardaerah.",
        ("Biro Perekonomian Setda Provinsi Jawa Timur", "perekonomian@jatim.jejaring.test"),
    ),
    Demo(
        SINGKAWANG,
        "Kerja sama penyediaan air bersih",
        ListingKind.NEED,
        "E",
        "1.03",
        "Kota Singkawang mencari mitra untuk sumber air baku dan pengelolaan air bersih.",
        ("Bagian Kerja Sama Setda Kota Singkawang", "kerjasama@singkawang.jejaring.test"),
    ),
    Demo(
        SINGKAWANG,
        "Festival Cap Go Meh Singkawang",
        ListingKind.POTENTIAL,
        "R",
        "3.26",
        "Festival budaya tahunan: paket kunjungan dan pertukaran budaya antardaerah.",
        ("Dinas Pariwisata Kota Singkawang", "pariwisata@singkawang.jejaring.test"),
        potential_type=PotentialType.TOURISM,
    ),
)


def _membership(email: str, code: str) -> Membership:
    return Membership.objects.select_related("tenant__region", "area", "user").get(
        user__email=email, tenant__region_id=code
    )


def _fields(item: Demo, today) -> dict:
    return {
        "kind": item.kind,
        "potential_type": item.potential_type,
        "title": item.title,
        "description": item.description,
        "sector": item.sector,
        "urusan": item.urusan,
        "area": Region.objects.get(code=item.area) if item.area else None,
        "quantity": item.quantity,
        "unit": item.unit,
        "price_min": item.price[0] if item.price else None,
        "price_max": item.price[1] if item.price else None,
        "contact_name": item.contact[0],
        "contact_phone": "",
        "contact_email": item.contact[1],
        "valid_from": None,
        "valid_until": today + timedelta(days=VALID_DAYS),
        "language": item.language,
        **item.extra,
    }


def publish(item: Demo, today) -> bool:
    """Create, submit and publish one listing; False when its region has it already."""
    office = _membership(OFFICE[item.region], item.region)
    if Listing.objects.filter(tenant=office.tenant, title=item.title).exists():
        return False
    publisher = _membership(item.publisher, item.region) if item.publisher else office
    with transaction.atomic():  # all three or none: the actions' inner functions (core.actions)
        listing = actions.create_listing.inner(membership=publisher, fields=_fields(item, today))
        actions.submit_listing.inner(membership=publisher, listing=listing)
        actions.publish_listing.inner(membership=office, listing=listing)
    return True


# --- Provinsi Jawa Timur's trade mission ----------------------------------------------------------
MISSION_TITLE = "Misi Dagang Jawa Timur ke Kalimantan Utara"
MISSION_DAYS_AHEAD = 21
THIRD_PARTY = "mitra@jejaring.test"
# (region, title of the listing, e-mail of who enrols it)
ENROLLED = (
    (SIDOARJO, "Biji wijen Sidoarjo", OFFICE[SIDOARJO]),
    (SIDOARJO, "Bandeng asap Sidoarjo", OFFICE[SIDOARJO]),
    (MALANG, "Tempe Sanan dari Kelurahan Purwantoro", LURAH_PURWANTORO),
    (BATU, "Apel Batu", OFFICE[BATU]),
    (KAB_MALANG, "Kopi robusta Dampit", OFFICE[KAB_MALANG]),
)
# (slot number, region asked, listing, requester's e-mail, for their region?, message)
MEETINGS = (
    (
        0,
        SIDOARJO,
        "Biji wijen Sidoarjo",
        OFFICE[TARAKAN],
        True,
        "Industri makanan Tarakan membutuhkan biji wijen rutin. Kami ingin membahas pasokan, "
        "harga dan pengiriman lewat Pelabuhan Tanjung Perak.",
    ),
    (
        1,
        MALANG,
        "Tempe Sanan dari Kelurahan Purwantoro",
        OFFICE[TARAKAN],
        True,
        "Pasokan tempe dan pembinaan perajin di komunitas perantau Jawa di Tarakan.",
    ),
    (
        0,
        BATU,
        "Apel Batu",
        THIRD_PARTY,
        False,
        "Kami meneliti rantai pasok buah dan ingin bertemu kelompok tani apel.",
    ),
    (
        2,
        KAB_MALANG,
        "Kopi robusta Dampit",
        OFFICE[TARAKAN],
        True,
        "Kedai kopi di Tarakan mencari pasokan robusta; kami ingin mencicipi contohnya.",
    ),
)


def _at(day, hour: int):
    return timezone.make_aware(datetime.combine(day, dt_time(hour)))


def load_mission(today) -> bool:
    """Jawa Timur's trade mission with its catalogue and meetings; False when it exists."""
    office = _membership(OFFICE[JATIM], JATIM)
    if Mission.objects.filter(organiser=office.tenant, title=MISSION_TITLE).exists():
        return False
    first = today + timedelta(days=MISSION_DAYS_AHEAD)
    with transaction.atomic():
        mission = mission_actions.create_mission.inner(
            membership=office,
            title=MISSION_TITLE,
            destination="Kota Tarakan, Kalimantan Utara",
            theme="Pangan olahan dan hasil bumi Jawa Timur untuk Kalimantan Utara",
            description="Misi dagang tahunan Provinsi Jawa Timur: kabupaten dan kota membawa "
            "produk unggulannya, pembeli dan pemerintah daerah tujuan memesan pertemuan.",
            starts_on=first,
            ends_on=first + timedelta(days=1),
        )
        slots = [
            mission_actions.add_slot.inner(
                membership=office,
                mission=mission,
                starts_at=_at(day, hour),
                ends_at=_at(day, hour + 1),
                place="Gedung Serba Guna Kota Tarakan",
            )
            for day in (first, first + timedelta(days=1))
            for hour in (9, 10, 13)
        ]
        for code, title, enrolled_by in ENROLLED:
            member = _membership(enrolled_by, code)
            listing = Listing.objects.get(tenant=member.tenant, title=title)
            mission_actions.enrol_listing.inner(membership=member, mission=mission, listing=listing)
        meetings = []
        for slot, code, title, email, for_region, message in MEETINGS:
            user = User.objects.get(email=email)
            meetings.append(
                mission_actions.request_meeting.inner(
                    user=user,
                    mission=mission,
                    listing=Listing.objects.get(tenant__region_id=code, title=title),
                    slot=slots[slot],
                    message=message,
                    organisation="" if for_region else user.full_name,
                    requester_tenant=_membership(email, TARAKAN).tenant if for_region else None,
                )
            )
        mission_actions.accept_meeting.inner(
            membership=_membership(LURAH_PURWANTORO, MALANG),
            meeting=meetings[1],
            answer="Kami tunggu di Gedung Serba Guna; kami bawa contoh tempe dan keripik.",
        )
        mission_actions.reschedule_meeting.inner(
            membership=_membership(OFFICE[BATU], BATU),
            meeting=meetings[2],
            slot=slots[3],
            answer="Kelompok tani kami tiba di hari kedua.",
        )
        mission_actions.cancel_meeting.inner(
            user=User.objects.get(email=OFFICE[TARAKAN]),
            meeting=meetings[3],
            note="Pembeli kopi kami belum dapat hadir; kami hubungi lagi setelah misi.",
        )
    return True


def load(stdout=None) -> None:
    say = stdout.write if stdout else (lambda _msg: None)
    started = time.monotonic()
    today = timezone.localdate()
    added = sum(publish(item, today) for item in LISTINGS)
    if added:
        say(f"Marketplace: {added} listings published (Sanan tempe by the lurah of Purwantoro)")
    if load_mission(today):
        say("Trade mission: Jawa Timur to Tarakan, with Sidoarjo's sesame seed and 4 meetings")
    say(f"Marketplace demo ready ({time.monotonic() - started:.1f} s).")

"""A breach notice (UU 27/2022 Pasal 46): given the time window of a breach and the kinds of
personal data exposed (keys of privacy/registry.py), the people affected per region, and drafts
of the notices to them and to the authority, each saying what the law requires: which data,
when and how it was exposed, what is being done, what the person can do, and whom to contact.
Both are due within 3 × 24 hours of the breach becoming known.

Who is affected: every account that held data of those kinds during the window (it existed
before the window ended and was not erased before it began), grouped by the regions where it is
a member (people without a region under the platform). A breach of the signatories' names
concerns public records: they are listed too, by name."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from tenants.models import Membership, RegionApplication

from . import registry

PLATFORM = "(platform)"


@dataclass
class Affected:
    by_region: dict[str, list[str]] = field(default_factory=dict)
    signatories: list[str] = field(default_factory=list)

    @property
    def people(self) -> set[str]:
        return {email for emails in self.by_region.values() for email in emails}


def _accounts(kinds: set[str], until: datetime) -> QuerySet:
    """Accounts that held data of `kinds` at some time up to `until`."""
    users = (
        get_user_model()
        .objects.filter(date_joined__lte=until)
        .exclude(email__endswith="@terhapus.invalid")
    )
    if kinds & {"account", "second_factor", "privacy_request", "audit"}:
        return users
    conditions = Q(pk__in=[])
    if "membership" in kinds or "api_token" in kinds:
        conditions |= Q(memberships__isnull=False)
    if "application" in kinds:
        conditions |= Q(
            pk__in=RegionApplication.objects.filter(created_at__lte=until).values("applicant")
        )
    if "inquiry" in kinds:
        from marketplace.models import Inquiry

        conditions |= Q(pk__in=Inquiry.objects.filter(created_at__lte=until).values("sender"))
    if "saved_search" in kinds:
        conditions |= Q(saved_searches__isnull=False)
    if "mission" in kinds:
        from missions.models import Meeting

        conditions |= Q(pk__in=Meeting.objects.filter(created_at__lte=until).values("requester"))
    if "proposal" in kinds:
        from cooperation.models import Proposal

        conditions |= Q(pk__in=Proposal.objects.filter(created_at__lte=until).values("proposer"))
    if "portal_editing" in kinds:
        from wagtail.models import Revision

        conditions |= Q(pk__in=Revision.objects.values("user"))
    if kinds & {"shared_record_acts", "region_workspace", "platform_work", "listing_contact"}:
        # Members' work: every member (their work is in their regions' records).
        conditions |= Q(memberships__isnull=False)
    return users.filter(conditions).distinct()


def affected(*, kinds: list[str], since: datetime, until: datetime) -> Affected:
    for key in kinds:
        registry.kind(key)  # an unknown kind is an error (KeyError), never a silent nothing
    wanted = set(kinds)
    result = Affected()
    groups: dict[str, set[str]] = defaultdict(set)
    users = list(_accounts(wanted, until).values_list("pk", "email"))
    regions = defaultdict(set)
    for user_id, tenant_name in Membership.objects.filter(
        user_id__in=[pk for pk, _ in users]
    ).values_list("user_id", "tenant__name"):
        regions[user_id].add(tenant_name)
    for pk, email in users:
        for region in regions.get(pk) or {PLATFORM}:
            groups[region].add(email)
    result.by_region = {region: sorted(emails) for region, emails in sorted(groups.items())}
    if "signatory" in wanted:
        from cooperation.models import Party

        result.signatories = sorted(
            set(Party.objects.exclude(signatory_name="").values_list("signatory_name", flat=True))
        )
    return result


def notices(
    *,
    kinds: list[str],
    since: datetime,
    until: datetime,
    what_happened: str,
    measures: str,
    found: Affected,
) -> dict[str, str]:
    """The two drafts, in Indonesian (the language of the notices the law asks for), with the
    facts filled in and [brackets] where the operator must complete them."""
    labels = "\n".join(f"- {registry.kind(k).label}" for k in kinds)
    window = f"{since:%d-%m-%Y %H:%M} s.d. {until:%d-%m-%Y %H:%M} WIB"
    contact = settings.JEJARING_CONTACT_EMAIL
    happened = what_happened or "[uraikan bagaimana data terungkap]"
    done = measures or "[uraikan upaya penanganan dan pemulihan yang sudah dan akan dilakukan]"
    person = f"""Perihal: Pemberitahuan kegagalan pelindungan data pribadi Anda di Jejaring

Yth. Bapak/Ibu,

Sesuai Pasal 46 UU 27/2022 tentang Pelindungan Data Pribadi, kami memberitahukan bahwa data
pribadi Anda di Jejaring terungkap dalam suatu insiden.

1. Data pribadi yang terungkap:
{labels}
2. Kapan: {window}.
3. Bagaimana: {happened}
4. Upaya penanganan dan pemulihan: {done}
5. Yang dapat Anda lakukan: ganti kata sandi Anda, aktifkan atau atur ulang autentikasi dua
   faktor, waspadai e-mail atau telepon yang mengatasnamakan Jejaring atau pemerintah daerah,
   dan minta salinan data Anda atau penghapusannya di halaman Data saya.
6. Kontak: {contact}

Hormat kami,
Pengelola Jejaring
"""
    regions = "\n".join(
        f"- {region}: {len(emails)} orang" for region, emails in found.by_region.items()
    )
    signatories = (
        f"   Penanda tangan perjanjian yang namanya termuat: {len(found.signatories)}."
        if found.signatories
        else ""
    )
    authority = f"""Perihal: Pemberitahuan kegagalan pelindungan data pribadi (Pasal 46 UU 27/2022)

Kepada: Lembaga penyelenggara pelindungan data pribadi

Pengendali data: Pengelola Jejaring (kontak: {contact})

1. Data pribadi yang terungkap:
{labels}
2. Kapan: {window}.
3. Bagaimana: {happened}
4. Subjek data terdampak: {len(found.people)} orang; per daerah:
{regions or "- (tidak ada)"}
{signatories}
5. Upaya penanganan dan pemulihan: {done}
6. Pemberitahuan kepada subjek data: dikirim [tanggal], dalam 3 × 24 jam.
"""
    return {"person": person, "authority": authority}

"""The semester report as a letter an office sends: the letterhead (the region's name and
emblem), the number the office gives it, the place and date, the addressee, and the signatory
(the head of region or the Sekda) with their position and NIP.

`LetterDetails` is what the office enters, a frozen value that can be kept as it was sent (the
report submitted to the province, next); `Letterhead` is what the region is (its name, emblem and
addressee), read when the letter is made. The letter is always in Indonesian: it goes to the
Governor or the Ministry, whatever language the person's interface speaks
(agreements/reports/semester.py renders it under translation.override("id")).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tenants import letterhead
from tenants.models import Region, RegionKind, Tenant

NIP_DIGITS = 18
# The addressees are offices' own names, in Indonesian whatever the interface language:
# a kabupaten or kota reports to its Governor, a province to the Minister of Home Affairs through
# the Directorate General that oversees regional cooperation.
MINISTRY = "Menteri Dalam Negeri c.q. Direktur Jenderal Bina Administrasi Kewilayahan"


class LetterError:
    NIP_LENGTH = "nip_length"
    NIP_INVALID = "nip_invalid"


def clean_nip(value: str) -> str:
    """A civil servant's NIP (Nomor Induk Pegawai): 18 digits, written with or without spaces
    (the usual "19700101 199003 1 001"): the birth date (YYYYMMDD), the month of appointment
    (YYYYMM), 1 or 2, and a sequence number. Empty stays empty (an elected head of region has
    no NIP)."""
    digits = re.sub(r"[\s.]", "", value or "")
    if not digits:
        return ""
    if not (digits.isascii() and digits.isdigit()) or len(digits) != NIP_DIGITS:
        raise ValidationError(
            _("A NIP has 18 digits (spaces allowed); “%(value)s” has %(count)s.")
            % {"value": value.strip(), "count": sum(c.isdigit() for c in digits)},
            code=LetterError.NIP_LENGTH,
        )
    try:
        born = datetime.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
        appointed = datetime.date(int(digits[8:12]), int(digits[12:14]), 1)
    except ValueError:
        born = appointed = None
    if born is None or appointed is None or appointed <= born or digits[14] not in "12":
        raise ValidationError(
            _(
                "This is not a valid NIP: it starts with the date of birth (YYYYMMDD), then "
                "the month of appointment (YYYYMM), then 1 or 2."
            ),
            code=LetterError.NIP_INVALID,
        )
    return digits


def format_nip(digits: str) -> str:
    """As a NIP is printed: 19700101 199003 1 001."""
    if len(digits) != NIP_DIGITS:
        return digits
    return f"{digits[0:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


@dataclass(frozen=True)
class LetterDetails:
    """What the office enters for one letter. Frozen, with a plain-dict form (`as_dict`,
    `from_dict`) so it can be stored exactly as sent."""

    number: str
    place: str
    date: datetime.date
    signatory_name: str
    signatory_position: str
    signatory_nip: str = ""  # 18 digits, or "" for an elected head of region

    @property
    def nip_printed(self) -> str:
        return format_nip(self.signatory_nip)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["date"] = self.date.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> LetterDetails:
        return cls(**{**data, "date": datetime.date.fromisoformat(data["date"])})


@dataclass(frozen=True)
class Letterhead:
    heading: str  # "PEMERINTAH KOTA MALANG"
    addressee: str
    emblem: str | None  # a data: URI (the PDF fetches nothing), or None


def addressee_of(region: Region) -> str:
    if region.kind == RegionKind.PROVINSI:
        return MINISTRY
    province = Region.objects.filter(code=region.code.split(".")[0]).first()
    return f"Gubernur {province.name}" if province else "Gubernur"


def letterhead_of(tenant: Tenant) -> Letterhead:
    """The region's letterhead (call in its schema: the emblem is in its folder)."""
    region = tenant.region
    return Letterhead(
        heading=f"Pemerintah {region.full_name}".upper(),
        addressee=addressee_of(region),
        emblem=letterhead.emblem_data_uri(),
    )

"""Reporting upward in the demo (issue 16), a step of demo.loader after the agreements.

For the last semester that is over, through the real actions (reporting.actions,
reporting.ministry), as the offices would:

1. Kota Malang submits to Provinsi Jawa Timur; the province returns it (an attachment is
   missing) and Kota Malang submits the correction, which the province accepts.
2. Kabupaten Malang and Kota Batu submit on time, Kabupaten Sidoarjo late; all accepted.
3. Kota Surabaya is not on the platform: the province enters its paper report (figures and the
   scanned letter).
4. Kota Singkawang submits to Provinsi Kalimantan Barat, which accepts it.
5. Both provinces compile and submit to the Ministry; East Java's other 33 kabupaten/kota are
   named in its compilation as not included (most are not on the platform).
6. A demo Ministry account (kemendagri@jejaring.test, the demo password and TOTP secret) holds
   the Ministry's role, granted by the demo staff account, and reads the national view at
   /nasional/laporan/.

The signatories' names and NIPs are invented (demo only).

Idempotent: each submission is made only when its region has none for the semester (a
region's correction only when its first one is still the returned one), and the role only when
the account does not hold it.
"""

from __future__ import annotations

import datetime

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from agreements.reports.letter import LetterDetails
from agreements.reports.semester import Semester
from reporting import actions, deadlines
from reporting.ministry import MinistryOfficial, grant_ministry_role
from reporting.models import Level, State, Submission
from tenants.demo import DEMO_ACCOUNTS, DEMO_TOTP_SECRET, demo_pdf, ensure_account
from tenants.models import Membership, Region, Tenant

MINISTRY_EMAIL = "kemendagri@jejaring.test"
MINISTRY_NAME = "Direktorat Kerja Sama Daerah, Ditjen Bina Administrasi Kewilayahan"
MINISTRY_UNIT = "Direktorat Jenderal Bina Administrasi Kewilayahan, Kementerian Dalam Negeri"
RETURN_REASON = (
    "Lampiran daftar PKS belum memuat PKS bidang pariwisata dengan Kota Batu; mohon dilengkapi."
)
CORRECTION_REASON = "Daftar PKS dilengkapi sesuai catatan Biro Pemerintahan Provinsi Jawa Timur."

# (region code, office e-mail, letter number prefix, place, signatory, position, NIP, late)
REGIONS = [
    ("35.73", "admin.malang@jejaring.test", "000.9/412/35.73.112", "Malang",
     "Dr. Ir. Bambang Wicaksono, M.T.", "Sekretaris Daerah", "197109141998031005", False),
    ("35.07", "admin.kabmalang@jejaring.test", "000.9/233/35.07.101", "Kepanjen",
     "Drs. Agus Setiawan, M.Si.", "Sekretaris Daerah", "196810121990031007", False),
    ("35.79", "admin.batu@jejaring.test", "000.9/118/35.79.112", "Batu",
     "Drs. Hendra Kurniawan, M.Si.", "Sekretaris Daerah", "196901101990031010", False),
    ("35.15", "admin.sidoarjo@jejaring.test", "000.9/087/35.15.101", "Sidoarjo",
     "Dr. Retno Wulandari, M.Kes.", "Sekretaris Daerah", "197204101998032007", True),
    ("61.72", "admin.singkawang@jejaring.test", "000.9/064/61.72.112", "Singkawang",
     "Drs. Yohanes Lim, M.Si.", "Sekretaris Daerah", "196903031990031012", False),
]  # fmt: skip
PROVINCES = [
    ("35", "admin.jatim@jejaring.test", "000.9/1204/011.2", "Surabaya",
     "Dr. Suryo Handoko, S.H., M.A.P.", "Sekretaris Daerah Provinsi Jawa Timur",
     "197010091990031004"),
    ("61", "admin.kalbar@jejaring.test", "000.9/455/Pem-B", "Pontianak",
     "Ir. Abdul Rahman, M.T.", "Sekretaris Daerah Provinsi Kalimantan Barat",
     "196908101993031013"),
]  # fmt: skip
PAPER = ("35.78", "Kota Surabaya", "000.9/2233/436.1.2", "Surabaya")


def office(email: str, code: str) -> Membership:
    return Membership.objects.select_related("tenant__region", "user").get(
        user__email=email, tenant__region_id=code
    )


def current(code: str, level: str, semester: Semester) -> Submission | None:
    return (
        Submission.objects.current()
        .of_semester(semester.year, semester.half)
        .filter(region_id=code, level=level)
        .first()
    )


def letter(number: str, place: str, name: str, position: str, nip: str, day: datetime.date):
    return LetterDetails(
        number=f"{number}/{day.year}",
        place=place,
        date=day,
        signatory_name=name,
        signatory_position=position,
        signatory_nip=nip,
    )


def ministry_account(stdout=None) -> User:
    """The demo's Ministry official, with the demo TOTP secret like every demo account that
    must use the second factor."""
    staff = User.objects.get(email=DEMO_ACCOUNTS[0][0])
    user = ensure_account(MINISTRY_EMAIL, MINISTRY_NAME, False)
    if not MinistryOfficial.objects.filter(user=user).exists():
        grant_ministry_role(email=user.email, unit=MINISTRY_UNIT, acting_user=staff)
        if stdout:
            stdout.write(f"Ministry role: {MINISTRY_EMAIL}")
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def load(stdout=None) -> None:
    semester = Semester.last_ended(timezone.localdate())
    due = deadlines.deadline(semester.year, semester.half, Level.REGION)
    on_time, late_day = due - datetime.timedelta(days=5), due + datetime.timedelta(days=4)
    province_day = deadlines.deadline(
        semester.year, semester.half, Level.PROVINCE
    ) - datetime.timedelta(days=3)
    jatim = office("admin.jatim@jejaring.test", "35")
    kalbar = office("admin.kalbar@jejaring.test", "61")
    reviewer = {"35": jatim, "61": kalbar}
    for code, email, number, place, name, position, nip, late in REGIONS:
        if not Tenant.objects.filter(region_id=code).exists():
            continue
        day = late_day if late else on_time
        details = letter(number, place, name, position, nip, day - datetime.timedelta(days=1))
        submission = current(code, Level.REGION, semester)
        if submission is None:
            submission = actions.submit_report(
                membership=office(email, code), semester=semester, letter=details, today=day
            )
            if code == "35.73":
                # Returned: an attachment is missing; then corrected (below).
                submission = actions.return_submission(
                    membership=jatim, submission=submission, reason=RETURN_REASON
                )
        if submission.state == State.RETURNED:
            submission = actions.submit_report(
                membership=office(email, code),
                semester=semester,
                letter=letter(f"{number}.A", place, name, position, nip, day),
                supersedes=submission,
                reason=CORRECTION_REASON,
                today=day + datetime.timedelta(days=2),
            )
        if submission.state == State.SUBMITTED:
            actions.accept_submission(
                membership=reviewer[code.split(".")[0]], submission=submission
            )
    code, name, number, place = PAPER
    region = Region.objects.get(code=code)
    if (
        current(code, Level.REGION, semester) is None
        and not Tenant.objects.filter(region=region).exists()
    ):
        actions.enter_paper_report(
            membership=jatim,
            region=region,
            semester=semester,
            letter=letter(
                number, place, "Dra. Lestari Ningsih, M.M.", "Sekretaris Daerah",
                "197002121990031009", on_time,
            ),
            figures={
                "ksdd_sukarela": {"in_force": 6, "in_process": 2, "ended": 1},
                "ksdpk": {"in_force": 14, "in_process": 3, "ended": 4},
                "sinergi": {"in_force": 2},
            },
            scanned_letter=SimpleUploadedFile(
                "surat-laporan-surabaya.pdf", demo_pdf(), "application/pdf"
            ),
            today=on_time,
        )  # fmt: skip
    for code, email, number, place, name, position, nip in PROVINCES:
        if current(code, Level.PROVINCE, semester) is None:
            actions.compile_province(
                membership=office(email, code),
                semester=semester,
                letter=letter(number, place, name, position, nip, province_day),
                today=province_day,
            )
    ministry_account(stdout)
    if stdout:
        stdout.write(
            f"Reporting: semester {semester.year}/{semester.half} submitted upward; the national "
            f"view at /nasional/laporan/ ({MINISTRY_EMAIL})"
        )

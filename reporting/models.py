"""Reporting upward (issue 16), in the public schema: the semester reports as they were sent.

Interface (for the pages, the API, the commands and the national side, reporting/national*.py)
------------------------------------------------------------------------------------------------
`Submission` is one frozen report, for one region, one level and one semester:

- `region` (tenants.Region, the Kemendagri code) is who reports; `province` is the province
  it belongs to (for a province's own compilation, the province itself). A kabupaten/kota's
  report (level "region") goes to its province; a province's compilation (level "province")
  goes to the Ministry. Regions not on the platform have rows too (`source` "paper", entered by
  their province from the paper letter; `tenant` is then None).
- `year`, `half` (1: January-June, 2: July-December): agreements.reports.semester.Semester.
- `state`: submitted -> returned (by the province, with a reason) or accepted; a correction is
  a NEW row that `supersedes` the old one (whatever its state), which becomes "superseded".
  Exactly one row per (region, level, year, half) is not superseded (`current()`): the
  database's unique constraint `reporting_one_current`.
- The letter: `number`, `letter_place`, `letter_date`, `signatory_name`, `signatory_position`,
  `signatory_nip` (agreements.reports.letter.LetterDetails: `letter()` rebuilds it).
- `submitted_by`, `submitted_at`, `deadline` (the deadline in force when it was submitted) and
  `late` (submitted after it).
- `figures` (JSON; reporting/figures.py builds and adds them; every count an int):
    {"by_kind_status": {kind: {status: n}}   every cooperation.Kind x semester.Status, zeros kept
     "by_kind": {kind: n}, "by_status": {status: n},
     "by_urusan": {code: n}   an agreement with two urusan counts under both (paper: {})
     "total": n,
     and for a province's compilation only:
     "by_region": {code: {"name", "source": "own"|"platform"|"paper", "submission": pk|None,
                          "total", "by_kind_status", "by_urusan"}}   every region included
     "not_included": [{"code", "name", "on_platform", "state": "missing"|"submitted"|"returned"}]}
  A compilation's by_kind_status/by_urusan/total are exactly the sums of its by_region entries
  (reporting/tests/test_compilation.py checks it); the Ministry's national sums add provinces'
  `figures` the same way (figures.add).
- `agreements` (JSON): for a platform report, the rows it covers as the report listed them
  (number, title, kind, kind_code, parties, object, urusan, urusan_codes, term_start,
  term_end, status, status_code, progress); for a compilation, the same rows with "region"
  (the code) added, its own first; [] for a paper entry.
- `includes` (compilation only): the region submissions it adds up; `missing`: the codes of the
  province's kabupaten/kota it names as not included (also in figures["not_included"]).
- The files: `SubmissionFile` rows (kind "xlsx", "pdf", or "scan" for a paper letter) with the
  bytes, their size and SHA-256, in the same table space as the row: a file is stored in the
  same transaction as its submission and can never be missing or half-written. `file(kind)`.

What was submitted never changes: a database trigger (migration 0002) refuses an UPDATE of a
file row, and of any frozen column of a submission (what it says, who sent it, when, its
figures and rows); only its review (state, returned_*, accepted_*) may change. Writes go
through reporting/actions.py only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    REGION = "region", _("Kabupaten/kota to its province")
    PROVINCE = "province", _("Province to the Ministry")


class Source(models.TextChoices):
    PLATFORM = "platform", _("Submitted on the platform")
    PAPER = "paper", _("Entered from a paper report")


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted")
    SUPERSEDED = "superseded", _("Superseded by a correction")


class FileKind(models.TextChoices):
    XLSX = "xlsx", "XLSX"
    PDF = "pdf", "PDF"
    SCAN = "scan", _("Scanned letter")


# The columns a submission keeps as it was sent (the trigger in migration 0002 lists the same).
FROZEN_FIELDS = (
    "region",
    "province",
    "level",
    "year",
    "half",
    "source",
    "number",
    "letter_place",
    "letter_date",
    "signatory_name",
    "signatory_position",
    "signatory_nip",
    "submitted_at",
    "deadline",
    "late",
    "figures",
    "agreements",
    "missing",
    "supersedes",
    "correction_reason",
)


class SubmissionQuerySet(models.QuerySet):
    def current(self):
        """Not superseded: the one row per (region, level, year, half) that counts."""
        return self.exclude(state=State.SUPERSEDED)

    def of_semester(self, year: int, half: int):
        return self.filter(year=year, half=half)


class Submission(models.Model):
    region = models.ForeignKey(
        "tenants.Region",
        on_delete=models.PROTECT,
        related_name="report_submissions",
        verbose_name=_("region"),
    )
    province = models.ForeignKey(
        "tenants.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    # The workspace it came from (None for a paper entry; kept if the region later leaves).
    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(_("semester"))
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.PLATFORM
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.SUBMITTED
    )
    # The letter, as the office entered it.
    number = models.CharField(_("letter number"), max_length=100)
    letter_place = models.CharField(_("place"), max_length=100, blank=True)
    letter_date = models.DateField(_("letter date"))
    signatory_name = models.CharField(_("signatory's name"), max_length=150)
    signatory_position = models.CharField(_("signatory's position"), max_length=200)
    signatory_nip = models.CharField(_("signatory's NIP"), max_length=18, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_by_email = models.EmailField(blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    deadline = models.DateField(_("deadline"))
    late = models.BooleanField(_("late"), default=False)
    figures = models.JSONField(default=dict)
    agreements = models.JSONField(default=list)
    # A correction: the submission it replaces, and why.
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    # The province's review of a kabupaten/kota's report (the Ministry's of a province's).
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("reason for returning it"), blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    # A province's compilation: the region submissions it adds up, the regions it names as
    # not included (codes; their names and why are in figures["not_included"]).
    includes = models.ManyToManyField(
        "self", symmetrical=False, related_name="included_in", blank=True
    )
    missing = models.JSONField(default=list)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-half", "region_id", "-submitted_at"]
        verbose_name = _("report submission")
        verbose_name_plural = _("report submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "level", "year", "half"],
                condition=~Q(state="superseded"),
                name="reporting_one_current",
            ),
            models.CheckConstraint(condition=Q(half__in=[1, 2]), name="reporting_half"),
            models.CheckConstraint(
                condition=Q(level="region") | Q(source="platform"),
                name="reporting_paper_only_for_regions",
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(return_reason=""),
                name="reporting_returned_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(correction_reason=""),
                name="reporting_correction_with_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["province", "level", "year", "half"], name="reporting_province"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.level} {self.year}/{self.half} ({self.state})"

    @property
    def semester(self):
        from agreements.reports.semester import Semester

        return Semester(self.year, self.half)

    def letter(self):
        from agreements.reports.letter import LetterDetails

        return LetterDetails(
            number=self.number,
            place=self.letter_place,
            date=self.letter_date,
            signatory_name=self.signatory_name,
            signatory_position=self.signatory_position,
            signatory_nip=self.signatory_nip,
        )

    def file(self, kind: str) -> SubmissionFile | None:
        return self.files.filter(kind=kind).first()

    @property
    def is_current(self) -> bool:
        return self.state != State.SUPERSEDED

    @property
    def total(self) -> int:
        return int(self.figures.get("total", 0))


class SubmissionFile(models.Model):
    """A frozen file of a submission: the bytes as they were sent, with their fingerprint."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=8, choices=FileKind.choices)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "kind"], name="reporting_file_once")
        ]

    def __str__(self) -> str:
        return self.name


class ReportingDeadline(models.Model):
    """A deadline set for one semester and level, instead of the default
    (settings.JEJARING_REPORT_DEADLINE_DAYS; reporting/deadlines.py)."""

    level = models.CharField(max_length=10, choices=Level.choices)
    year = models.PositiveSmallIntegerField()
    half = models.PositiveSmallIntegerField()
    due_on = models.DateField(_("deadline"))
    note = models.CharField(max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["level", "year", "half"], name="reporting_deadline_once"
            ),
            models.CheckConstraint(condition=Q(half__in=[1, 2]), name="reporting_deadline_half"),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.year}/{self.half}: {self.due_on}"


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Before the deadline")
    OVERDUE = "overdue", _("Overdue")


class ReportReminder(models.Model):
    """One reminder sent to a region's office about one semester report: sent once per event
    (the unique constraint; reporting/reminders.py inserts with ON CONFLICT DO NOTHING)."""

    region = models.ForeignKey("tenants.Region", on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=10, choices=Level.choices)
    year = models.PositiveSmallIntegerField()
    half = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "level", "year", "half", "kind"], name="reporting_remind_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}/{self.half} {self.kind}"


# The Ministry's role (the national side's model, reporting/ministry.py): imported here so that
# Django knows it as one of this app's models (migrations, flush, admin), wherever it is used.
from .ministry import MinistryOfficial  # noqa: E402

__all__ = [
    "FROZEN_FIELDS",
    "FileKind",
    "Level",
    "MinistryOfficial",
    "ReminderKind",
    "ReportReminder",
    "ReportingDeadline",
    "Source",
    "State",
    "Submission",
    "SubmissionFile",
]

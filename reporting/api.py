"""The semester report over the API, on a region's subdomain (/api/v1/semester-reports/, routed
by api/urls_region.py): a token of the region's office submits (or corrects) the region's
semester report through the same action as the report page (reporting.actions.submit_report:
a kabupaten/kota to its province, a province's compilation to the Ministry); any token of the
region's readers lists the region's own submissions.

Plain DRF views: token authentication, the one error shape and the schema class come from
settings.REST_FRAMEWORK (api/), so this module needs nothing from the api package, which sits
above the features (.importlinter). A token works only on its own region's subdomain (404
elsewhere, as the workspace's pages answer someone who is not a member); a role without the
permission gets 403.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from agreements.reports.letter import LetterDetails, clean_nip
from agreements.reports.semester import Semester
from core.spreadsheets import no_control_characters
from tenants.policy import role_allows

from . import actions
from . import figures as figure_sums
from .models import Submission
from .policy import ReportingPerm


def _membership(request, perm: ReportingPerm):
    """The token's membership, when it is of this region (404 otherwise) and its role has
    `perm` (403 otherwise)."""
    if request.auth is None:
        raise exceptions.NotAuthenticated(
            _("This call needs a token: `Authorization: Bearer <token>`.")
        )
    membership = request.auth.membership
    if membership.tenant_id != request.tenant.pk:
        raise exceptions.NotFound(_("Not found."))
    if not role_allows(membership.role, perm):
        raise exceptions.PermissionDenied(_("Your role does not allow this."))
    return membership


class SemesterReportWriteSerializer(serializers.Serializer):
    """Only shape and types (and no control characters, which the frozen XLSX cannot hold):
    every rule (the semester is over, one current report, a correction's reason, who may
    submit) is the action's."""

    year = serializers.IntegerField(min_value=1945, max_value=2100)
    half = serializers.ChoiceField(
        choices=[1, 2], help_text=gettext_lazy("1: January-June, 2: July-December.")
    )
    number = serializers.CharField(
        max_length=100,
        help_text=gettext_lazy("The letter's number."),
        validators=[no_control_characters],
    )
    place = serializers.CharField(max_length=100, validators=[no_control_characters])
    date = serializers.DateField(help_text=gettext_lazy("The letter's date."))
    signatory_name = serializers.CharField(max_length=150, validators=[no_control_characters])
    signatory_position = serializers.CharField(max_length=200, validators=[no_control_characters])
    signatory_nip = serializers.CharField(
        max_length=30,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("18 digits; empty for an elected head of region."),
    )
    supersedes = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,  # a submission's key is a bigint: nothing larger reaches the query
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy(
            "To correct the current submission: its id (and say why in `reason`)."
        ),
    )
    reason = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        validators=[no_control_characters],
    )

    def validate_signatory_nip(self, value: str) -> str:
        return clean_nip(value)


class SubmissionFileSerializer(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class SemesterReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    region = serializers.CharField(source="region_id")
    level = serializers.CharField()
    year = serializers.IntegerField()
    half = serializers.IntegerField()
    source = serializers.CharField()
    state = serializers.CharField()
    number = serializers.CharField()
    letter_date = serializers.DateField()
    submitted_at = serializers.DateTimeField()
    deadline = serializers.DateField()
    late = serializers.BooleanField()
    supersedes = serializers.IntegerField(source="supersedes_id", allow_null=True)
    return_reason = serializers.CharField()
    total = serializers.IntegerField()
    figures = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    def get_figures(self, submission) -> dict:
        return figure_sums.core(submission.figures)

    def get_files(self, submission) -> list[dict]:
        return SubmissionFileSerializer(
            submission.files.only("kind", "name", "size", "sha256").order_by("kind"), many=True
        ).data

    class Meta:
        ref_name = "SemesterReport"


class SemesterReports(APIView):
    token_required = True  # the schema says so (api.schema.AutoSchema)

    @extend_schema(
        tags=["reporting"],
        summary="The region's semester reports submitted upward, newest first",
        description=(
            "For the region's readers of its reports (the office, the TKKSD): every submission "
            "of this region, corrections and returned ones included, with its state."
        ),
        responses=SemesterReportSerializer(many=True),
    )
    def get(self, request):
        membership = _membership(request, ReportingPerm.VIEW_SUBMISSIONS)
        submissions = (
            Submission.objects.filter(region_id=membership.tenant.region_id)
            .defer("agreements")
            .order_by("-year", "-half", "-submitted_at")
        )
        return Response(SemesterReportSerializer(submissions, many=True).data)

    @extend_schema(
        tags=["reporting"],
        summary="Submit the region's semester report upward",
        description=(
            "The same action as the report page: the region's office freezes the semester "
            "report as it stands (XLSX, PDF letter, SHA-256, figures) and submits it, a "
            "kabupaten/kota to its province, a province its compilation to the Ministry. "
            "A correction names the current submission in `supersedes`, with the `reason`."
        ),
        request=SemesterReportWriteSerializer,
        responses={201: SemesterReportSerializer},
    )
    def post(self, request):
        membership = _membership(request, ReportingPerm.SUBMIT_REPORTS)
        serializer = SemesterReportWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            semester = Semester(data["year"], int(data["half"]))
        except ValueError:  # pragma: no cover - the serializer bounds both
            raise exceptions.ValidationError({"year": [_("No such semester.")]}) from None
        supersedes = None
        if data["supersedes"] is not None:
            supersedes = Submission.objects.filter(
                pk=data["supersedes"], region_id=membership.tenant.region_id
            ).first()
            if supersedes is None:
                raise exceptions.NotFound(_("This region has no such submission."))
        submission = actions.submit_report(
            membership=membership,
            semester=semester,
            letter=LetterDetails(
                number=data["number"],
                place=data["place"],
                date=data["date"],
                signatory_name=data["signatory_name"],
                signatory_position=data["signatory_position"],
                signatory_nip=data["signatory_nip"],
            ),
            supersedes=supersedes,
            reason=data["reason"],
        )
        return Response(SemesterReportSerializer(submission).data, status=status.HTTP_201_CREATED)

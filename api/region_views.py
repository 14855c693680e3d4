"""The API on a region's subdomain (/api/v1/ at <slug>.<base domain>): what lives in the
region's own schema. A token works here only on its own region's subdomain: for any other
region the answer is 404, as the workspace's pages answer someone who is not a member."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from agreements.models import MonitoringReport
from agreements.monitoring import actions as monitoring
from agreements.monitoring.periods import Period
from agreements.policy import can_work_on_agreement
from agreements.register.access import get_agreement_for
from cooperation.policy import AgreementPerm
from tenants.policy import Perm, role_allows

from . import serializers as s
from .views import TokenView, token_membership


def region_membership(request, perm: Perm):
    """The token's membership, when it is of this region (404 otherwise) and its role has
    `perm` (403 otherwise): the same answers as tenants.decorators.workspace_view."""
    membership = token_membership(request)
    if membership.tenant_id != request.tenant.pk:
        raise exceptions.NotFound(_("Not found."))
    if not role_allows(membership.role, perm):
        raise exceptions.PermissionDenied(_("Your role does not allow this."))
    return membership


class MonitoringReports(TokenView):
    @extend_schema(
        tags=["monitoring"],
        summary="An agreement's monitoring reports (monev), oldest period first",
        description=(
            "For who reads the region's internal chain (the office, the TKKSD, OPD staff), as "
            "on the agreement's page."
        ),
        responses=s.MonitoringReportSerializer(many=True),
    )
    def get(self, request, pk: int):
        membership = region_membership(request, AgreementPerm.VIEW_AGREEMENT_INTERNALS)
        agreement = get_agreement_for(membership, pk)
        reports = MonitoringReport.objects.filter(agreement=agreement).order_by(
            "year", "semester", "id"
        )
        return Response(s.MonitoringReportSerializer(reports, many=True).data)

    @extend_schema(
        tags=["monitoring"],
        summary="File a monitoring report (monev) on an agreement",
        description=(
            "The same action as the workspace's form: the cooperation office for every "
            "agreement, OPD staff for the agreements their OPD is responsible for; one report "
            "per agreement and semester, while it is carried out."
        ),
        request=s.MonitoringReportWriteSerializer,
        responses={201: s.MonitoringReportSerializer},
    )
    def post(self, request, pk: int):
        membership = region_membership(request, AgreementPerm.MONITOR_AGREEMENTS)
        agreement = get_agreement_for(membership, pk)
        if not can_work_on_agreement(membership, agreement.responsible_opd):
            raise exceptions.PermissionDenied(
                _(
                    "Only the cooperation office and the responsible OPD keep this agreement's "
                    "monitoring reports."
                )
            )
        serializer = s.MonitoringReportWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = monitoring.file_monitoring_report(
            membership=membership,
            agreement=agreement,
            period=Period.parse(data["period"]),
            progress=data["progress"],
            problems=data["problems"],
            recommendation=data["recommendation"],
        )
        return Response(s.MonitoringReportSerializer(report).data, status=status.HTTP_201_CREATED)

"""API for agencies' systems: send a notifications file, then read its row report."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import access
from cases.notifications import selectors, services
from cases.notifications.models import NotificationImport, NotificationKind
from cases.web.forms import api_service_errors
from cases.web.guards import DoesCasework

REPORT_ROWS = 1000


class SendsNotifications(permissions.BasePermission):
    message = "Only safeguarding leads and agencies' systems send notifications."

    def has_permission(self, request: Request, view: object) -> bool:
        return services.may_send_notifications(access.acting_user(request))


class NotificationImportInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NotificationKind.choices)
    file = serializers.FileField(help_text="CSV or XLSX in the kind's column layout")
    dry_run = serializers.BooleanField(required=False, default=False)
    submission_key = serializers.CharField(
        max_length=64, help_text="A new random key per file; a retry with it creates nothing"
    )


class RowReportSerializer(serializers.Serializer):
    row = serializers.IntegerField(source="row_number")
    status = serializers.CharField()
    errors = serializers.ListField(  # type: ignore[assignment]
        child=serializers.DictField(child=serializers.CharField())
    )
    candidates = serializers.SerializerMethodField()

    def get_candidates(self, row: Any) -> int:
        return len(row.candidates)


class NotificationImportOutputSerializer(serializers.ModelSerializer):
    rows = serializers.SerializerMethodField()

    class Meta:
        model = NotificationImport
        fields = [
            "id",
            "kind",
            "file_name",
            "dry_run",
            "status",
            "progress",
            "error",
            "total_rows",
            "counts",
            "created_at",
            "finished_at",
            "rows",
        ]

    @extend_schema_field(RowReportSerializer(many=True))
    def get_rows(self, notification_import: NotificationImport) -> Any:
        """Rows not imported straight away (the first 1,000): errors, repeats, the queue."""
        rows = notification_import.rows.exclude(status__in=["created", "would_create"])
        return RowReportSerializer(rows.order_by("row_number")[:REPORT_ROWS], many=True).data


class NotificationImportCreateApi(APIView):
    """Send a file (multipart). 202: saved and queued; poll its address for the report."""

    permission_classes = [permissions.IsAuthenticated, DoesCasework, SendsNotifications]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": NotificationImportInputSerializer},
        responses={
            202: NotificationImportOutputSerializer,
            200: OpenApiResponse(NotificationImportOutputSerializer, "A retry: the same import"),
        },
    )
    def post(self, request: Request) -> Response:
        parsed = NotificationImportInputSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        data = parsed.validated_data
        try:
            notification_import, created = services.notification_import_create(
                sender=access.acting_user(request),
                kind=data["kind"],
                file_name=data["file"].name,
                content=data["file"].read(),
                dry_run=data["dry_run"],
                submission_key=data["submission_key"],
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(api_service_errors(error)) from None
        return Response(
            NotificationImportOutputSerializer(notification_import).data,
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
        )


class NotificationImportApi(APIView):
    permission_classes = [permissions.IsAuthenticated, DoesCasework, SendsNotifications]

    @extend_schema(responses=NotificationImportOutputSerializer)
    def get(self, request: Request, import_id: int) -> Response:
        notification_import = get_object_or_404(
            selectors.imports_visible_to(user=access.acting_user(request)), pk=import_id
        )
        return Response(NotificationImportOutputSerializer(notification_import).data)

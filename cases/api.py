"""DRF endpoints: thin layers over the same access policy and selectors as the pages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import access
from .models import Child


class DoesCasework(permissions.BasePermission):
    message = "Only practitioners, safeguarding leads and social-care managers see children."

    def has_permission(self, request: Request, view: object) -> bool:
        return request.user.is_authenticated and access.does_casework(access.acting_user(request))


class ChildOutputSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Child
        fields = [
            "id",
            "full_name",
            "first_name",
            "last_name",
            "date_of_birth",
            "is_unborn",
            "expected_date_of_delivery",
            "sex",
            "nhs_number",
            "upn",
            "family",
        ]


class ChildListApi(ListAPIView):
    """Children the signed-in practitioner's agency may see."""

    permission_classes = [permissions.IsAuthenticated, DoesCasework]
    serializer_class = ChildOutputSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Child.objects.none()
        return access.children_visible_to(user=access.acting_user(self.request)).order_by(
            "last_name", "pk"
        )


class ChildDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, DoesCasework]

    @extend_schema(responses=ChildOutputSerializer)
    def get(self, request: Request, child_id: int) -> Response:
        child = access.child_for_reading(
            user=access.acting_user(request),
            child_id=child_id,
            view_name="api_child_detail",
            request_id=request._request.request_id,  # type: ignore[attr-defined]
        )
        return Response(ChildOutputSerializer(child).data)

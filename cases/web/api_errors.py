"""API answers for domain refusals that are not field errors (409, 429)."""

from __future__ import annotations

from rest_framework import status
from rest_framework.exceptions import APIException

from cases.services import SUBMISSION_KEY_REUSED


class SubmissionKeyConflict(APIException):
    """A submission key already used for another record or by another caller."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = {"submission_key": [SUBMISSION_KEY_REUSED]}
    default_code = "submission_key_reused"

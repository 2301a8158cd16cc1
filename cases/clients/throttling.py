"""Each machine client's own request rate (NT_CLIENT_RATE_PER_MINUTE, or the client's)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.cache import caches
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class MachineClientRateThrottle(SimpleRateThrottle):
    """Counts a machine client's requests in Redis; people signed in are not throttled here.

    If Redis does not answer within its short timeout the request goes through (and the
    failure is logged): a throttle must not take the API down with it.
    """

    scope = "machine_client"

    def __init__(self) -> None:  # the rate is per client, so it is parsed per request
        self.cache = caches["throttle"]

    def allow_request(self, request: Request, view: Any) -> bool:
        client = getattr(request._request, "machine_client", None)
        if client is None:
            return True
        self.rate = f"{client.rate_per_minute or settings.CLIENT_RATE_PER_MINUTE}/min"
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            return super().allow_request(request, view)
        except Exception:
            logger.warning("client throttle unavailable; request allowed")
            return True

    def get_cache_key(self, request: Request, view: Any) -> str:
        client = request._request.machine_client  # type: ignore[attr-defined]
        return self.cache_format % {"scope": self.scope, "ident": client.pk}

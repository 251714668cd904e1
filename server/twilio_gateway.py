"""Twilio settings and the outgoing-text gateway the SMS worker uses (real twilio library)."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from safety.handoff_store import RefusedForGood

# Twilio dates have one-second steps and its clock is not ours: look a little further back.
CLOCK_SKEW_S = 300
RECENT_MESSAGES = 50

# The twilio library logs query strings (which would hold phone numbers) at INFO.
logging.getLogger("twilio").setLevel(logging.WARNING)


@dataclass(frozen=True)
class TwilioSettings:
    account_sid: str | None
    auth_token: str | None
    from_number: str | None
    # Where the REST API is; only set to reach a Twilio-compatible endpoint (tests run one).
    api_base: str | None
    # The public base URL Twilio calls (behind a proxy request.url is not what Twilio signed).
    public_url: str | None
    timeout_s: float  # how long one call to Twilio may take

    @property
    def can_receive(self) -> bool:
        return bool(self.auth_token)

    @property
    def can_send(self) -> bool:
        return bool(self.account_sid and self.auth_token and self.from_number)


def twilio_settings(env: Mapping[str, str] = os.environ) -> TwilioSettings:
    return TwilioSettings(
        account_sid=env.get("OFD_TWILIO_ACCOUNT_SID") or None,
        auth_token=env.get("OFD_TWILIO_AUTH_TOKEN") or None,
        from_number=env.get("OFD_TWILIO_FROM") or None,
        api_base=env.get("OFD_TWILIO_API_BASE") or None,
        public_url=env.get("OFD_PUBLIC_URL") or None,
        timeout_s=float(env.get("OFD_TWILIO_TIMEOUT_S", "30")),
    )


class _ApiBaseHttpClient(TwilioHttpClient):
    """Sends the library's requests to another base URL, keeping path and query."""

    def __init__(self, api_base: str, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.api_base = urlsplit(api_base)

    def request(self, method: str, url: str, *args: object, **kwargs: object):
        parts = urlsplit(url)
        url = urlunsplit((self.api_base.scheme, self.api_base.netloc, *parts[2:]))
        return super().request(method, url, *args, **kwargs)


def twilio_client(settings: TwilioSettings) -> Client:
    if settings.api_base:
        http = _ApiBaseHttpClient(settings.api_base, timeout=settings.timeout_s)
    else:
        http = TwilioHttpClient(timeout=settings.timeout_s)
    return Client(settings.account_sid, settings.auth_token, http_client=http)


class TwilioGateway:
    """:class:`safety.handoff_store.Gateway` over Twilio's Messages API."""

    def __init__(self, settings: TwilioSettings) -> None:
        self.client = twilio_client(settings)
        self.from_number = settings.from_number

    def send(self, to: str, body: str) -> None:
        try:
            self.client.messages.create(to=to, from_=self.from_number, body=body)
        except TwilioRestException as error:
            # 400: Twilio will never take this text (bad or opted-out number, ...);
            # anything else may have been a passing fault.
            if error.status == 400:
                raise RefusedForGood(f"Twilio error {error.code}") from None
            raise

    def already_has(self, to: str, body: str, since: float) -> bool:
        recent = self.client.messages.list(to=to, from_=self.from_number, limit=RECENT_MESSAGES)
        return any(
            m.body == body and m.date_created.timestamp() >= since - CLOCK_SKEW_S for m in recent
        )

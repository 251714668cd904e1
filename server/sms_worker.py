"""The SMS worker: sends each text-me-later message at its time, exactly once.

Run by the launcher as its own process (``python -m server.sms_worker``). Every few seconds it
runs one pass of :func:`safety.handoff_store.run_once`. It logs counts only: never a number,
never the words of a text.

Each pass also deletes referrals past their retention and advisor sessions that have ended
(:meth:`bot.referrals.store.ReferralStore.purge`): this process always runs beside the web
server, so nothing is kept longer than the retention period plus a few seconds.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time

from bot.referrals.accounts import AccountStore, idle_timeout_s
from bot.referrals.store import ReferralStore
from bot.settings import load_settings
from safety.handoff_store import HandoffStore, run_once
from server import keys
from server.twilio_gateway import TwilioGateway, twilio_settings

log = logging.getLogger("ofd.sms_worker")

POLL_S = float(os.environ.get("OFD_HANDOFF_POLL_S", "5"))
# Longer than a Twilio call can take, so a claim only runs out once its call is over.
LEASE_S = float(os.environ.get("OFD_HANDOFF_LEASE_S", "120"))

_stopping = threading.Event()


def _stop(signum: int, frame: object) -> None:
    _stopping.set()


class _CannotSend:
    """Stands in for Twilio when it is not configured: nothing is sent, due texts wait and
    expire once their safe time has passed."""

    def send(self, to: str, body: str) -> None:
        raise ConnectionError("Twilio is not configured")

    def already_has(self, to: str, body: str, since: float) -> bool:
        raise ConnectionError("Twilio is not configured")


def purge_referrals(referrals: ReferralStore, accounts: AccountStore, now: float) -> None:
    """Delete what is past its time in the referrals database; never stops the worker."""
    try:
        purged = referrals.purge(now)
        accounts.end_idle_sessions(idle_timeout_s(), now)
    except Exception as error:  # a locked database: try again next pass
        log.warning("Referral purge failed: %s", type(error).__name__)
        return
    if purged:
        log.info("Referrals: %d deleted after the retention period", purged)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = load_settings()
    store = HandoffStore(
        settings.instance_dir / "handoff.sqlite", keys.fernet(settings.instance_dir)
    )
    referrals = ReferralStore(
        settings.referrals_db, keys.fernet(settings.instance_dir), settings.referral_retention_days
    )
    accounts = AccountStore(settings.referrals_db)
    twilio = twilio_settings()
    if twilio.timeout_s >= LEASE_S:
        raise SystemExit("OFD_HANDOFF_LEASE_S must be longer than OFD_TWILIO_TIMEOUT_S")
    gateway = TwilioGateway(twilio) if twilio.can_send else _CannotSend()
    if not twilio.can_send:
        log.warning("Twilio is not configured: no texts will be sent")
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    log.info("SMS worker started")
    while not _stopping.is_set():
        purge_referrals(referrals, accounts, time.time())
        try:
            report = run_once(store, gateway, time.time(), LEASE_S)
        except Exception as error:  # a locked or unreadable database: try again next pass
            log.warning("SMS worker pass failed: %s", type(error).__name__)
            _stopping.wait(POLL_S)
            continue
        if report.sent or report.reconciled or report.failed or report.expired:
            log.info(
                "Texts: %d sent, %d found already sent, %d refused, %d expired",
                report.sent, report.reconciled, report.failed, report.expired,
            )  # fmt: skip
        if report.left_taken:
            log.warning("Texts: %d waiting to be checked with Twilio again", report.left_taken)
        _stopping.wait(POLL_S)
    log.info("SMS worker stopped")


if __name__ == "__main__":
    main()

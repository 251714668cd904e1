"""Professionals refer a client to the One Front Door team: the form on /professionals/refer,
its checks, and the referral in the same encrypted queue."""

from __future__ import annotations

import pytest

from bot.referrals.professional import ReferralFormErrors, professional_referral
from bot.referrals.record import CALL, PROFESSIONAL, THEY_CALL
from tests.test_callback_web import referrals, stored_files

FORM = {
    "need": ["safe_accommodation", "legal"],
    "district": "Watford",
    "audience": ["woman", "children_in_household"],
    "language": "pl",
    "dash": "15",
    "judgement": "yes",
    "escalation": "",
    "repeat": "no",
    "indicator": ["weapon"],
    "method": "call",
    "number": "07700 900123",
    "times": ["afternoon"],
    "voicemail": "no",
    "safe_word": "Ann",
    "consent": "yes",
    "referrer_name": "Jo Worker",
    "referrer_organisation": "Watford Children's Services",
    "referrer_role": "Social worker",
    "referrer_contact": "jo.worker@example.org",
}


def test_the_referral_from_a_complete_form():
    made = professional_referral(FORM).referral
    assert made.source == PROFESSIONAL and made.risk_tier == "high"
    assert made.needs == ("safe_accommodation", "legal") and made.district == "Watford"
    assert made.indicators == ("weapon",) and made.language == "pl"
    assert made.contact.method == CALL and made.contact.number == "+447700900123"
    assert made.referrer.name == "Jo Worker" and made.referrer.client_consent
    assert made.consent_to_share
    assert "Dash checklist: 15 yes answers" in made.summary
    assert "MARAC criteria met: visible high risk (Dash 14 or more), professional judgement" in (
        made.summary
    )


@pytest.mark.parametrize(
    "dash, judgement, tier",
    [("3", "", "standard"), ("11", "no", "medium"), ("", "yes", "high"), ("", "", None)],
)
def test_the_tier_follows_the_professional_rules(dash, judgement, tier):
    form = {**FORM, "dash": dash, "judgement": judgement, "indicator": [], "repeat": ""}
    assert professional_referral(form).referral.risk_tier == tier


def test_indicators_can_only_raise_the_tier():
    form = {**FORM, "dash": "3", "judgement": "no", "indicator": ["strangulation"]}
    assert professional_referral(form).referral.risk_tier == "high"


def test_every_problem_is_listed_at_once():
    bad = {**FORM, "dash": "99", "judgement": "maybe", "consent": "", "referrer_name": "",
           "referrer_contact": "not a contact", "method": "text", "number": "020 7946 0123",
           "language": "xx", "referrer_role": "r" * 101}  # fmt: skip
    with pytest.raises(ReferralFormErrors) as error:
        professional_referral(bad)
    text = " ".join(error.value.messages)
    for says in ("Dash count", "Choose from the options", "My client agrees", "Enter your name",
                 "UK phone number or an email", "UK mobile", "client's language",
                 "100 characters or fewer"):  # fmt: skip
        assert says in text


def test_the_client_may_call_instead():
    form = {**FORM, "method": "they_call", "number": ""}
    contact = professional_referral(form).referral.contact
    assert contact.method == THEY_CALL and contact.number is None


def test_a_number_is_needed_to_call_the_client():
    with pytest.raises(ReferralFormErrors) as error:
        professional_referral({**FORM, "number": ""})
    assert "My client will call you" in error.value.messages[0]


def test_the_form_lands_in_the_queue_encrypted(app, client):
    page = client.get("/professionals/refer").get_data(as_text=True)
    assert "My client agrees to this referral and to us sharing these details" in page
    assert "Safe accommodation and refuge" in page  # needs by their display names
    assert "/professionals/refer" in client.get("/professionals").get_data(as_text=True)
    response = client.post("/professionals/refer", data=FORM)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "reference 1" in text and "What happens next" in text
    [referral] = referrals(app)
    assert referral.source == PROFESSIONAL and referral.referrer.organisation.startswith("Watford")
    raw = stored_files(app)
    assert b"7700900123" not in raw and b"Jo Worker" not in raw and b"example.org" not in raw


def test_errors_keep_everything_typed(app, client):
    response = client.post("/professionals/refer", data={**FORM, "consent": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "we can only take a referral with their consent" in page
    assert 'value="Jo Worker"' in page and 'value="07700 900123"' in page
    assert 'value="legal" checked' in page and 'value="weapon" checked' in page
    assert 'value="Watford" selected' in page and 'value="15"' in page
    assert referrals(app) == []


def test_another_site_cannot_post_a_referral(app, client):
    response = client.post(
        "/professionals/refer", data=FORM, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert response.status_code == 403 and referrals(app) == []

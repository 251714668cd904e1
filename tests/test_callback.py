"""The callback request's logic without Rasa or Flask: facts, summary, safe-contact answers,
the referral, the confirmation, the encrypted drafts and the SMS steps."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from bot.contact import FrontDoor
from bot.i18n import translate
from bot.referrals import sms_steps
from bot.referrals.callback import (
    CONSENT_NEEDED,
    NUMBER_NEEDED,
    CallbackRefused,
    build_referral,
    check_request,
    clean_safe_word,
    confirmation,
)
from bot.referrals.drafts import DRAFT_KEPT_S, CallbackDrafts
from bot.referrals.facts import CallbackFacts, facts_from_payload, facts_from_slots, should_offer
from bot.referrals.record import CALL, SMS_CHAT, TEXT, THEY_CALL, WEB_CHAT
from bot.referrals.summary import compose_summary, summary_lines
from safety import sms

DOOR = FrontDoor("the Hertfordshire Domestic Abuse Helpline", "08 088 088 088", hours=("Mon-Fri",))
FACTS = CallbackFacts(
    needs=("safe_accommodation", "children"),
    risk_tier="high",
    indicators=("strangulation", "stalking"),
    district="Stevenage",
    audience=("woman", "children_in_household"),
    user_role="survivor",
    language="pl",
)


def polish(text: str) -> str:
    return translate(text, "pl")


# --- Facts -----------------------------------------------------------------------------------


def test_facts_keep_only_the_triage_vocabulary():
    facts = facts_from_payload(
        {
            "needs": ["housing", "my husband Dave", "housing"],
            "risk_tier": "very high",
            "indicators": ["weapon", "<script>"],
            "district": "12 Acacia Avenue",
            "audience": ["woman", "Dave"],
            "user_role": "admin",
            "language": "klingon",
            "words": "everything I said",
        }
    )
    assert facts == CallbackFacts(needs=("housing",), indicators=("weapon",), audience=("woman",))
    assert facts_from_payload("not a mapping") == CallbackFacts()


def test_facts_from_slots_count_safety_answers_given_so_far():
    slots = {
        "need_types": ["financial"],
        "risk_tier": None,
        "high_risk_indicators": ["separation"],
        "risk_strangulation": "yes",
        "risk_threats": "skip",
        "district": "Watford",
        "user_role": "survivor",
        "language": "ro",
    }
    facts = facts_from_slots(slots)
    assert facts.indicators == ("strangulation", "separation")
    assert facts.risk_tier == "high"  # strangulation is severe, even before assessment ran
    assert facts.district == "Watford" and facts.language == "ro"
    assert facts_from_slots({"risk_tier": "medium"}).risk_tier == "medium"  # never lowered


@pytest.mark.parametrize(
    "role, tier, needs, offered",
    [("survivor", "high", [], True), ("friend", "high", [], True),
     (None, None, ["immediate_danger"], True), ("survivor", "medium", ["housing"], False),
     ("professional", "high", [], False), ("behaviour_change", "high", [], False)],
)  # fmt: skip
def test_the_offer_is_made_at_high_risk_or_in_danger(role, tier, needs, offered):
    assert should_offer(role, tier, needs) is offered


# --- Summary ---------------------------------------------------------------------------------


def test_the_summary_is_composed_from_facts_in_english_for_the_advisor():
    assert summary_lines(FACTS) == [
        "Who: Someone affected by abuse",
        "Help with: Safe accommodation and refuge; Children and young people",
        "Safety worries mentioned: choking or strangling; "
        "being followed, watched or contacted again and again",
        "Area: Stevenage",
        "Details: Woman; Has children at home",
        "Language: Polski",
    ]


def test_the_summary_never_shows_a_tier():
    text = compose_summary(FACTS).lower() + compose_summary(FACTS, polish).lower()
    assert "high" not in text and "risk" not in text


def test_the_person_reads_the_summary_in_their_language():
    in_polish = compose_summary(FACTS, polish)
    assert in_polish != compose_summary(FACTS)
    assert "Stevenage" in in_polish and "Help with" not in in_polish


def test_a_summary_without_facts_says_so():
    nothing = "Nothing from the chat apart from the contact details."
    assert compose_summary(CallbackFacts()) == nothing


# --- Safe contact ----------------------------------------------------------------------------


def test_a_call_request_with_every_answer():
    request = check_request("call", "020 7946 0123", ["evening", "morning"], "no", " Sam ")
    assert request.number == "+442079460123" and request.times == ("morning", "evening")
    contact = request.safe_contact()
    assert contact.method == CALL and contact.voicemail_ok is False and contact.safe_word == "Sam"
    assert contact.times == "Morning (9am to 12 noon), Evening (5pm to 8pm)"


def test_every_answer_can_be_skipped():
    request = check_request(None, "07700 900123", None, None, "")
    assert (request.method, request.times, request.voicemail_ok, request.safe_word) == (
        None, (), None, None,
    )  # fmt: skip
    every_time = ["morning", "afternoon", "evening"]
    assert check_request("call", "07700900123", every_time, "", "").times == ()


def test_without_a_number_the_person_calls_us_and_nothing_about_them_is_kept():
    request = check_request("they_call", "07700 900123", ["morning"], "yes", "Sam")
    assert request.safe_contact().method == THEY_CALL
    assert request.number is None and request.safe_word is None and request.times == ()
    assert request.safe_contact().times is None  # nobody calls them: no time applies
    assert check_request(None, "", [], None, "").method == THEY_CALL


@pytest.mark.parametrize(
    "method, number, says",
    [("call", "", NUMBER_NEEDED), ("text", "01707 123456", "UK mobile"),
     ("call", "0800 123 4567", "UK phone number"), ("call", "12345", "UK phone number")],
)  # fmt: skip
def test_numbers_are_checked(method, number, says):
    with pytest.raises(CallbackRefused) as error:
        check_request(method, number, [], None, "")
    assert says in error.value.explain()


@pytest.mark.parametrize("method, times, voicemail", [("fax", [], None), ("call", ["night"], None),
                                                      ("call", [], "maybe")])  # fmt: skip
def test_choices_outside_the_form_are_refused(method, times, voicemail):
    with pytest.raises(CallbackRefused):
        check_request(method, "07700900123", times, voicemail, "")


@pytest.mark.parametrize("word", ["Sam", "Auntie Jo", "O'Neil", "Zoë", "ماں", "বন্ধু"])
def test_safe_words_in_any_alphabet(word):
    assert clean_safe_word(word) == word


@pytest.mark.parametrize("word", ["07700900123", "a" * 31, "<b>", "call me on 0770"])
def test_safe_words_are_bounded_letters(word):
    with pytest.raises(CallbackRefused):
        clean_safe_word(word)


@pytest.mark.parametrize(
    "raw, number",
    [("07700 900123", "+447700900123"), ("+44 20 7946 0123", "+442079460123"),
     ("(01707) 123456", "+441707123456"), ("0300 123 4567", "+443001234567")],
)  # fmt: skip
def test_uk_numbers_for_a_call(raw, number):
    assert sms.uk_phone_e164(raw) == number


@pytest.mark.parametrize(
    "raw", ["0800 123 4567", "0909 123 4567", "07012 345678", "+1 202 555 0100"]
)
def test_numbers_nobody_can_safely_be_called_on(raw):
    with pytest.raises(sms.InvalidNumber):
        sms.uk_phone_e164(raw)


# --- Referral and confirmation ---------------------------------------------------------------


def test_the_referral_holds_facts_contact_and_the_english_summary():
    request = check_request("text", "07700 900123", ["afternoon"], "yes", "")
    referral = build_referral(FACTS, request, WEB_CHAT, True, "the helpline")
    assert referral.source == WEB_CHAT and referral.consent_to_share
    assert referral.risk_tier == "high" and referral.indicators == FACTS.indicators
    assert referral.needs == FACTS.needs and referral.language == "pl"
    assert referral.summary == compose_summary(FACTS)  # English, whatever the chat language
    assert referral.contact.method == TEXT and referral.contact.voicemail_ok is None


def test_nothing_is_made_without_consent_and_the_number_to_call_is_given():
    request = check_request("call", "07700 900123", [], None, "")
    with pytest.raises(CallbackRefused) as error:
        build_referral(FACTS, request, WEB_CHAT, False, "the helpline on 0808")
    assert error.value.message_id == CONSENT_NEEDED
    assert "the helpline on 0808" in error.value.explain()


def test_the_confirmation_says_what_happens_and_when():
    request = check_request("call", "07700 900123", ["morning"], "no", "Sam")
    text = confirmation(request, DOOR)
    assert "will call you on the number ending 123" in text
    assert "in the morning (9am to 12 noon)" in text
    assert "won't leave a voicemail" in text and '"Sam"' in text
    assert "call 999" in text and "7700" not in text


def test_the_confirmation_for_a_text_or_any_way():
    text = confirmation(check_request("text", "07700 900456", ["morning", "evening"], "", ""), DOOR)
    assert "will text you on the number ending 456" in text and "voicemail" not in text
    assert "in the morning (9am to 12 noon) or in the evening (5pm to 8pm)" in text
    text = confirmation(check_request("", "07700 900789", [], "yes", ""), DOOR)
    assert "get in touch on the number ending 789, as soon as they can" in text
    assert "may leave a voicemail" in text


def test_the_confirmation_when_the_person_will_call_gives_the_number_and_hours():
    text = confirmation(check_request("they_call", "", [], None, ""), DOOR)
    assert "Nobody will contact you" in text and "08 088 088 088" in text
    assert "Open: Mon-Fri" in text
    no_hours = FrontDoor("the One Front Door", "01234 567890")
    assert "Open:" not in confirmation(check_request("they_call", "", [], None, ""), no_hours)


def test_the_confirmation_is_in_the_persons_language():
    request = check_request("call", "07700 900123", ["morning"], "no", "Sam")
    in_polish = confirmation(request, DOOR, polish)
    assert in_polish != confirmation(request, DOOR) and "123" in in_polish and "Sam" in in_polish


# --- Drafts ----------------------------------------------------------------------------------


def test_drafts_are_encrypted_and_expire(tmp_path):
    drafts = CallbackDrafts(tmp_path / "drafts.sqlite", Fernet(Fernet.generate_key()))
    draft = {"facts": {"district": "Watford"}, "answers": {"number": "+447700900123"}}
    drafts.put("c1", draft, 100)
    assert drafts.get("c1", 200)["answers"]["number"] == "+447700900123"
    raw = (tmp_path / "drafts.sqlite").read_bytes()
    assert b"7700900123" not in raw and b"Watford" not in raw
    assert drafts.get("c1", 100 + DRAFT_KEPT_S + 1) is None
    drafts.put("c2", {}, 100)
    drafts.drop("c2")
    assert drafts.get("c2", 101) is None


def test_drafts_from_another_key_are_simply_gone(tmp_path):
    path = tmp_path / "drafts.sqlite"
    CallbackDrafts(path, Fernet(Fernet.generate_key())).put("c1", {"x": 1})
    assert CallbackDrafts(path, Fernet(Fernet.generate_key())).get("c1") is None


def test_requests_are_counted_per_conversation_and_in_all(tmp_path):
    drafts = CallbackDrafts(tmp_path / "drafts.sqlite", Fernet(Fernet.generate_key()))
    drafts.note_request("a", 100)
    drafts.note_request("a", 200)
    drafts.note_request("b", 300)
    assert drafts.requests_since(150, "a") == 1 and drafts.requests_since(0) == 3


# --- SMS steps -------------------------------------------------------------------------------

SENDER = "+447700900123"


def reply(draft: dict, text: str) -> sms_steps.SmsTurn:
    return sms_steps.answer(draft, text, SENDER, DOOR)


def test_sms_steps_call_on_this_number_with_every_answer():
    turn = sms_steps.start(FACTS)
    choices = "Reply 1 for Call me, 2 for Text me, 3 for I'll call you, 4 for Not now."
    assert choices in turn.texts[0]
    turn = reply(turn.draft, "1")
    assert "number you are texting from" in turn.texts[0] and "YES" in turn.texts[0]
    turn = reply(turn.draft, "yes")
    assert "When is it safe" in turn.texts[0]
    turn = reply(turn.draft, "1 3")
    assert "voicemail" in turn.texts[0]
    turn = reply(turn.draft, "No")
    assert "safe word" in turn.texts[0]
    turn = reply(turn.draft, "Sam")
    assert "Stevenage" in turn.texts[0] and "Reply YES" in turn.texts[0]  # the summary to agree
    turn = reply(turn.draft, "YES")
    assert turn.draft is None and turn.referral is not None
    contact = turn.referral.contact
    assert turn.referral.source == SMS_CHAT and contact.number == SENDER
    assert contact.times == "Morning (9am to 12 noon), Evening (5pm to 8pm)"
    assert contact.voicemail_ok is False and contact.safe_word == "Sam"
    assert "ending 123" in turn.texts[0] and "won't leave a voicemail" in turn.texts[0]


def test_sms_steps_another_number_for_a_text_and_skips():
    draft = reply(sms_steps.start(FACTS).draft, "2").draft
    turn = reply(draft, "no")
    assert "send a number" in turn.texts[0]
    turn = reply(turn.draft, "01707 123456")  # a landline cannot get texts
    assert "UK mobile" in turn.texts[0]
    turn = reply(turn.draft, "07700 900456")
    turn = reply(turn.draft, "skip")
    assert "safe word" in turn.texts[0]  # a text has no voicemail question
    turn = reply(turn.draft, "SKIP")
    turn = reply(turn.draft, "yes")
    contact = turn.referral.contact
    assert contact.method == TEXT and contact.number == "+447700900456"
    assert contact.times == "Any time (no times chosen)" and contact.safe_word is None


def test_sms_steps_i_will_call_you_goes_straight_to_consent():
    turn = reply(sms_steps.start(FACTS).draft, "3")
    assert "Reply YES if you agree" in turn.texts[0]
    turn = reply(turn.draft, "yes")
    assert turn.referral.contact.method == THEY_CALL and turn.referral.contact.number is None
    assert "08 088 088 088" in turn.texts[0] and "Nobody will contact you" in turn.texts[0]


def test_sms_steps_skipping_the_number_means_they_call_us():
    draft = reply(sms_steps.start(FACTS).draft, "1").draft
    turn = reply(draft, "skip")
    assert "Reply YES if you agree" in turn.texts[0]
    assert reply(turn.draft, "YES").referral.contact.method == THEY_CALL


def test_sms_steps_not_now_and_no_consent_store_nothing():
    turn = reply(sms_steps.start(FACTS).draft, "4")
    assert turn.draft is None and turn.referral is None and "any time" in turn.texts[0]
    draft = reply(sms_steps.start(FACTS).draft, "3").draft
    turn = reply(draft, "no")
    assert turn.draft is None and turn.referral is None
    assert "haven't passed anything on" in turn.texts[0] and "08 088 088 088" in turn.texts[0]


def test_sms_steps_ask_again_when_not_understood():
    draft = sms_steps.start(FACTS).draft
    turn = reply(draft, "what do you mean")
    assert turn.texts[0].startswith("Sorry, I didn't understand that.") and turn.draft == draft
    times = reply(reply(draft, "1").draft, "yes").draft
    assert reply(times, "mornings please").draft == times
    word = reply(reply(times, "2").draft, "yes").draft  # afternoons; a voicemail is fine
    turn = reply(word, "0770 my number")
    assert "letters and spaces" in turn.texts[0] and turn.draft == word


def test_sms_steps_are_asked_in_the_persons_language():
    turn = sms_steps.start(FACTS, polish)
    assert "Reply" not in turn.texts[0] and "SKIP" in turn.texts[0]

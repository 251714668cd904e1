"""components/tracker_store.py: conversations kept as events, deleted after silence."""

import asyncio

from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Restarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

from bot.settings import PROJECT_ROOT
from components.tracker_store import ExpiringTrackerStore

DOMAIN = Domain.from_dict(
    {
        "intents": ["greet"],
        "slots": {"district": {"type": "text", "mappings": [{"type": "custom"}]}},
    }
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def conversation(store: ExpiringTrackerStore, sender_id: str, *events):
    tracker = asyncio.run(store.get_or_create_tracker(sender_id))
    for event in events:
        tracker.update(event)
    asyncio.run(store.save(tracker))
    return tracker


def test_a_saved_conversation_comes_back_with_its_events_and_slots():
    store = ExpiringTrackerStore(DOMAIN)
    saved = conversation(
        store, "a", UserUttered("hi", {"name": "greet"}), SlotSet("district", "Watford")
    )
    loaded = asyncio.run(store.retrieve("a"))
    assert list(loaded.events) == list(saved.events)
    assert loaded.get_slot("district") == "Watford"
    assert asyncio.run(store.retrieve("nobody")) is None


def test_events_added_after_saving_are_not_kept_until_saved_again():
    store = ExpiringTrackerStore(DOMAIN)
    tracker = conversation(store, "a", SlotSet("district", "Watford"))
    tracker.update(SlotSet("district", "Dacorum"))  # a turn that failed before saving
    assert asyncio.run(store.retrieve("a")).get_slot("district") == "Watford"


def test_a_conversation_is_deleted_after_the_silence_period_and_not_before():
    clock = Clock()
    store = ExpiringTrackerStore(DOMAIN, ttl_s="60", clock=clock)
    conversation(store, "old", SlotSet("district", "Watford"))
    clock.now += 30
    conversation(store, "newer", SlotSet("district", "Dacorum"))
    clock.now += 30
    assert asyncio.run(store.retrieve("old")) is None
    assert list(asyncio.run(store.keys())) == ["newer"]
    clock.now += 29
    assert asyncio.run(store.retrieve("newer")).get_slot("district") == "Dacorum"
    clock.now += 1
    assert asyncio.run(store.retrieve_full_tracker("newer")) is None


def test_only_the_latest_session_is_returned_but_all_are_kept_until_expiry():
    store = ExpiringTrackerStore(DOMAIN)
    session_start = ActionExecuted("action_session_start")
    first = [session_start, SlotSet("district", "Watford")]
    conversation(store, "a", *first, session_start, UserUttered("hi", {"name": "greet"}))
    latest = asyncio.run(store.retrieve("a"))
    assert latest.get_slot("district") is None
    assert [e.as_dict()["event"] for e in latest.events] == ["action", "user"]
    assert len(asyncio.run(store.retrieve_full_tracker("a")).events) == 5  # + first listen


def test_rasa_loads_this_store_from_the_projects_endpoints(monkeypatch):
    # Rasa falls back to its own store, silently, when the class path is wrong.
    monkeypatch.setenv("OFD_ACTIONS_PORT", "5055")
    monkeypatch.setenv("OFD_CONVERSATION_TTL_S", "120")
    config = read_endpoint_config(str(PROJECT_ROOT / "endpoints.yml"), "tracker_store")
    store = TrackerStore.create(config, DOMAIN)
    assert isinstance(store, ExpiringTrackerStore)
    assert store.ttl_s == 120


def test_a_tracker_from_the_store_gives_the_same_states_as_rasas_own():
    store = ExpiringTrackerStore(DOMAIN)
    cached = conversation(store, "a", UserUttered("hi", {"name": "greet"}))
    plain = DialogueStateTracker.from_events("a", list(cached.events), DOMAIN.slots)
    rules = {"slots": ["district"], "loops": []}
    for step in [
        ActionExecuted("utter_greet"),
        SlotSet("district", "Watford"),
        ActionExecuted("action_listen"),
    ]:
        for args in [(), (True,), (False, True, rules)]:
            expected = plain.past_states(DOMAIN, *args)
            first = cached.past_states(DOMAIN, *args)
            first[-1].clear()  # callers change what they get; the next caller is not affected
            assert cached.past_states(DOMAIN, *args) == expected
        cached.update(step)
        plain.update(step)


def test_a_restart_deletes_everything_said_before_it():
    store = ExpiringTrackerStore(DOMAIN)
    conversation(store, "a", UserUttered("marker-words", {"name": "greet"}))
    conversation(store, "a", Restarted(), UserUttered("hello again", {"name": "greet"}))
    kept = asyncio.run(store.retrieve_full_tracker("a"))
    assert "marker-words" not in str([e.as_dict() for e in kept.events])
    assert kept.latest_message.text == "hello again"


def test_conversations_past_the_most_recent_are_packed_and_come_back_the_same():
    clock = Clock()
    store = ExpiringTrackerStore(DOMAIN, ttl_s="60", clock=clock, unpacked=1)
    earlier = conversation(
        store, "earlier", UserUttered("hi", {"name": "greet"}), SlotSet("district", "Watford")
    )
    conversation(store, "latest", SlotSet("district", "Dacorum"))
    assert isinstance(store._conversations["earlier"][1], bytes)
    assert not isinstance(store._conversations["latest"][1], bytes)

    loaded = asyncio.run(store.retrieve("earlier"))
    assert [e.as_dict() for e in loaded.events] == [e.as_dict() for e in earlier.events]
    assert loaded.get_slot("district") == "Watford"
    loaded.update(SlotSet("district", "Hertsmere"))
    asyncio.run(store.save(loaded))  # its turn: kept unpacked, and the other one packed
    assert isinstance(store._conversations["latest"][1], bytes)
    assert asyncio.run(store.retrieve("latest")).get_slot("district") == "Dacorum"

    clock.now += 60  # packed or not, a conversation is deleted after the silence period
    assert asyncio.run(store.retrieve("latest")) is None
    assert list(asyncio.run(store.keys())) == []


def test_exactly_the_most_recently_saved_conversations_stay_unpacked():
    store = ExpiringTrackerStore(DOMAIN, unpacked=2)
    saved: list[str] = []
    for sender in ["a", "b", "a", "c", "c", "d", "b", "a", "a", "d", "b"]:
        conversation(store, sender, SlotSet("district", "Watford"))
        saved = [s for s in saved if s != sender] + [sender]
        unpacked = {
            s for s, (_, events) in store._conversations.items() if isinstance(events, list)
        }
        assert unpacked == set(saved[-2:])

"""Conversations kept in the Rasa process's memory, and deleted after a period of silence.

Rasa's own InMemoryTrackerStore keeps every conversation as JSON for the life of the process:
nothing is ever deleted (a new session starts after an hour, but the old one stays), and each
turn re-parses the whole conversation from JSON. This store keeps the events themselves and
forgets a conversation ``ttl_s`` seconds after its last turn, so nothing is kept longer than
needed and a turn costs less. Conversations that have not had a turn lately are packed small
until their next turn. Scale-out mode uses Redis instead (endpoints.scale-out.yml).
"""

from __future__ import annotations

import pickle
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from itertools import islice
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import ActionExecuted, Event, Restarted
from rasa.shared.core.trackers import DialogueStateTracker

# Conversations kept as event objects, ready for their next turn: the most recent ones. The
# others are packed (pickled and compressed: about 3 KB instead of about 45 KB, and 0.1 ms
# each way), so a busy hour's conversations kept until their TTL do not fill the memory.
UNPACKED_CONVERSATIONS = 500


class StatesCachingTracker(DialogueStateTracker):
    """A tracker that remembers the dialogue states it worked out until an event is added.

    In one turn each policy asks for the states of the whole conversation, once or more per
    prediction, and each time Rasa replays every event; until an event is added the answer
    cannot change. Callers may change the states they get, so each gets its own copy.
    """

    def past_states(
        self,
        domain: Domain,
        omit_unset_slots: bool = False,
        ignore_rule_only_turns: bool = False,
        rule_only_data: dict[str, Any] | None = None,
    ) -> list[State]:
        latest = (len(self.events), id(self.events[-1]) if self.events else None)
        if self.__dict__.get("_states_for") != latest:
            self._states_for, self._states = latest, {}
        rules = tuple(sorted((k, tuple(v)) for k, v in (rule_only_data or {}).items()))
        key = (id(domain), omit_unset_slots, ignore_rule_only_turns, rules)
        if key not in self._states:
            self._states[key] = super().past_states(
                domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data
            )
        return [{name: dict(part) for name, part in state.items()} for state in self._states[key]]


class ExpiringTrackerStore(TrackerStore):
    def __init__(
        self,
        domain: Domain | None,
        event_broker: EventBroker | None = None,
        ttl_s: float | str = 3600,
        clock: Callable[[], float] = time.monotonic,
        unpacked: int = UNPACKED_CONVERSATIONS,
        **kwargs: Any,
    ) -> None:
        super().__init__(domain, event_broker, **kwargs)
        self.ttl_s = float(ttl_s)
        self._clock = clock
        self._unpacked = unpacked
        # Least recently used first, so expired conversations are found at the front and the
        # most recent ones, kept unpacked, at the back.
        self._conversations: OrderedDict[str, tuple[float, list[Event] | bytes]] = OrderedDict()

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        self._forget_expired()
        # A copy of the list: events a later turn adds are only kept once that turn is saved.
        # A restart (the quick exit, or STOP by text) means 'forget what I said', and Rasa never
        # reads what came before it again, so that is deleted.
        events = _from_last(list(tracker.events), _is_restart)
        self._conversations[tracker.sender_id] = (self._clock(), events)
        self._conversations.move_to_end(tracker.sender_id)
        self._pack_the_one_pushed_out()

    def _pack_the_one_pushed_out(self) -> None:
        """Pack the conversation this turn pushed out of the ``unpacked`` most recent ones (the
        last in line). If this turn's conversation was among them already, none was pushed
        out, and the one found there is packed already."""
        pushed_out = next(islice(reversed(self._conversations), self._unpacked, None), None)
        if pushed_out is None:
            return
        last_turn, events = self._conversations[pushed_out]
        if not isinstance(events, bytes):
            self._conversations[pushed_out] = (last_turn, _pack(events))

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation's latest session, as Rasa's stores return it."""
        events = self._events(sender_id)
        if events is None:
            return None
        return self._tracker(sender_id, _from_last(events, _is_session_start))

    async def retrieve_full_tracker(self, sender_id: str) -> DialogueStateTracker | None:
        events = self._events(sender_id)
        return None if events is None else self._tracker(sender_id, events)

    async def keys(self) -> Iterable[str]:
        self._forget_expired()
        return list(self._conversations)

    def _events(self, sender_id: str) -> list[Event] | None:
        self._forget_expired()
        entry = self._conversations.get(sender_id)
        if entry is None:
            return None
        return _unpack(entry[1]) if isinstance(entry[1], bytes) else entry[1]

    def init_tracker(self, sender_id: str) -> DialogueStateTracker:
        return StatesCachingTracker(sender_id, self.domain.slots, self.max_event_history)

    def _tracker(self, sender_id: str, events: list[Event]) -> DialogueStateTracker:
        return StatesCachingTracker.from_events(
            sender_id, events, self.domain.slots, self.max_event_history
        )

    def _forget_expired(self) -> None:
        oldest_kept = self._clock() - self.ttl_s
        while self._conversations:
            sender_id, (last_turn, _) = next(iter(self._conversations.items()))
            if last_turn > oldest_kept:
                return
            del self._conversations[sender_id]


def _pack(events: list[Event]) -> bytes:
    # Only this process's own objects are ever unpickled: nothing from outside is.
    return zlib.compress(pickle.dumps(events, protocol=pickle.HIGHEST_PROTOCOL), 1)


def _unpack(packed: bytes) -> list[Event]:
    return pickle.loads(zlib.decompress(packed))


def _from_last(events: list[Event], starts: Callable[[Event], bool]) -> list[Event]:
    """The events from the last one that ``starts`` something on; all of them if none does."""
    for index in range(len(events) - 1, -1, -1):
        if starts(events[index]):
            return events[index:]
    return events


def _is_restart(event: Event) -> bool:
    return isinstance(event, Restarted)


def _is_session_start(event: Event) -> bool:
    return isinstance(event, ActionExecuted) and event.action_name == ACTION_SESSION_START_NAME

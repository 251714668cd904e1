"""Match Rasa's rules against no more of the conversation than the longest rule covers.

RulePolicy finds the rules that fit a conversation by walking back through every state of
it, filtering all rules at each step, although a rule only constrains as many states as it
has (ours have at most four): older states let every rule through. The walk therefore cost
more the longer the conversation, about a tenth of each turn in a long risk assessment.
This version stops as soon as every rule still in play is shorter than the distance walked;
the rules it returns are the same (``tests/test_rule_matching.py`` compares the two on every
step of every test story).
"""

from __future__ import annotations

from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.generator import State

STOCK_GET_POSSIBLE_KEYS = RulePolicy._get_possible_keys  # what the tests compare with


def _get_possible_keys(self: RulePolicy, lookup: dict[str, str], states: list[State]) -> set[str]:
    possible_keys = set(lookup)
    for turn_index, state in enumerate(reversed(states)):
        # A rule shorter than turn_index + 1 says nothing about this state or older ones.
        if all(len(self._rule_key_to_state(key)) <= turn_index for key in possible_keys):
            break
        possible_keys = {
            key for key in possible_keys if self._is_rule_applicable(key, turn_index, state)
        }
    return possible_keys


def match_rules_within_their_length() -> None:
    """Make RulePolicy stop matching once past the longest rule still in play."""
    RulePolicy._get_possible_keys = _get_possible_keys

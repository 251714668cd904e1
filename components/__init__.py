"""Rasa-side adapters: custom NLU components, the translating NLG, the tracker store, and four
speed-ups of Rasa's serving that keep its answers: a compiled check of action server
responses, a graph runner without Dask, rule matching that skips rules that cannot match,
and a direct copy of slots.
Rasa imports this package in the server (through config.yml and endpoints.yml) before it
loads the model, so the speed-ups are on wherever our components run."""

from components.action_validation import use_compiled_validator
from components.graph_runner import use_sequential_graph_runner
from components.rule_matching import match_rules_with_less_work
from components.slot_copy import copy_slots_directly

use_compiled_validator()
use_sequential_graph_runner()
match_rules_with_less_work()
copy_slots_directly()

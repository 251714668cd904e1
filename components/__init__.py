"""Rasa-side adapters: custom NLU components, the translating NLG, and a faster check of
action server responses. Rasa imports this package in the server (through config.yml and
endpoints.yml), so the check is switched on wherever our components run."""

from components.action_validation import use_compiled_validator

use_compiled_validator()

"""Rasa custom NLU components: thin adapters over plain-Python logic in safety/ and bot/."""

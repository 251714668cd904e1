"""Plain-Python logic of the One Front Door: triage, directory and message composition.

Nothing here imports Rasa or Flask, so it is tested on its own.
"""

"""Safety logic that must hold whatever the dialogue model does.

This package imports nothing else from the project, so every other part can rely on it.
"""

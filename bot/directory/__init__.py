"""The commissioned service directory: Open Referral UK (HSDS 3.0) data in SQLite.

- :mod:`~bot.directory.store` builds the database (from the seed file or ORUK imports);
- :mod:`~bot.directory.records` reads it into :class:`Service` objects and searches it;
- :mod:`~bot.directory.matching` ranks services for a :class:`Person`;
- :mod:`~bot.directory.oruk` validates, imports and exports ORUK JSON;
- ``python -m bot.directory`` is the command line (see docs/directory.md).
"""

from bot.directory.matching import (
    Match,
    MatchResult,
    Person,
    in_sentence,
    match,
    match_within,
)
from bot.directory.records import Directory, Location, Phone, Service, load_directory, search_ids
from bot.directory.store import build_directory
from bot.directory.taxonomy import load_taxonomy

__all__ = [
    "Directory",
    "Location",
    "Match",
    "MatchResult",
    "Person",
    "Phone",
    "Service",
    "build_directory",
    "in_sentence",
    "load_directory",
    "load_taxonomy",
    "match",
    "match_within",
    "search_ids",
]

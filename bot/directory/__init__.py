"""The commissioned service directory: built from sourced seed data into SQLite."""

from bot.directory.store import (
    Service,
    build_directory,
    find_service_by_name,
    find_services,
)

__all__ = ["Service", "build_directory", "find_service_by_name", "find_services"]

"""Command line for the service directory (see docs/directory.md).

    python -m bot.directory build                 rebuild the database from the seed file
    python -m bot.directory import FILE [--replace-all]
    python -m bot.directory export [--out FILE]   the whole directory as ORUK JSON
    python -m bot.directory validate [FILE]       a file, or (no FILE) the live export

The database is the running service's (``OFD_INSTANCE_DIR``) unless ``--db`` names another.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.directory.oruk import (
    InvalidDirectoryData,
    export_services,
    import_file,
    read_document,
    services_in,
    validate_services,
)
from bot.directory.store import build_directory
from bot.settings import PROJECT_ROOT, load_settings

SEED = PROJECT_ROOT / "data" / "directory" / "services.json"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.directory", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--db", type=Path, help="database file (default: the service's)")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="rebuild the database from the seed file")
    build.add_argument("--seed", type=Path, default=SEED)
    load = commands.add_parser("import", help="import an ORUK JSON file (all or nothing)")
    load.add_argument("file", type=Path)
    load.add_argument("--replace-all", action="store_true", help="remove every service first")
    export = commands.add_parser("export", help="write the directory as ORUK JSON")
    export.add_argument("--out", type=Path, help="file to write (default: standard output)")
    check = commands.add_parser("validate", help="check a file, or the live export")
    check.add_argument("file", type=Path, nargs="?")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    db: Path = args.db or load_settings().directory_db
    try:
        if args.command == "build":
            print(f"Built {db}: {build_directory(args.seed, db)} verified services.")
        elif args.command == "import":
            print(f"Imported {import_file(db, args.file, args.replace_all)} services into {db}.")
        elif args.command == "export":
            text = json.dumps(export_services(db), indent=2, ensure_ascii=False) + "\n"
            if args.out:
                args.out.write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
        else:
            document = read_document(args.file) if args.file else export_services(db)
            records = services_in(document)
            problems = validate_services(records)
            if problems:
                raise InvalidDirectoryData("\n".join(problems))
            print(f"Valid: {len(records)} services match the Open Referral UK schemas.")
    except InvalidDirectoryData as error:
        print(f"Not valid, nothing was changed:\n{error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

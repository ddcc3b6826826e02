"""The ``klantocratie`` command: Django's management utility with dashed command names.

``klantocratie verify-log`` runs the ``verify_log`` management command, so operators can
type the names the documentation uses while Django keeps importable module names.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klantocratie.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()

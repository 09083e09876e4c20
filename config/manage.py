"""The ``lotse`` command: Django's manage.py under the project's name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    from lotse.core.env import ConfigurationError

    try:
        execute_from_command_line(sys.argv)
    except ConfigurationError as exc:
        # A misconfigured server must not start; say why in one line, without a traceback.
        sys.stderr.write(f"Lotse cannot start: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()

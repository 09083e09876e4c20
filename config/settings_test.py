"""pytest's settings: the real settings with ``LOTSE_ENV=test``."""

import os

os.environ["LOTSE_ENV"] = "test"

from config.settings import *  # noqa: F403

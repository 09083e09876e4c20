import gc
import importlib
import sys
from collections.abc import Iterator

import pytest

from lotse.core.runtime import SERVING_THRESHOLDS, tune_garbage_collector


@pytest.fixture
def restored_collector() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_serving_freezes_the_loaded_objects_and_widens_the_young_generation(
    restored_collector: None,
) -> None:
    gc.unfreeze()
    tune_garbage_collector()
    assert gc.get_freeze_count() > 10_000  # Django and Lotse, loaded by the test run
    assert gc.get_threshold() == SERVING_THRESHOLDS
    assert SERVING_THRESHOLDS[0] >= 10_000


def test_the_wsgi_application_is_served_with_the_tuned_collector(
    restored_collector: None,
) -> None:
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)
    sys.modules.pop("config.wsgi", None)
    module = importlib.import_module("config.wsgi")
    assert callable(module.application)
    assert gc.get_threshold() == SERVING_THRESHOLDS
    assert gc.get_freeze_count() > 0

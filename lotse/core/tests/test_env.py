from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lotse.core.env import ConfigurationError, env_bool, env_int, env_list, env_str


def test_missing_required_value_names_the_variable(monkeypatch):
    monkeypatch.delenv("LOTSE_SOMETHING", raising=False)
    with pytest.raises(ConfigurationError, match="LOTSE_SOMETHING must be set"):
        env_str("SOMETHING")


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("off", False)])
def test_booleans_accept_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("LOTSE_FLAG", raw)
    assert env_bool("FLAG", not expected) is expected


def test_a_bad_boolean_fails_loudly(monkeypatch):
    monkeypatch.setenv("LOTSE_FLAG", "maybe")
    with pytest.raises(ConfigurationError, match="LOTSE_FLAG must be true or false"):
        env_bool("FLAG", False)


def test_integers_respect_their_minimum(monkeypatch):
    monkeypatch.setenv("LOTSE_N", "0")
    with pytest.raises(ConfigurationError, match="at least 1"):
        env_int("N", 5, minimum=1)


def test_lists_split_on_commas(monkeypatch):
    monkeypatch.setenv("LOTSE_HOSTS", " a.example, b.example ,,")
    assert env_list("HOSTS") == ["a.example", "b.example"]


@given(st.text())
def test_int_reader_either_parses_or_raises_a_configuration_error(raw):
    import os

    os.environ["LOTSE_FUZZ_INT"] = raw.replace("\x00", "")
    try:
        value = env_int("FUZZ_INT", 7)
    except ConfigurationError as exc:
        message = str(exc)
        assert "LOTSE_FUZZ_INT" in message
    else:
        assert isinstance(value, int)
    finally:
        del os.environ["LOTSE_FUZZ_INT"]

"""What a test does when a tool it needs (the HTML checker, Chromium) is not installed.

`make test` installs every tool first and sets JEJARING_REQUIRE_TEST_TOOLS=1: there a missing
tool fails the run, so CI never passes by skipping. A developer running `pytest` on one file
without the tools gets a skip that says which command installs them."""

from __future__ import annotations

import os

import pytest


def missing_tool(what: str, install: str) -> None:
    message = f"{what} is not installed: run `{install}` (or `make test`, which installs it)."
    if os.environ.get("JEJARING_REQUIRE_TEST_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)

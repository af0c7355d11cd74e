"""The shared fixtures of cong's tests (tests/ and plugins/*/tests/): the testing API."""

pytest_plugins = ("core.testing",)

"""The oracle's fixtures: the seeded demo, seeded once for this package, as tests/demo does."""

from tests.demo.conftest import seed_output, seeded  # noqa: F401 (fixtures)

"""The oracle's fixtures: the seeded demo (seeded once for this package, as tests/demo does) and
the marker of the issue's "Done when" tests."""

import pytest

from tests.demo.conftest import seed_output, seeded  # noqa: F401 (fixtures)
from tests.disclosure_oracle.oracle import LeaksFound

# Issue 7: the bulletins published by main give figures away (the oracle finds them). Until the
# intruder's audit lands, the "Done when" tests are expected to fail with LeaksFound, and anything
# else they raise is a failure; once it lands, set this to False (a test that passes while it is
# True fails too, as a reminder).
LEAKS_EXPECTED = True

done_when_the_audit_lands = pytest.mark.xfail(
    LEAKS_EXPECTED,
    raises=LeaksFound,
    strict=True,
    reason="issue 7: the intruder's audit is not in this branch yet",
)

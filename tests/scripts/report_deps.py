"""The report tests' entry point: unittest.main(), or the ctest skip status (77) with the reason
when the report's plotting and statistics packages are not installed."""

import sys
import unittest

SKIP = 77


def main():
    try:
        import matplotlib  # noqa: F401
        import scipy  # noqa: F401
    except ImportError as e:
        print("SKIP: %s (scripts/setup installs python3-matplotlib python3-scipy)" % e)
        sys.exit(SKIP)
    unittest.main()

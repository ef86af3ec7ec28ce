import os
import tempfile
import unittest
from unittest import mock

ENV_KEYS = ("BACKFILL_CONFIG", "BACKFILL_API_URL", "BACKFILL_API_KEY", "XDG_CONFIG_HOME")


class TempEnvTestCase(unittest.TestCase):
    """A temp folder, with the Backfill variables cleared (restored after each test)."""

    def setUp(self):
        temp = tempfile.TemporaryDirectory()
        self.addCleanup(temp.cleanup)
        self.dir = temp.name
        patcher = mock.patch.dict(os.environ)
        patcher.start()
        self.addCleanup(patcher.stop)
        for key in ENV_KEYS:
            os.environ.pop(key, None)
        self.config_file = os.path.join(self.dir, "conf", "config.json")
        os.environ["BACKFILL_CONFIG"] = self.config_file

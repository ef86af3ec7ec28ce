import hashlib
import os
import tempfile
import unittest

from backfill.files import safe_output_path, sha256_file, write_verified


class SafeOutputPathTest(unittest.TestCase):
    def test_plain_and_nested_names(self):
        self.assertEqual(safe_output_path("out", "result.json"), os.path.join("out", "result.json"))
        self.assertEqual(safe_output_path("out", "frames/f-0001.png"), os.path.join("out", "frames", "f-0001.png"))

    def test_names_that_could_escape_are_refused(self):
        for name in ("", "..", "../x", "a/../../x", "/etc/passwd", "a\\b", "..\\x", ".hidden", "a//b", "a/", "C:x",
                     "a..b", "x\0y", "trailing ", "a/b/c/d/e/f/g/h/i", "x" * 129):
            with self.subTest(name=name):
                with self.assertRaisesRegex(ValueError, "refusing the output name"):
                    safe_output_path("out", name)


class WriteVerifiedTest(unittest.TestCase):
    def setUp(self):
        temp = tempfile.TemporaryDirectory()
        self.addCleanup(temp.cleanup)
        self.dir = temp.name
        self.data = b"hello world" * 1000
        self.sha = hashlib.sha256(self.data).hexdigest()

    def test_writes_then_renames(self):
        target = os.path.join(self.dir, "sub", "out.bin")
        chunks = [self.data[:100], self.data[100:]]
        self.assertEqual(write_verified(chunks, target, len(self.data), self.sha), target)
        with open(target, "rb") as file:
            self.assertEqual(file.read(), self.data)
        self.assertEqual(sha256_file(target), self.sha)
        self.assertFalse(os.path.exists(target + ".part"))

    def test_wrong_hash_or_size_leaves_nothing(self):
        target = os.path.join(self.dir, "out.bin")
        for size, sha in ((len(self.data), "0" * 64), (len(self.data) + 1, self.sha)):
            with self.assertRaisesRegex(ValueError, "expected"):
                write_verified([self.data], target, size, sha)
            self.assertEqual(os.listdir(self.dir), [])

    def test_broken_stream_leaves_nothing(self):
        def chunks():
            yield b"partial"
            raise ConnectionResetError("dropped")

        with self.assertRaises(ConnectionResetError):
            write_verified(chunks(), os.path.join(self.dir, "out.bin"), 10, self.sha)
        self.assertEqual(os.listdir(self.dir), [])


if __name__ == "__main__":
    unittest.main()

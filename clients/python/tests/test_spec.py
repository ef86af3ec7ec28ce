import os
import tempfile
import unittest

from backfill.spec import load_spec, resolve_spec

FILE_ID = "00000000-0000-4000-8000-000000000001"


class ResolveSpecTest(unittest.TestCase):
    def setUp(self):
        temp = tempfile.TemporaryDirectory()
        self.addCleanup(temp.cleanup)
        self.dir = temp.name
        with open(os.path.join(self.dir, "scene.json"), "w") as file:
            file.write("{}")
        self.uploads = []

    def upload(self, path, name):
        self.uploads.append((path, name))
        return {"id": FILE_ID, "name": name or os.path.basename(path)}

    def resolve(self, inputs):
        return resolve_spec({"name": "job", "inputs": inputs}, self.dir, self.upload)

    def test_path_inputs_are_uploaded_and_replaced(self):
        spec = self.resolve([{"path": "scene.json"}, {"path": "scene.json", "name": "in/scene.json"}])
        self.assertEqual(spec["inputs"], [{"fileId": FILE_ID}, {"fileId": FILE_ID, "name": "in/scene.json"}])
        path = os.path.join(self.dir, "scene.json")
        self.assertEqual(self.uploads, [(path, None), (path, "in/scene.json")])
        self.assertEqual(spec["name"], "job")

    def test_file_id_and_url_inputs_pass_through(self):
        inputs = [{"fileId": FILE_ID}, {"url": "https://example.com/a", "name": "a", "sha256": "0" * 64}]
        self.assertEqual(self.resolve(inputs)["inputs"], inputs)
        self.assertEqual(self.uploads, [])

    def test_spec_without_inputs_is_unchanged(self):
        spec = {"name": "job"}
        self.assertEqual(resolve_spec(spec, self.dir, self.upload), spec)

    def test_the_original_spec_is_not_modified(self):
        spec = {"inputs": [{"path": "scene.json"}]}
        resolve_spec(spec, self.dir, self.upload)
        self.assertEqual(spec, {"inputs": [{"path": "scene.json"}]})

    def test_unknown_shapes_are_refused(self):
        for bad in ({"file": "scene.json"}, {"path": "scene.json", "sha256": "x"}, "scene.json", {"url": "u", "x": 1}):
            with self.subTest(bad=bad):
                with self.assertRaisesRegex(ValueError, r"inputs\[0\]: an input is"):
                    self.resolve([bad])
        self.assertEqual(self.uploads, [])

    def test_inputs_must_be_a_list(self):
        with self.assertRaisesRegex(ValueError, "must be a list"):
            self.resolve({"path": "scene.json"})

    def test_missing_file_refused_before_anything_is_uploaded(self):
        with self.assertRaisesRegex(ValueError, r"inputs\[1\]: no such file: .*missing\.bin"):
            self.resolve([{"path": "scene.json"}, {"path": "missing.bin"}])
        self.assertEqual(self.uploads, [])

    def test_a_folder_is_not_a_file(self):
        os.mkdir(os.path.join(self.dir, "folder"))
        with self.assertRaisesRegex(ValueError, "no such file"):
            self.resolve([{"path": "folder"}])

    def test_empty_path_refused(self):
        with self.assertRaisesRegex(ValueError, '"path" must be a file name'):
            self.resolve([{"path": ""}])


class LoadSpecTest(unittest.TestCase):
    def write(self, text):
        file = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        self.addCleanup(os.remove, file.name)
        file.write(text)
        file.close()
        return file.name

    def test_reads_an_object(self):
        self.assertEqual(load_spec(self.write('{"name": "x"}')), {"name": "x"})

    def test_refuses_invalid_json_and_non_objects(self):
        with self.assertRaisesRegex(ValueError, r"^the spec .*\.json is not JSON: "):
            load_spec(self.write("{"))
        with self.assertRaisesRegex(ValueError, "is not a JSON object"):
            load_spec(self.write("[]"))

    def test_unreadable_file(self):
        with self.assertRaisesRegex(ValueError, "^cannot read the spec /nonexistent/spec.json: No such file"):
            load_spec("/nonexistent/spec.json")


if __name__ == "__main__":
    unittest.main()

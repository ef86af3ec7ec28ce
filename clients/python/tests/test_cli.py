import contextlib
import io
import json
import os
import re
from unittest import mock

from backfill import ApiError, Client
from backfill.cli import build_parser, main
from backfill.config import load_config, save_config
from tests.helpers import TempEnvTestCase

JOB = {
    "id": "6f1c2a4e-0000-4000-8000-000000000001",
    "name": "render frames",
    "unit": "frames",
    "state": "running",
    "stateReason": None,
    "progress": 0.257,
    "progressUnits": 257,
    "workUnits": 1000,
    "chargedMicros": "1500000",
    "budgetMicros": "10000000",
    "currentAttempt": {
        "nodeName": "gpu-box", "nodeId": "a1b2c3d4-0000-4000-8000-000000000000", "gpuModel": "l4-24gb",
        "region": "eu-west", "pricePerGpuHourMicros": "20000000",
    },
    "attempts": [],
    "outputs": [{"fileId": "f", "name": "out.json", "sizeBytes": 12, "sha256": "ab" * 32}],
}
OFFER = {
    "nodeId": "a1b2c3d4-0000-4000-8000-000000000000", "gpuModel": "h100-80gb", "gpuCount": 8, "freeGpus": 4,
    "region": "us-east", "priceMicros": "2250000", "reliability": 0.9934, "verified": True,
}


class CliTestCase(TempEnvTestCase):
    def run_cli(self, *argv, stdin=""):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
             mock.patch("sys.stdin", io.StringIO(stdin)):
            try:
                code = main(list(argv))
            except SystemExit as exit:
                code = exit.code
        return code, out.getvalue(), err.getvalue()


class UsageTest(CliTestCase):
    def test_usage_errors_exit_2(self):
        for argv in (
            [],
            ["frobnicate"],
            ["job"],
            ["job", "a", "b"],
            ["jobs", "--bogus"],
            ["offers", "--limit", "0"],
            ["offers", "--min-gpus", "two"],
            ["offers", "--min-ram", "lots"],
            ["quote"],
        ):
            with self.subTest(argv=argv):
                code, _, err = self.run_cli(*argv)
                self.assertEqual(code, 2)
                self.assertIn("usage: backfill", err)

    def test_login_without_a_key_exits_2(self):
        code, _, err = self.run_cli("login", stdin="\n")
        self.assertEqual(code, 2)
        self.assertIn("login needs a key", err)

    def test_help_exits_0(self):
        code, out, _ = self.run_cli("--help")
        self.assertEqual(code, 0)
        self.assertIn("offers", out)

    def test_api_url_before_or_after_the_verb(self):
        parser = build_parser()
        self.assertEqual(parser.parse_args(["--api-url", "http://a", "jobs"]).api_url, "http://a")
        self.assertEqual(parser.parse_args(["jobs", "--api-url", "http://b"]).api_url, "http://b")
        self.assertIsNone(parser.parse_args(["jobs"]).api_url)

    def test_offer_lists_are_repeatable(self):
        args = build_parser().parse_args(["offers", "--gpu", "h100-80gb", "--gpu", "l4-24gb", "--json"])
        self.assertEqual((args.gpu, args.json), (["h100-80gb", "l4-24gb"], True))


class FailureTest(CliTestCase):
    def test_no_key_exits_1_telling_to_log_in(self):
        code, out, err = self.run_cli("jobs")
        self.assertEqual((code, out), (1, ""))
        self.assertEqual(err, "backfill: no API key: run `backfill login` (or set BACKFILL_API_KEY)\n")

    def test_network_error_exits_1_without_a_traceback(self):
        os.environ["BACKFILL_API_KEY"] = "bfk_x"
        code, _, err = self.run_cli("--api-url", "http://127.0.0.1:1", "jobs")
        self.assertEqual(code, 1)
        self.assertRegex(err, r"^backfill: could not reach http://127\.0\.0\.1:1/api/v1/jobs \(.+\)\n$")

    def test_refused_login_saves_nothing(self):
        code, _, err = self.run_cli("login", "--api-url", "http://127.0.0.1:1", "--key", "bfk_x")
        self.assertEqual(code, 1)
        self.assertIn("backfill: that key was refused: could not reach", err)
        self.assertFalse(os.path.exists(self.config_file))

    def test_unreadable_spec_exits_1(self):
        os.environ["BACKFILL_API_KEY"] = "bfk_x"
        code, _, err = self.run_cli("quote", os.path.join(self.dir, "nope.json"))
        self.assertEqual(code, 1)
        self.assertRegex(err, r"^backfill: cannot read the spec .*nope\.json: No such file or directory\n$")

    def test_bad_spec_input_exits_1_before_any_request(self):
        spec = os.path.join(self.dir, "spec.json")
        with open(spec, "w") as file:
            file.write('{"name": "x", "inputs": [{"file": "a"}]}')
        os.environ["BACKFILL_API_KEY"] = "bfk_x"
        code, _, err = self.run_cli("launch", spec, "--api-url", "http://127.0.0.1:1")
        self.assertEqual(code, 1)
        self.assertIn("backfill: inputs[0]: an input is", err)

    def test_unauthorized_gets_the_login_hint(self):
        os.environ["BACKFILL_API_KEY"] = "bfk_x"
        refused = ApiError(401, "unauthorized", "The API key is unknown or revoked.")
        with mock.patch.object(Client, "job", side_effect=refused):
            code, _, err = self.run_cli("job", JOB["id"])
        self.assertEqual(code, 1)
        self.assertEqual(err, "backfill: HTTP 401 unauthorized: The API key is unknown or revoked. "
                              "(is the key revoked? run backfill login)\n")


class LoginTest(CliTestCase):
    SESSION = {"account": {"id": "x", "address": "0x" + "ab" * 20, "createdAt": "t"}, "expiresAt": None}

    def test_login_saves_url_and_key(self):
        with mock.patch.object(Client, "session", return_value=self.SESSION):
            code, out, _ = self.run_cli("login", "--api-url", "http://m.example/", "--key", "bfk_new")
        self.assertEqual((code, out), (0, f"Signed in to http://m.example as 0x{'ab' * 20}\n"))
        self.assertEqual(load_config(self.config_file), {"apiUrl": "http://m.example", "apiKey": "bfk_new"})

    def test_login_reads_the_key_from_stdin(self):
        with mock.patch.object(Client, "session", return_value=self.SESSION):
            code, _, _ = self.run_cli("login", stdin="bfk_piped\n")
        self.assertEqual(code, 0)
        self.assertEqual(load_config(self.config_file)["apiKey"], "bfk_piped")

    def test_login_refused_without_an_account(self):
        with mock.patch.object(Client, "session", return_value={"account": None, "expiresAt": None}):
            code, _, err = self.run_cli("login", "--key", "bfk_new")
        self.assertEqual((code, err), (1, "backfill: that key was refused: it is unknown or revoked\n"))
        self.assertFalse(os.path.exists(self.config_file))

    def test_logout_keeps_the_url(self):
        save_config(self.config_file, {"apiUrl": "http://a", "apiKey": "bfk_x"})
        code, out, _ = self.run_cli("logout")
        self.assertEqual((code, out), (0, "Signed out.\n"))
        self.assertEqual(load_config(self.config_file), {"apiUrl": "http://a"})


class OutputTest(CliTestCase):
    """What the verbs print, with the client's calls stubbed (no server)."""

    def setUp(self):
        super().setUp()
        os.environ["BACKFILL_API_KEY"] = "bfk_x"

    def test_offers_table_and_the_filters_sent(self):
        with mock.patch.object(Client, "offers", return_value={"data": [OFFER], "nextCursor": None}) as offers:
            code, out, _ = self.run_cli("offers", "--gpu", "h100-80gb", "--max-price", "2.5", "--verified",
                                        "--min-ram", "256", "--min-cuda", "12.8")
        self.assertEqual(code, 0)
        self.assertEqual(out.splitlines(), [
            "NODE      GPU        FREE  REGION   PRICE/GPU-H  UPTIME  VERIFIED",
            "a1b2c3d4  h100-80gb  4/8   us-east  $2.25        99.3%   yes",
        ])
        self.assertEqual(offers.call_args.kwargs["gpu"], ["h100-80gb"])
        self.assertEqual(offers.call_args.kwargs["max_price"], "2.5")
        self.assertEqual(offers.call_args.kwargs["verified"], True)
        self.assertEqual(offers.call_args.kwargs["min_ram"], 256)
        self.assertEqual(offers.call_args.kwargs["min_cuda"], "12.8")

    def test_json_prints_the_raw_answer(self):
        page = {"data": [OFFER], "nextCursor": None}
        with mock.patch.object(Client, "offers", return_value=page):
            _, out, _ = self.run_cli("offers", "--json")
        self.assertEqual(json.loads(out), page)
        self.assertTrue(out.startswith('{\n  "data"'))

    def test_quote(self):
        quote = {
            "unit": "frames", "matchingOffers": 3, "runway": None,
            "estimate": {"hoursMin": 0.5, "hoursMax": 2.25, "costMinMicros": "1000000", "costMaxMicros": "4500"},
            "options": [{**OFFER, "reliabilityBp": 9934, "estimatedHours": 0.5, "estimatedCostMicros": "1000000"}],
        }
        spec = os.path.join(self.dir, "spec.json")
        with open(spec, "w") as file:
            json.dump({"name": "x", "inputs": [{"path": "not-uploaded.bin"}]}, file)
        with mock.patch.object(Client, "_json", return_value=quote) as call:
            code, out, _ = self.run_cli("quote", spec)
        self.assertEqual(call.call_args.kwargs["body"], {"name": "x"})
        self.assertEqual(out.splitlines()[:2], ["3 matching offer(s) now.", "Estimate: 30 min to 2.3 h, $1.00 to $0.0045"])
        self.assertEqual(re.split(r"\s{2,}", out.splitlines()[3]),
                         ["a1b2c3d4", "h100-80gb", "us-east", "$2.25", "0.50", "$1.00", "yes"])

    def test_launch_prints_the_job(self):
        spec = os.path.join(self.dir, "spec.json")
        with open(spec, "w") as file:
            json.dump({"name": "x"}, file)
        with mock.patch.object(Client, "launch", return_value={**JOB, "state": "queued"}) as launch:
            code, out, _ = self.run_cli("launch", spec, "--idempotency-key", "launch-0001")
        self.assertEqual((code, out), (0, f"Launched job {JOB['id']} (render frames): queued\n"))
        self.assertEqual(launch.call_args.args, ({"name": "x"}, "launch-0001"))

    def test_jobs_table(self):
        with mock.patch.object(Client, "jobs", return_value={"items": [JOB], "nextCursor": None}):
            _, out, _ = self.run_cli("jobs")
        self.assertEqual(re.split(r"\s{2,}", out.splitlines()[1]), [JOB["id"], "render frames", "running", "25%", "$1.50"])
        with mock.patch.object(Client, "jobs", return_value={"items": [], "nextCursor": None}):
            self.assertEqual(self.run_cli("jobs")[1], "No jobs yet.\n")

    def test_job_detail(self):
        with mock.patch.object(Client, "job", return_value=JOB):
            _, out, _ = self.run_cli("job", JOB["id"])
        self.assertEqual(out.splitlines(), [
            f"Job       {JOB['id']}  render frames",
            "State     running",
            "Progress  25% (257 of 1000 frames)",
            "Charged   $1.50 of a $10.00 budget",
            "Node      gpu-box (l4-24gb, eu-west) at $20.00/GPU-hour",
            "Outputs   1",
        ])

    def test_watch_prints_events_and_exits_by_the_final_state(self):
        event = {"id": 1, "jobId": JOB["id"], "type": "progress", "data": {"progressUnits": 5},
                 "createdAt": "2026-01-01T00:00:01Z"}

        def watch(job_id, on_event):
            on_event(event)
            return {**JOB, "state": state}

        for state, code in (("succeeded", 0), ("failed", 1), ("out_of_budget", 1)):
            with mock.patch.object(Client, "watch", side_effect=watch):
                self.assertEqual(self.run_cli("watch", JOB["id"])[:2],
                                 (code, f"00:00:01 progress 5 units\nJob {JOB['id']} {state}\n"))
        with mock.patch.object(Client, "watch", side_effect=watch):
            _, out, _ = self.run_cli("watch", JOB["id"], "--json")
        self.assertEqual(json.loads(out), event)

    def test_outputs(self):
        with mock.patch.object(Client, "job", return_value=JOB):
            _, out, _ = self.run_cli("outputs", JOB["id"])
        self.assertEqual(out.splitlines(), ["NAME      SIZE  SHA256", f"out.json  12    {'ab' * 32}"])
        with mock.patch.object(Client, "job", return_value={**JOB, "outputs": []}):
            self.assertEqual(self.run_cli("outputs", JOB["id"])[1], "No outputs yet (running).\n")

    def test_outputs_download_prints_one_line(self):
        into = os.path.join(self.dir, "out")
        with mock.patch.object(Client, "download_outputs", return_value=["a", "b"]):
            self.assertEqual(self.run_cli("outputs", JOB["id"], "--download", into)[1], f"Downloaded 2 file(s) to {into}\n")

    def test_logs_and_cancel(self):
        with mock.patch.object(Client, "logs", return_value="line 1\nline 2\n"):
            self.assertEqual(self.run_cli("logs", JOB["id"])[1], "line 1\nline 2\n")
        with mock.patch.object(Client, "cancel", return_value={**JOB, "state": "cancelled"}):
            self.assertEqual(self.run_cli("cancel", JOB["id"])[1], f"Cancel requested for job {JOB['id']}: cancelled\n")

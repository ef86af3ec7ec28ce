import io
import json
import socket
import unittest
from unittest import mock

from backfill import ApiError, Client, __version__
from backfill.client import MAX_CONNECT_FAILURES, _query


class ApiErrorTest(unittest.TestCase):
    def test_from_the_api_error_shape(self):
        body = json.dumps({"error": {"code": "unauthorized", "message": "The API key is unknown or revoked."}})
        error = ApiError.from_body(401, body.encode())
        self.assertEqual((error.status, error.code, error.fields), (401, "unauthorized", None))
        self.assertEqual(str(error), "HTTP 401 unauthorized: The API key is unknown or revoked.")

    def test_fields_are_kept(self):
        fields = [{"field": "workUnits", "message": "Too small"}]
        body = json.dumps({"error": {"code": "bad_request", "message": "Invalid body: workUnits", "fields": fields}})
        error = ApiError.from_body(400, body.encode())
        self.assertEqual(error.fields, fields)
        self.assertEqual(str(error), "HTTP 400 bad_request: Invalid body: workUnits")

    def test_non_json_body_falls_back_to_its_text(self):
        error = ApiError.from_body(502, b"<html>Bad Gateway</html>\n", "Bad Gateway")
        self.assertEqual(str(error), "HTTP 502 error: <html>Bad Gateway</html>")

    def test_json_without_the_error_shape_falls_back_to_its_text(self):
        self.assertEqual(str(ApiError.from_body(500, b'{"oops": 1}')), 'HTTP 500 error: {"oops": 1}')
        self.assertEqual(str(ApiError.from_body(500, b'{"error": "x"}')), 'HTTP 500 error: {"error": "x"}')

    def test_empty_body_uses_the_reason(self):
        self.assertEqual(str(ApiError.from_body(503, b"", "Service Unavailable")), "HTTP 503 error: Service Unavailable")

    def test_network_errors_name_the_url(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        with self.assertRaises(ApiError) as caught:
            Client(f"http://127.0.0.1:{port}", "bfk_x", timeout=5).balance()
        error = caught.exception
        self.assertEqual((error.status, error.code), (0, "network"))
        self.assertIn(f"could not reach http://127.0.0.1:{port}/api/v1/balance", str(error))


class QueryTest(unittest.TestCase):
    def test_values_as_the_api_reads_them(self):
        query = _query({"gpu": ["h100-80gb", "a100-80gb"], "verified": True, "minGpus": 2, "cursor": None})
        self.assertEqual(query, {"gpu": "h100-80gb,a100-80gb", "verified": "true", "minGpus": "2"})

    def test_offer_filters_are_named_as_the_api_names_them(self):
        with mock.patch.object(Client, "_json") as call:
            Client("http://x", "bfk_x").offers(gpu=["h100-80gb"], min_gpus=2, max_price="2.5", verified_within="7d")
        self.assertEqual(call.call_args.kwargs["query"],
                         {"gpu": ["h100-80gb"], "minGpus": 2, "maxPrice": "2.5", "verifiedWithin": "7d"})

    def test_user_agent_names_the_version(self):
        self.assertEqual(__version__, "0.1.0")


class FakeStream(io.BytesIO):
    """A stream answer of the transport: the bytes, then the end (or a dropped connection)."""

    def __init__(self, data, drop=False):
        super().__init__(data.encode())
        self.drop = drop

    def read1(self, size=-1):
        chunk = super().read1(7)  # small reads: messages arrive cut anywhere
        if not chunk and self.drop:
            raise ConnectionResetError("reset by peer")
        return chunk

    def geturl(self):
        return "http://x/api/v1/jobs/j/stream"


def message(event_id, event_type):
    data = {"id": event_id, "jobId": "j", "type": event_type, "data": {}, "createdAt": "2026-01-01T00:00:00Z"}
    return f"id: {event_id}\nevent: {event_type}\ndata: {json.dumps(data)}\n\n"


class ScriptedClient(Client):
    """A client whose stream connections answer from a script (responses or ApiErrors), recording Last-Event-ID."""

    def __init__(self, script, job_state="running"):
        super().__init__("http://x", "bfk_x")
        self.script = list(script)
        self.last_ids = []
        self.job_state = job_state

    def _open_stream(self, job_id, last_id):
        self.last_ids.append(last_id)
        answer = self.script.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def job(self, job_id):
        return {"id": job_id, "state": self.job_state}


@mock.patch("backfill.client.time.sleep")
class EventsTest(unittest.TestCase):
    def test_resumes_after_the_last_event_with_the_servers_retry_delay(self, sleep):
        client = ScriptedClient([
            FakeStream("retry: 2000\n\n" + message(1, "queued") + message(2, "running") + "retry: 250\n: bye\n\n"),
            FakeStream(message(3, "progress") + message(4, "succeeded"), drop=True),
            FakeStream(message(5, "suspect")),
        ])
        events = client.events("j")
        self.assertEqual([next(events)["id"] for _ in range(5)], [1, 2, 3, 4, 5])
        self.assertEqual(client.last_ids, [0, 2, 4])
        self.assertEqual([c.args[0] for c in sleep.call_args_list], [0.25, 0.25])

    def test_after_starts_the_stream_there(self, sleep):
        client = ScriptedClient([FakeStream(message(8, "log"))])
        self.assertEqual(next(client.events("j", after=7))["id"], 8)
        self.assertEqual(client.last_ids, [7])

    def test_gives_up_after_consecutive_failed_connects(self, sleep):
        network = ApiError(0, "network", "could not reach http://x")
        client = ScriptedClient([network] * MAX_CONNECT_FAILURES)
        with self.assertRaises(ApiError) as caught:
            next(client.events("j"))
        self.assertIs(caught.exception, network)
        self.assertEqual(len(client.last_ids), MAX_CONNECT_FAILURES)
        self.assertEqual([c.args[0] for c in sleep.call_args_list], [2.0] * (MAX_CONNECT_FAILURES - 1))

    def test_a_successful_connect_resets_the_failure_count(self, sleep):
        network = ApiError(503, "error", "unavailable")
        script = [network] * 4 + [FakeStream(message(1, "queued"))] + [network] * 4 + [FakeStream(message(2, "log"))]
        events = ScriptedClient(script).events("j")
        self.assertEqual([next(events)["id"] for _ in range(2)], [1, 2])

    def test_refusals_are_raised_at_once(self, sleep):
        refused = ApiError(404, "not_found", "No such job.")
        client = ScriptedClient([refused])
        with self.assertRaises(ApiError):
            next(client.events("j"))
        sleep.assert_not_called()

    def test_watch_stops_at_a_terminal_event(self, sleep):
        client = ScriptedClient([FakeStream(message(1, "running") + message(2, "out_of_budget") + message(3, "x"))])
        seen = []
        client.watch("j", on_event=lambda event: seen.append(event["type"]))
        self.assertEqual(seen, ["running", "out_of_budget"])

    def test_watch_returns_a_finished_job_at_once(self, sleep):
        client = ScriptedClient([], job_state="cancelled")
        self.assertEqual(client.watch("j")["state"], "cancelled")
        self.assertEqual(client.last_ids, [])


if __name__ == "__main__":
    unittest.main()


class ReuseTest(unittest.TestCase):
    def test_an_input_is_reused_only_while_it_is_kept_for_another_hour(self):
        from datetime import datetime, timedelta, timezone

        from backfill.client import _kept_for_an_hour

        def iso(delta):
            return (datetime.now(timezone.utc) + delta).isoformat().replace("+00:00", "Z")

        self.assertTrue(_kept_for_an_hour(None))
        self.assertTrue(_kept_for_an_hour(iso(timedelta(hours=2))))
        self.assertFalse(_kept_for_an_hour(iso(timedelta(minutes=30))))
        self.assertFalse(_kept_for_an_hour(iso(timedelta(hours=-1))))

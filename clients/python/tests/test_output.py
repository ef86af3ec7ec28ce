import unittest

from backfill.output import event_lines, fixed, percent, table, usdc


class MoneyTest(unittest.TestCase):
    def test_dollars_with_two_decimals(self):
        self.assertEqual(usdc("1230000"), "$1.23")
        self.assertEqual(usdc("2250000"), "$2.25")
        self.assertEqual(usdc(0), "$0.00")
        self.assertEqual(usdc("1234567890"), "$1,234.57")

    def test_rounds_half_up_to_the_cent(self):
        self.assertEqual(usdc("1235000"), "$1.24")
        self.assertEqual(usdc("1234999"), "$1.23")
        self.assertEqual(usdc("10000"), "$0.01")
        self.assertEqual(usdc("15000"), "$0.02")

    def test_below_one_cent_keeps_its_significant_digits(self):
        self.assertEqual(usdc("4521"), "$0.004521")
        self.assertEqual(usdc("4500"), "$0.0045")
        self.assertEqual(usdc("9999"), "$0.009999")
        self.assertEqual(usdc("1"), "$0.000001")

    def test_missing_amount(self):
        self.assertEqual(usdc(None), "\u2014")

    def test_negative_amounts(self):
        self.assertEqual(usdc("-1230000"), "-$1.23")
        self.assertEqual(usdc("-50"), "-$0.00005")

    def test_amounts_beyond_float_precision(self):
        self.assertEqual(usdc("12345678901234567890"), "$12,345,678,901,234.57")


class TableTest(unittest.TestCase):
    def test_columns_are_aligned(self):
        text = table(["A", "LONGER"], [["wide value", 1], ["x", 22]])
        self.assertEqual(text.splitlines(), ["A           LONGER", "wide value  1", "x           22"])

    def test_percent(self):
        self.assertEqual(percent(0.9934), "99.3%")
        self.assertEqual(percent(1), "100.0%")

    def test_fixed_rounds_ties_up_like_javascript(self):
        self.assertEqual(fixed(2.25, 1), "2.3")
        self.assertEqual(fixed(0.125, 2), "0.13")
        self.assertEqual(fixed(1.005, 2), "1.00")  # just below the tie, as a float
        self.assertEqual(fixed(3, 2), "3.00")


class EventLineTest(unittest.TestCase):
    def lines(self, type_, data):
        return event_lines({"id": 1, "jobId": "j", "type": type_, "data": data, "createdAt": "2026-01-01T10:04:05.123Z"})

    def test_utc_time_and_type_lead(self):
        self.assertEqual(self.lines("queued", {"reason": "launched"}), ['10:04:05 queued {"reason":"launched"}'])
        self.assertEqual(event_lines({"type": "running", "data": {}, "createdAt": "2026-01-01T12:00:00+02:00"}),
                         ["10:00:00 running"])

    def test_summaries(self):
        cases = [
            ("progress", {"attempt": 1, "progressUnits": 250}, "250 units"),
            ("checkpoint", {"attempt": 1, "units": 200, "ref": "r"}, "kept at 200 units"),
            ("scheduled", {"nodeName": "box", "gpuModel": "l4-24gb", "region": "eu-west", "pricePerGpuHourMicros": "20000000"},
             "on box (l4-24gb, eu-west) at $20.00/GPU-hour"),
            ("charged", {"chargedMicros": "1500000", "totalChargedMicros": "4000000"}, "$1.50 (total $4.00)"),
            ("attempt_ended", {"attempt": 2, "state": "host_lost", "reason": "gone"}, "attempt 2 host_lost: gone"),
            ("attempt_ended", {"attempt": 2, "state": "completed", "reason": None}, "attempt 2 completed"),
            ("requeued", {"reason": "host lost", "resumeFromUnits": 100}, "host lost; resuming from 100 units"),
            ("succeeded", {"reason": "done", "chargedMicros": "1000", "releasedMicros": "2000000"},
             "done; charged $0.001, released $2.00"),
            ("cancelled", {"reason": None, "chargedMicros": "0", "releasedMicros": "5"}, "charged $0.00, released $0.000005"),
        ]
        for type_, data, summary in cases:
            with self.subTest(type_=type_):
                self.assertEqual(self.lines(type_, data), [f"10:04:05 {type_} {summary}"])

    def test_log_prints_each_line_and_telemetry_nothing(self):
        lines = self.lines("log", {"attempt": 1, "lines": [{"at": "t", "stream": "stdout", "text": "one"}, {"text": "two"}]})
        self.assertEqual(lines, ["10:04:05 log one", "10:04:05 log two"])
        self.assertEqual(self.lines("telemetry", {"gpus": []}), [])

    def test_other_events_are_compact_json_truncated(self):
        (line,) = self.lines("suspect", {"reason": "x" * 200})
        self.assertEqual(line, "10:04:05 suspect " + '{"reason":"' + "x" * 108 + "\u2026")
        self.assertEqual(self.lines("cancel_requested", {}), ["10:04:05 cancel_requested"])

    def test_unreadable_time_falls_back_to_now(self):
        (line,) = event_lines({"type": "cancel_requested", "data": {}, "createdAt": "yesterday"})
        self.assertRegex(line, r"^\d\d:\d\d:\d\d cancel_requested$")


if __name__ == "__main__":
    unittest.main()

import unittest

from backfill.sse import SseMessage, SseParser


def feed_all(parser, chunks):
    messages = []
    for chunk in chunks:
        messages.extend(parser.feed(chunk))
    return messages


class SseParserTest(unittest.TestCase):
    def test_one_message(self):
        messages = SseParser().feed('id: 7\nevent: progress\ndata: {"id":7}\n\n')
        self.assertEqual(messages, [SseMessage("7", "progress", '{"id":7}')])

    def test_message_split_at_every_character(self):
        text = 'retry: 2000\n\nid: 1\nevent: log\ndata: {"a": 1}\n\nid: 2\nevent: charged\ndata: {}\n\n'
        parser = SseParser()
        messages = feed_all(parser, list(text))
        self.assertEqual([(m.id, m.event, m.data) for m in messages], [("1", "log", '{"a": 1}'), ("2", "charged", "{}")])
        self.assertEqual(parser.retry_ms, 2000)

    def test_incomplete_message_waits_for_the_blank_line(self):
        parser = SseParser()
        self.assertEqual(parser.feed("id: 3\ndata: x\n"), [])
        self.assertEqual(parser.feed("\n"), [SseMessage("3", "message", "x")])

    def test_crlf_and_cr_line_endings(self):
        parser = SseParser()
        messages = feed_all(parser, ["id: 1\r\nevent: a\r\ndata: one\r", "\n\r", "\nid: 2\revent: b\rdata: two\r\r", "\n"])
        self.assertEqual(messages, [SseMessage("1", "a", "one"), SseMessage("2", "b", "two")])

    def test_crlf_split_between_chunks_is_one_line_end(self):
        parser = SseParser()
        self.assertEqual(parser.feed("data: x\r"), [])
        self.assertEqual(parser.feed("\n"), [])  # the \r\n ended one line, not two: no dispatch yet
        self.assertEqual(parser.feed("\r\n"), [SseMessage(None, "message", "x")])

    def test_a_final_cr_waits_for_the_next_character(self):
        parser = SseParser()
        self.assertEqual(parser.feed("data: x\r\r"), [])
        self.assertEqual(parser.feed("data: y"), [SseMessage(None, "message", "x")])

    def test_multi_line_data_joined_by_newlines(self):
        messages = SseParser().feed("data: first\ndata:second\ndata:  third\n\n")
        self.assertEqual(messages[0].data, "first\nsecond\n third")

    def test_comments_are_skipped(self):
        parser = SseParser()
        messages = parser.feed(": keep-alive\n\n: this instance is shutting down; reconnect\ndata: x\n\n")
        self.assertEqual(messages, [SseMessage(None, "message", "x")])

    def test_retry_sets_the_delay_and_ignores_non_digits(self):
        parser = SseParser()
        parser.feed("retry: 250\n: bye\n\n")
        self.assertEqual(parser.retry_ms, 250)
        parser.feed("retry: soon\n\nretry: -5\n\n")
        self.assertEqual(parser.retry_ms, 250)

    def test_message_without_data_is_dropped_but_its_id_counts(self):
        parser = SseParser()
        self.assertEqual(parser.feed("id: 9\nevent: ping\n\n"), [])
        self.assertEqual(parser.last_event_id, "9")
        self.assertEqual(parser.feed("data: y\n\n"), [SseMessage("9", "message", "y")])

    def test_empty_data_line_is_data(self):
        self.assertEqual(SseParser().feed("data\n\n"), [SseMessage(None, "message", "")])

    def test_event_type_resets_after_each_message(self):
        messages = SseParser().feed("event: a\ndata: 1\n\ndata: 2\n\n")
        self.assertEqual([m.event for m in messages], ["a", "message"])

    def test_unknown_fields_and_ids_with_nul_are_ignored(self):
        parser = SseParser()
        messages = parser.feed("id: 4\n\nfoo: bar\nid: a\0b\ndata: z\n\n")
        self.assertEqual(messages, [SseMessage("4", "message", "z")])


if __name__ == "__main__":
    unittest.main()

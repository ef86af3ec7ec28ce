"""The Backfill API over HTTP: JSON calls with an API key, signed transfers without it, and the live event stream."""

from __future__ import annotations

import codecs
import http.client
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any, BinaryIO, Callable, Dict, Iterator, List, Mapping, Optional

from backfill._version import __version__
from backfill.files import CHUNK_BYTES, safe_output_path, sha256_file, write_verified
from backfill.spec import resolve_spec
from backfill.sse import SseParser

USER_AGENT = f"backfill-python/{__version__}"
TERMINAL_STATES = frozenset({"succeeded", "failed", "cancelled", "out_of_budget"})
DEFAULT_RETRY_MS = 2_000
MAX_CONNECT_FAILURES = 5
STREAM_IDLE_TIMEOUT = 60  # seconds; the server sends a keep-alive comment every 15 s

Json = Dict[str, Any]


class ApiError(Exception):
    """A refusal of the API (`{"error": {"code", "message", "fields"?}}`), or status 0 / code `network`."""

    def __init__(self, status: int, code: str, message: str, fields: Optional[List[Json]] = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields

    def __str__(self) -> str:
        return f"HTTP {self.status} {self.code}: {self.message}" if self.status else self.message

    @classmethod
    def from_body(cls, status: int, body: bytes, reason: str = "") -> "ApiError":
        """From an answer's status and body: the API's error shape, or else its text."""
        text = body.decode("utf-8", errors="replace").strip()
        try:
            error = json.loads(text)["error"]
            return cls(status, str(error["code"]), str(error["message"]), error.get("fields"))
        except (ValueError, TypeError, KeyError):
            return cls(status, "error", text[:200] or reason or "no details")


def _network_error(url: str, error: BaseException) -> ApiError:
    parts = urllib.parse.urlsplit(url)
    reason = getattr(error, "reason", None) or str(error) or type(error).__name__
    return ApiError(0, "network", f"could not reach {parts.scheme}://{parts.netloc}{parts.path} ({reason})")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are answered, not followed: a redirect must not carry the API key to another host."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _query(params: Mapping[str, Any]) -> Dict[str, str]:
    """Query values as the API reads them: lists comma-joined, booleans `true`/`false`, None left out."""
    out = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        out[key] = str(value)
    return out


def _camel(name: str) -> str:
    """A Python keyword as the API's query parameter: `min_gpus` → `minGpus`."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _chunks(response: Any, url: str) -> Iterator[bytes]:
    """The body as it arrives; a broken connection becomes a network ApiError."""
    try:
        while True:
            chunk = response.read1(CHUNK_BYTES)
            if not chunk:
                return
            yield chunk
    except (OSError, http.client.HTTPException) as error:
        raise _network_error(url, error) from None


@contextmanager
def _signed_transfer(
    method: str, url: str, headers: Mapping[str, str], body: Optional[BinaryIO], timeout: float
) -> Iterator[http.client.HTTPResponse]:
    """One request to a self-authorising signed URL with exactly `headers` (no API key), answered 2xx."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ApiError(0, "network", f"not an http(s) URL: {url}")
    connection_type = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_type(parts.netloc, timeout=timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        try:
            connection.request(method, target, body=body, headers=dict(headers))
            response = connection.getresponse()
        except (OSError, http.client.HTTPException) as error:
            raise _network_error(url, error) from None
        if not 200 <= response.status < 300:
            raise ApiError.from_body(response.status, response.read(), response.reason)
        yield response
    finally:
        connection.close()


class Client:
    """The Backfill API with an API key (`bfk_…`). Without a key only the public calls work (offers, quote)."""

    def __init__(self, api_url: str, api_key: Optional[str], timeout: float = 30) -> None:
        self.api_url = api_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def session(self) -> Json:
        return self._json("GET", "/api/v1/auth/session")

    def balance(self) -> Json:
        return self._json("GET", "/api/v1/balance")

    def offers(self, **filters: Any) -> Json:
        """One page of offers. Filters, as the API names them in snake_case: gpu and region (str or list),
        min_gpus, min_vram, max_price (USDC per GPU-hour, a decimal such as "2.5"), min_reliability (%),
        verified (bool), verified_within, interconnect, min_bandwidth, min_cpu_cores, min_ram (GB), min_disk (GB),
        min_cuda ("12.4"), sort, order, limit, cursor. The API refuses unknown ones."""
        return self._json("GET", "/api/v1/offers", query={_camel(k): v for k, v in filters.items()})

    def quote(self, spec: Json) -> Json:
        """Matching offers and an estimate for a spec; its inputs play no part, so they are not sent."""
        return self._json("POST", "/api/v1/quotes", body={k: v for k, v in spec.items() if k != "inputs"})

    def request(self, method: str, path: str, *, query: Optional[Mapping[str, Any]] = None,
                body: Optional[Json] = None, headers: Optional[Mapping[str, str]] = None) -> Any:
        """Any operation of the API (see its OpenAPI document): the parsed JSON answer, or the text of a
        non-JSON one (CSV, logs). A non-2xx answer raises ApiError."""
        with self._open(method, path, query=query, body=body, headers=headers) as answer:
            data = answer.read()
            kind = answer.headers.get("Content-Type", "")
        if not data:
            return None
        if "json" in kind:
            return json.loads(data)
        return data.decode("utf-8", errors="replace")

    def upload_file(self, path: str, name: Optional[str] = None) -> Json:
        """Uploads a local file as an input (reserve, PUT the bytes to the signed URL, complete); the stored file.

        An input of yours with the same name and bytes, kept for at least another hour, is returned instead of
        uploading again: a large dataset goes up once, and a launch retried with its idempotency key sends the
        same spec."""
        size = os.path.getsize(path)
        name = name or os.path.basename(path)
        digest = sha256_file(path)
        kept = self._json("GET", "/api/v1/files", query={"kind": "input", "sha256": digest, "limit": 100})
        for stored in kept["items"]:
            if (stored["state"] == "ready" and stored["name"] == name and stored["sizeBytes"] == size
                    and _kept_for_an_hour(stored.get("expiresAt"))):
                return stored
        created = self._json("POST", "/api/v1/files", body={"name": name, "sizeBytes": size, "sha256": digest})
        upload = created["upload"]
        headers = dict(upload["headers"])
        if not any(key.lower() == "content-length" for key in headers):
            headers["Content-Length"] = str(size)
        url = urllib.parse.urljoin(self.api_url + "/", upload["url"])
        with open(path, "rb") as body, _signed_transfer(upload["method"], url, headers, body, self.timeout):
            pass
        return self._json("POST", f"/api/v1/files/{created['file']['id']}/complete", body={})

    def resolve_spec(self, spec: Json, base_dir: str) -> Json:
        """The spec with every `{"path"}` input uploaded (relative to `base_dir`) and replaced by `{"fileId"}`."""
        return resolve_spec(spec, base_dir, self.upload_file)

    def launch(self, spec: Json, idempotency_key: Optional[str] = None) -> Json:
        """Launches a job; retrying with the same idempotency key returns the first job instead of a second."""
        key = idempotency_key or str(uuid.uuid4())
        return self._json("POST", "/api/v1/jobs", body=spec, headers={"Idempotency-Key": key})

    def jobs(self, state: Optional[str] = None, limit: Optional[int] = None, cursor: Optional[str] = None) -> Json:
        return self._json("GET", "/api/v1/jobs", query={"state": state, "limit": limit, "cursor": cursor})

    def job(self, job_id: str) -> Json:
        return self._json("GET", f"/api/v1/jobs/{_segment(job_id)}")

    def cancel(self, job_id: str) -> Json:
        return self._json("POST", f"/api/v1/jobs/{_segment(job_id)}/cancel", body={})

    def logs(self, job_id: str) -> str:
        with self._open("GET", f"/api/v1/jobs/{_segment(job_id)}/logs", headers={"Accept": "text/plain"}) as answer:
            return answer.read().decode("utf-8", errors="replace")

    def events(self, job_id: str, after: int = 0) -> Iterator[Json]:
        """The job's events after `after`, live, forever (stop iterating to end it).

        A dropped or ended stream is resumed after the last event seen (`Last-Event-ID`) once the server's
        `retry:` delay has passed; refusals (4xx) are raised, and so is the fifth failed connection in a row.
        """
        last_id, retry_ms, failures = after, DEFAULT_RETRY_MS, 0
        while True:
            parser = SseParser()
            try:
                response = self._open_stream(job_id, last_id)
            except ApiError as error:
                failures += 1
                if not (error.status == 0 or error.status >= 500) or failures >= MAX_CONNECT_FAILURES:
                    raise
            else:
                failures = 0
                decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
                try:
                    for chunk in _chunks(response, response.geturl()):
                        for message in parser.feed(decoder.decode(chunk)):
                            event = json.loads(message.data)
                            last_id = event["id"]
                            yield event
                except ApiError:
                    pass  # the connection dropped: resume below
                finally:
                    response.close()
                retry_ms = parser.retry_ms if parser.retry_ms is not None else retry_ms
            time.sleep(retry_ms / 1000)

    def watch(self, job_id: str, on_event: Optional[Callable[[Json], None]] = None) -> Json:
        """Follows the job's events until it ends, calling `on_event` for each; returns the finished job."""
        job = self.job(job_id)
        if job["state"] in TERMINAL_STATES:
            return job
        stream = self.events(job_id)
        try:
            for event in stream:
                if on_event:
                    on_event(event)
                if event["type"] in TERMINAL_STATES:
                    break
        finally:
            stream.close()
        return self.job(job_id)

    def outputs(self, job_id: str) -> List[Json]:
        """The job's outputs: `{fileId, name, sizeBytes, sha256}` each."""
        return self.job(job_id)["outputs"]

    def download_outputs(self, job_id: str, dest_dir: str) -> List[str]:
        """Downloads every output into `dest_dir`, each verified by size and sha256; the paths written."""
        outputs = self.outputs(job_id)
        targets = [safe_output_path(dest_dir, output["name"]) for output in outputs]
        os.makedirs(dest_dir, exist_ok=True)
        return [self._download(output, target) for output, target in zip(outputs, targets)]

    def _download(self, output: Json, target: str) -> str:
        path = f"/api/v1/files/{_segment(output['fileId'])}/download"
        with self._open("GET", path, redirect_ok=True) as answer:
            location = answer.headers.get("Location")
            if not location:
                raise ApiError(answer.status, "error", f"expected a redirect to the bytes of {output['name']}")
            url = urllib.parse.urljoin(answer.geturl(), location)
        with _signed_transfer("GET", url, {}, None, self.timeout) as response:
            return write_verified(_chunks(response, url), target, output["sizeBytes"], output["sha256"])

    def _open_stream(self, job_id: str, last_id: int) -> Any:
        headers = {"Accept": "text/event-stream"}
        if last_id > 0:
            headers["Last-Event-ID"] = str(last_id)
        path = f"/api/v1/jobs/{_segment(job_id)}/stream"
        return self._open("GET", path, headers=headers, timeout=max(self.timeout, STREAM_IDLE_TIMEOUT))

    def _json(self, method: str, path: str, **kwargs: Any) -> Json:
        with self._open(method, path, **kwargs) as answer:
            text = answer.read()
        try:
            return json.loads(text)
        except ValueError:
            raise ApiError(answer.status, "error", f"not a JSON answer: {text[:200]!r}") from None

    def _open(self, method: str, path: str, *, query: Optional[Mapping[str, Any]] = None, body: Optional[Json] = None,
              headers: Optional[Mapping[str, str]] = None, timeout: Optional[float] = None,
              redirect_ok: bool = False) -> Any:
        """Sends one API request; a non-2xx answer raises ApiError (a 3xx is returned when `redirect_ok`)."""
        params = _query(query or {})
        url = self.api_url + path + (f"?{urllib.parse.urlencode(params)}" if params else "")
        sent = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if self.api_key:
            sent["Authorization"] = f"Bearer {self.api_key}"
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        request = urllib.request.Request(url, data=data, headers=sent, method=method)
        try:
            return _OPENER.open(request, timeout=timeout or self.timeout)
        except urllib.error.HTTPError as error:
            if redirect_ok and 300 <= error.code < 400:
                return error
            raise ApiError.from_body(error.code, error.read(), error.reason) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            raise _network_error(url, error) from None


def _kept_for_an_hour(expires_at: Optional[str]) -> bool:
    """True when a stored file never expires or expires more than an hour from now."""
    if expires_at is None:
        return True
    moment = datetime.fromisoformat(expires_at.replace("Z", "+00:00"))
    return moment > datetime.now(timezone.utc) + timedelta(hours=1)


def _segment(value: str) -> str:
    """An id as one path segment (so it cannot change the path)."""
    return urllib.parse.quote(str(value), safe="")

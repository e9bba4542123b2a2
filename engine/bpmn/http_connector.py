"""The built-in connector of service tasks: HTTP calls to addresses an administrator allowed.

Service tasks use SpiffArena's format (`spiffworkflow:serviceTaskOperator id="http/GetRequestV2"`
with `url`, `headers`, `params`, `data`, `timeout` parameters, each a Python expression over
the task data). A call is refused unless its URL starts with one of the prefixes in
`SECRETARIAT_CONNECTOR_ALLOWED_URLS` (comma separated; none by default, so nothing is
called), redirects are never followed (they could leave the allowed addresses), answers are
capped in size and time. A call that may succeed later (no answer, unreachable, 429 or 5xx)
is tried again by the timer worker: `SECRETARIAT_CONNECTOR_RETRIES` more times (default 3),
waiting `SECRETARIAT_CONNECTOR_RETRY_SECONDS` (default 30) and twice as long each time.
The result lands in the operator's result variable as
`{"body", "mimetype", "http_status"}`; a failure becomes a BPMN error (`ConnectorError`, with
codes `HTTP_<status>`, `HTTP_TIMEOUT`, `HTTP_UNREACHABLE`, `HTTP_REFUSED`) that an error
boundary event on the task can catch."""
from __future__ import annotations

import json
import os
import socket
import urllib.error
import urllib.parse
import urllib.request

ALLOWED_URLS_VARIABLE = "SECRETARIAT_CONNECTOR_ALLOWED_URLS"
RETRIES_VARIABLE = "SECRETARIAT_CONNECTOR_RETRIES"
RETRY_SECONDS_VARIABLE = "SECRETARIAT_CONNECTOR_RETRY_SECONDS"
METHODS = {"GetRequest": "GET", "PostRequest": "POST", "PutRequest": "PUT", "PatchRequest": "PATCH",
           "DeleteRequest": "DELETE", "HeadRequest": "HEAD"}
OPERATORS = {f"http/{name}{suffix}": method for name, method in METHODS.items() for suffix in ("", "V2")}
DEFAULT_TIMEOUT_SECONDS = 10.0
MAX_TIMEOUT_SECONDS = 30.0
MAX_ANSWER_BYTES = 1024 * 1024


class ConnectorError(Exception):
    """A call that did not give a usable answer; `code` is the BPMN error code."""

    def __init__(self, code: str, message: str, status: int | None = None, body=None):
        super().__init__(message)
        self.code = code
        self.status = status
        self.body = body

    @property
    def transient(self) -> bool:
        """Whether the same call may well succeed later: worth a retry, not a BPMN error yet."""
        return self.code in ("HTTP_TIMEOUT", "HTTP_UNREACHABLE") or self.status == 429 or (self.status or 0) >= 500


def retry_policy() -> tuple[int, float]:
    """(retries after the first attempt, seconds before the first retry); bad values are refused
    by name rather than silently replaced."""
    retries, seconds = os.environ.get(RETRIES_VARIABLE, "3"), os.environ.get(RETRY_SECONDS_VARIABLE, "30")
    try:
        policy = int(retries.strip() or 3), float(seconds.strip() or 30)
    except ValueError:
        raise ValueError(f"{RETRIES_VARIABLE} must be a whole number and {RETRY_SECONDS_VARIABLE} "
                         f"a number of seconds (got {retries!r}, {seconds!r})") from None
    if policy[0] < 0 or policy[1] <= 0:
        raise ValueError(f"{RETRIES_VARIABLE} must be 0 or more and {RETRY_SECONDS_VARIABLE} above 0")
    return policy


def allowed_url_prefixes() -> list[str]:
    """Read here, in one place; the settings object will own it (see the issue note)."""
    raw = os.environ.get(ALLOWED_URLS_VARIABLE, "")
    return [p.strip() for p in raw.replace("\n", ",").split(",") if p.strip()]


def is_allowed(url: str, prefixes: list[str]) -> bool:
    """Same scheme, host and port as a prefix, and a path under the prefix's path."""
    target = urllib.parse.urlsplit(url)
    if target.scheme not in ("http", "https") or target.username or target.password:
        return False
    for prefix in prefixes:
        allowed = urllib.parse.urlsplit(prefix)
        if (allowed.scheme, allowed.hostname, allowed.port) != (target.scheme, target.hostname, target.port):
            continue
        base = allowed.path if allowed.path.endswith("/") or not allowed.path else allowed.path + "/"
        if not allowed.path or target.path == allowed.path or target.path.startswith(base):
            return True
    return False


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the 3xx answer is returned as it is


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


def call(operator: str, params: dict) -> dict:
    """Perform the call `operator` names with evaluated `params`; the result or ConnectorError."""
    method = OPERATORS[operator]
    url = str(params.get("url") or "")
    if not is_allowed(url, allowed_url_prefixes()):
        raise ConnectorError("HTTP_REFUSED", f"the address '{url[:200]}' is not among the addresses an "
                                             f"administrator allowed ({ALLOWED_URLS_VARIABLE})")
    query = params.get("params")
    if isinstance(query, dict) and query:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(query, doseq=True)
    headers = {str(k): str(v) for k, v in (params.get("headers") or {}).items()}
    body = params.get("data", params.get("json"))
    payload = None
    if body is not None and method not in ("GET", "HEAD"):
        payload = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    timeout = min(float(params.get("timeout") or DEFAULT_TIMEOUT_SECONDS), MAX_TIMEOUT_SECONDS)
    request = urllib.request.Request(url, data=payload, headers=headers, method=method)
    try:
        with _OPENER.open(request, timeout=timeout) as answer:
            return _result(answer.status, answer.headers.get_content_type(), answer.read(MAX_ANSWER_BYTES + 1))
    except urllib.error.HTTPError as error:
        mimetype = error.headers.get_content_type() if error.headers else ""
        result = _result(error.code, mimetype, error.read(MAX_ANSWER_BYTES + 1))
        if 300 <= error.code < 400:
            return result
        raise ConnectorError(f"HTTP_{error.code}", f"{method} {url[:200]} answered {error.code}",
                             status=error.code, body=result["body"]) from None
    except (socket.timeout, TimeoutError):
        raise ConnectorError("HTTP_TIMEOUT", f"{method} {url[:200]} gave no answer within {timeout:g} s") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ConnectorError("HTTP_UNREACHABLE", f"{method} {url[:200]} could not be reached: {reason}") from None


def _result(status: int, mimetype: str, raw: bytes) -> dict:
    if len(raw) > MAX_ANSWER_BYTES:
        raise ConnectorError("HTTP_TOO_LARGE", f"the answer is larger than {MAX_ANSWER_BYTES // 1024} KB",
                             status=status)
    text = raw.decode("utf-8", errors="replace")
    try:
        body = json.loads(text) if text else None
    except json.JSONDecodeError:
        body = text
    return {"body": body, "mimetype": mimetype, "http_status": status}

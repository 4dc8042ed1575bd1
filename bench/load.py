"""Load generators: wrk when it is installed, else a Python client; and an exact-count client."""

import http.client
import itertools
import math
import re
import shutil
import subprocess
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

COLD_SCRIPT = Path(__file__).with_name("article_cold.lua")


@dataclass
class Result:
    requests_per_s: float
    p50_ms: float | None
    p99_ms: float | None
    requests: int
    errors: int  # non-2xx answers, socket errors and timeouts

    def as_dict(self):
        return asdict(self)


@dataclass
class Target:
    """What to ask for: one path, or on every request an article id in [first, last] that
    no earlier request of the bench asked for (until all have been: see ``walk``)."""

    path: str = "/"
    first: int | None = None
    last: int | None = None
    # Where the next run's walk starts: each run moves it past what it may have asked for.
    start: int = 0

    @property
    def stride(self) -> int:
        """A step through [first, last] that meets every id once before any comes again."""
        span = self.last - self.first + 1
        stride = max(1, int(span * 0.618))  # far apart: not neighbours, nor one category
        while math.gcd(stride, span) != 1:
            stride += 1
        return stride

    def walk(self, duration: float) -> int:
        """Where a run of ``duration`` seconds starts its walk; the next run starts past the
        requests it can make: a fifth of the ids (a bench makes four runs of a scenario),
        or 5,000 a second if fewer."""
        span = self.last - self.first + 1
        start, self.start = self.start, self.start + min(span // 5, int(duration * 5000))
        return start

    def article(self, position: int) -> str:
        span = self.last - self.first + 1
        return f"/article/{self.first + (position * self.stride) % span}/"


def ensure_wrk(log) -> str | None:
    """wrk's path; installs Debian's package when running as root and it is missing."""
    if path := shutil.which("wrk"):
        return path
    if shutil.which("apt-get") and _is_root():
        log("wrk is missing: installing the Debian package (apt-get install wrk)")
        install = ["apt-get", "install", "-y", "-qq", "wrk"]
        if subprocess.run(install, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], capture_output=True)
            subprocess.run(install, capture_output=True)
    return shutil.which("wrk")


def _is_root() -> bool:
    import os

    return hasattr(os, "geteuid") and os.geteuid() == 0


# wrk ----------------------------------------------------------------------------------

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", value).groups()
    return float(number) * _UNITS_MS[unit]


def parse_wrk(output: str) -> Result:
    """Requests/s, p50 and p99 (from --latency) and the error counts of wrk's report."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+[a-z]+)\s*$", output, re.M))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        # Sync gunicorn workers close every connection, which wrk may report as read errors
        # that lost no request: only refused connections and timeouts count.
        errors += int(match.group(1)) + int(match.group(4))
    if not requests:  # nothing answered within the duration: wrk prints zeros
        percentiles = {}
    return Result(
        requests_per_s=rps,
        p50_ms=_ms(percentiles["50"]) if "50" in percentiles else None,
        p99_ms=_ms(percentiles["99"]) if "99" in percentiles else None,
        requests=requests,
        errors=errors,
    )


def run_wrk(wrk, base_url, target: Target, *, duration, connections, threads, timeout) -> Result:
    command = [
        wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", f"--timeout={timeout}s",
        "--latency",
    ]  # fmt: skip
    if target.first is not None:
        walk = [target.first, target.last, target.walk(duration), target.stride, threads]
        command += ["-s", str(COLD_SCRIPT), base_url, "--", *map(str, walk)]
    else:
        command.append(base_url + target.path)
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + timeout + 30)
    if done.returncode != 0 or "Requests/sec" not in done.stdout:
        raise RuntimeError(f"wrk failed: {done.stdout}\n{done.stderr}")
    return parse_wrk(done.stdout)


# Python fallback ------------------------------------------------------------------------


def _percentile(sorted_values, fraction):
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def run_python(host, port, target: Target, *, duration, connections, timeout) -> Result:
    """Threads with keep-alive connections (reopened when the server closes them)."""
    deadline = time.monotonic() + duration
    latencies, errors, lock = [], [0], threading.Lock()
    positions = itertools.count(target.walk(duration) if target.first is not None else 0)

    def path() -> str:
        return target.path if target.first is None else target.article(next(positions))

    def worker():
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        mine, failed = [], 0
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                conn.request("GET", path())
                response = conn.getresponse()
                response.read()
                ok = 200 <= response.status < 400
            except (OSError, http.client.HTTPException):
                conn.close()
                ok = False
            if ok:
                mine.append((time.monotonic() - started) * 1000)
            else:
                failed += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.monotonic()
    workers = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    total = len(latencies) + errors[0]
    return Result(
        requests_per_s=total / elapsed,
        p50_ms=_percentile(latencies, 0.50),
        p99_ms=_percentile(latencies, 0.99),
        requests=total,
        errors=errors[0],
    )


def send_exactly(host, port, path, count, *, connections=16, timeout=30) -> dict:
    """Send exactly ``count`` GETs from concurrent threads; count the 200 answers."""
    tickets = itertools.count()
    lock = threading.Lock()
    tally = {"sent": 0, "ok": 0, "failed": 0}

    def worker():
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        while True:
            with lock:
                if next(tickets) >= count:
                    break
                tally["sent"] += 1
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                ok = False
            with lock:
                tally["ok" if ok else "failed"] += 1
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tally["seconds"] = round(time.monotonic() - started, 2)
    return tally

"""Benchmark the whole service, with our pipeline and with stock Rasa, in one run.

For each configuration it trains a model on the project's data (timed) and starts the service
exactly as `make run` does (cold start timed to the first answer). With both running, it
drives scripted conversations through the public web API at each concurrency level, on one
configuration and then the other (alternating which goes first), so that both meet this
shared machine in the same state. It samples the memory of every process and the CPU time
each uses per turn, and prints one table per configuration and the ratios between them.

    make bench                       # levels 1, 4, 16, 32; 30 s each; no pause, then 3 s
    .venv/bin/python -m bench.service_bench --levels 1,16 --seconds 10 --skip-stock
    .venv/bin/python -m bench.service_bench --pauses 0,3   # also at a (brisk) human pace

With no pause each virtual person sends their next message the moment the answer arrives, so
16 people keep 16 turns in flight all the time: this measures the service saturated. A pause
of a few seconds (people reading and typing; real people take longer) measures what 16
people chatting at once would see.

Figures come from this machine with the benchmark client on the same cores; compare ratios
between configurations measured in the same run rather than figures between runs.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import requests
from twilio.request_validator import RequestValidator

from bench.flows import FLOWS, SMS, Flow
from bot.settings import PROJECT_ROOT, isolated_env, load_settings
from server.launch import CONFIG, child_env, ensure_detector, train_model

BENCH_DIR = Path(__file__).resolve().parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
TWILIO_TOKEN = "bench-auth-token"  # the service checks each webhook's signature with it
CONFIGS = {"one-front-door": CONFIG, "stock-rasa": BENCH_DIR / "stock_config.yml"}
# Stock Rasa is served as Rasa serves it: its own tracker store and response generator.
ENDPOINTS = {"one-front-door": None, "stock-rasa": BENCH_DIR / "stock_endpoints.yml"}
PROCESS_NAMES = {
    "rasa": "rasa run",
    "actions": "rasa_sdk",
    "web": "server.web",
    "sms_worker": "server.sms_worker",
}


@dataclass
class LevelResult:
    concurrency: int
    think_s: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    cpu_ms_per_turn: dict[str, float] = field(default_factory=dict)  # by service process

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def turns_per_second(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0


@dataclass
class ConfigResult:
    name: str
    training_s: float
    cold_start_s: float
    peak_rss_mb: dict[str, float]
    levels: list[LevelResult]


def service_processes(root_pid: int) -> Iterator[tuple[str, str, str]]:
    """(name, /proc status text, /proc stat line) of the launcher and each process it started."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            status = (proc / "status").read_text()
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            stat = (proc / "stat").read_text()
        except OSError:
            continue
        ppid = int(status.split("PPid:")[1].split()[0])
        if ppid != root_pid and int(proc.name) != root_pid:
            continue
        name = next((n for n, marker in PROCESS_NAMES.items() if marker in cmdline), None)
        yield name or ("launcher" if int(proc.name) == root_pid else "other"), status, stat


def cpu_seconds(root_pid: int) -> dict[str, float]:
    """CPU time (user + system) each service process has used so far."""
    found: dict[str, float] = defaultdict(float)
    for name, _, stat in service_processes(root_pid):
        fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
        found[name] += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return found


class RssSampler(threading.Thread):
    """Peak resident memory of each service process, sampled from /proc every 200 ms."""

    def __init__(self, root_pid: int) -> None:
        super().__init__(daemon=True)
        self.root_pid = root_pid
        self.peak_mb: dict[str, float] = defaultdict(float)
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.2):
            for name, rss in self.sample().items():
                self.peak_mb[name] = max(self.peak_mb[name], rss)

    def sample(self) -> dict[str, float]:
        found: dict[str, float] = defaultdict(float)
        for name, status, _ in service_processes(self.root_pid):
            rss_kb = int(status.split("VmRSS:")[1].split()[0]) if "VmRSS:" in status else 0
            found[name] += rss_kb / 1024
        return found


def send_web(session: requests.Session, web_url: str, message: str) -> bool:
    response = session.post(f"{web_url}/api/chat", json={"message": message}, timeout=30)
    return response.status_code == 200 and all(
        m["kind"] != "unavailable" for m in response.json()["messages"]
    )


def send_sms(session: requests.Session, web_url: str, message: str, sender: str) -> bool:
    """One text as Twilio delivers it: a form POST signed with the account's auth token."""
    url = f"{web_url}/sms/inbound"
    params = {"From": sender, "Body": message, "MessageSid": f"SM{uuid.uuid4().hex}"}
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, params)
    response = session.post(url, data=params, headers={"X-Twilio-Signature": signature},
                            timeout=30)  # fmt: skip
    return response.status_code == 200 and "<Message>" in response.text


def run_flow(session: requests.Session, web_url: str, flow: Flow, result: LevelResult) -> None:
    sender = f"+447700{uuid.uuid4().int % 10**6:06d}"  # Ofcom's range for drama: no one's phone
    for message in flow.messages:
        if result.think_s:  # reading the answer and typing the next message
            time.sleep(random.uniform(0.5, 1.5) * result.think_s)
        started = time.perf_counter()
        try:
            if flow.channel == SMS:
                ok = send_sms(session, web_url, message, sender)
            else:
                ok = send_web(session, web_url, message)
        except requests.RequestException:
            ok = False
        elapsed_ms = (time.perf_counter() - started) * 1000
        if ok:
            result.latencies_ms.append(elapsed_ms)
        else:
            result.errors += 1


def run_level(web_url: str, concurrency: int, think_s: float, seconds: float) -> LevelResult:
    """``concurrency`` virtual people, each starting conversation after conversation, pausing
    about ``think_s`` seconds before each message (0: the next message goes at once)."""
    result = LevelResult(concurrency, think_s)
    deadline = time.monotonic() + seconds
    lock = threading.Lock()

    def person(index: int) -> None:
        own = LevelResult(concurrency, think_s)
        flow_index = index
        while time.monotonic() < deadline:
            with requests.Session() as session:  # a new session is a new conversation
                run_flow(session, web_url, FLOWS[flow_index % len(FLOWS)], own)
            flow_index += 1
        with lock:
            result.latencies_ms.extend(own.latencies_ms)
            result.errors += own.errors

    started = time.monotonic()
    threads = [threading.Thread(target=person, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    return result


@dataclass
class RunningService:
    """One configuration's service, started as `make run` starts it, with what was measured."""

    name: str
    training_s: float
    cold_start_s: float
    launcher: subprocess.Popen
    sampler: RssSampler
    web_url: str
    levels: list[LevelResult] = field(default_factory=list)

    def stop(self) -> ConfigResult:
        self.sampler.stopped.set()
        self.launcher.send_signal(signal.SIGINT)
        self.launcher.wait(timeout=60)
        return ConfigResult(self.name, self.training_s, self.cold_start_s,
                            dict(self.sampler.peak_mb), self.levels)  # fmt: skip


def start(name: str, config: Path, scratch: Path) -> RunningService:
    """Train a model for ``config`` (timed) and start the service on it (timed to the first
    answer), in a private instance on free ports."""
    scratch.mkdir()
    env = {
        **os.environ,
        **isolated_env(
            scratch / "instance",
            OFD_MODELS_DIR=str(scratch / "m"),
            OFD_TWILIO_AUTH_TOKEN=TWILIO_TOKEN,
        ),
    }
    if ENDPOINTS[name]:
        env["OFD_RASA_ENDPOINTS"] = str(ENDPOINTS[name])
    settings = load_settings(env)
    print(f"[{name}] training with {config.name} ...", flush=True)
    started = time.monotonic()
    # A copy: Rasa writes the defaults it chose into a config without a pipeline.
    config_copy = scratch / config.name
    shutil.copyfile(config, config_copy)
    ensure_detector(settings, child_env(settings))  # ours uses it; the web server loads it
    train_model(settings, child_env(settings), config_copy)
    training_s = time.monotonic() - started

    print(f"[{name}] starting the service ...", flush=True)
    started = time.monotonic()
    with open(scratch / "service.log", "wb") as log:  # the service keeps its own copy open
        launcher = subprocess.Popen(
            [sys.executable, "-m", "server.launch"], cwd=PROJECT_ROOT, env=env,
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    sampler = RssSampler(launcher.pid)
    sampler.start()
    web_url = f"http://127.0.0.1:{settings.web_port}"
    try:
        cold_start_s = wait_for_first_answer(web_url, launcher, started)
    except BaseException:
        launcher.kill()
        raise
    return RunningService(name, training_s, cold_start_s, launcher, sampler, web_url)


def measure(
    names: list[str], levels: list[int], thinks: list[float], seconds: float
) -> list[ConfigResult]:
    """Start every configuration, then run each level on each in turn (alternating which goes
    first), so that both meet the machine in the same state; an idle service costs nothing."""
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch, ExitStack() as running:
        services = []
        for name in names:
            service = start(name, CONFIGS[name], Path(scratch) / name)
            running.callback(service.launcher.kill)  # only if the run is cut short
            services.append(service)
        for step, (think_s, level) in enumerate((t, n) for t in thinks for n in levels):
            for service in services if step % 2 == 0 else services[::-1]:
                print(f"[{service.name}] {level} conversations at once, pausing {think_s:g} s, "
                      f"for {seconds:.0f} s", flush=True)  # fmt: skip
                before = cpu_seconds(service.launcher.pid)
                result = run_level(service.web_url, level, think_s, seconds)
                after = cpu_seconds(service.launcher.pid)
                turns = max(len(result.latencies_ms), 1)
                result.cpu_ms_per_turn = {
                    name: (after[name] - before.get(name, 0.0)) * 1000 / turns
                    for name in ("rasa", "web", "actions")
                }
                service.levels.append(result)
        return [service.stop() for service in services]


def wait_for_first_answer(web_url: str, launcher: subprocess.Popen, started: float) -> float:
    while True:
        if launcher.poll() is not None:
            raise RuntimeError("the service stopped before answering")
        try:
            response = requests.post(f"{web_url}/api/chat", json={"message": "hello"}, timeout=5)
            if response.ok and response.json()["messages"][0]["kind"] != "unavailable":
                return time.monotonic() - started
        except requests.RequestException:
            pass
        time.sleep(0.2)


def print_config(result: ConfigResult) -> None:
    rss = ", ".join(f"{k} {v:.0f}" for k, v in sorted(result.peak_rss_mb.items()))
    print(f"\n## {result.name}")
    print(f"training {result.training_s:.1f} s | cold start to first answer "
          f"{result.cold_start_s:.1f} s | peak RSS MB: {rss} | total "
          f"{sum(result.peak_rss_mb.values()):.0f}")  # fmt: skip
    print("| concurrency | pause s | turns | p50 ms | p95 ms | p99 ms | turns/s | errors "
          "| CPU ms/turn: rasa, web, actions |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for level in result.levels:
        cpu = ", ".join(f"{ms:.1f}" for ms in level.cpu_ms_per_turn.values())
        print(f"| {level.concurrency} | {level.think_s:g} | {len(level.latencies_ms)} "
              f"| {level.percentile(0.5):.1f} "
              f"| {level.percentile(0.95):.1f} | {level.percentile(0.99):.1f} "
              f"| {level.turns_per_second:.1f} | {level.errors} | {cpu} |")  # fmt: skip


def print_ratios(ours: ConfigResult, stock: ConfigResult) -> None:
    print("\n## stock-rasa / one-front-door (above 1 means ours is better)")
    print("| concurrency | pause s | p50 | p95 | p99 | turns/s (ours / stock) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for mine, theirs in zip(ours.levels, stock.levels, strict=True):
        print(f"| {mine.concurrency} | {mine.think_s:g} "
              f"| {theirs.percentile(0.5) / mine.percentile(0.5):.2f} "
              f"| {theirs.percentile(0.95) / mine.percentile(0.95):.2f} "
              f"| {theirs.percentile(0.99) / mine.percentile(0.99):.2f} "
              f"| {mine.turns_per_second / max(theirs.turns_per_second, 1e-9):.2f} |")  # fmt: skip
    print(f"| training | {stock.training_s / ours.training_s:.2f} | cold start "
          f"| {stock.cold_start_s / ours.cold_start_s:.2f} | memory "
          f"{sum(stock.peak_rss_mb.values()) / sum(ours.peak_rss_mb.values()):.2f} |")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="1,4,16,32")
    parser.add_argument("--seconds", type=float, default=30.0, help="per concurrency level")
    parser.add_argument("--pauses", default="0", help="seconds each person pauses before "
                        "each message, e.g. 0,3: 0 sends the next message at once")  # fmt: skip
    parser.add_argument("--skip-stock", action="store_true", help="measure our config only")
    args = parser.parse_args(argv)
    levels = [int(n) for n in args.levels.split(",")]
    thinks = [float(s) for s in args.pauses.split(",")]
    names = ["one-front-door"] + ([] if args.skip_stock else ["stock-rasa"])
    results = {r.name: r for r in measure(names, levels, thinks, args.seconds)}
    for result in results.values():
        print_config(result)
    if "stock-rasa" in results:
        print_ratios(results["one-front-door"], results["stock-rasa"])
    return 0


if __name__ == "__main__":
    sys.exit(main())

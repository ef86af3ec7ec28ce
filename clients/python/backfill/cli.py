"""The `backfill` command line: the same verbs, flags, output and exit codes as the TypeScript CLI."""

from __future__ import annotations

import argparse
import getpass
import math
import os
import sys
from typing import Any, Callable, Dict, List, Optional

from backfill._version import __version__
from backfill.client import TERMINAL_STATES, ApiError, Client
from backfill.config import ConfigError, config_path, load_config, require_key, resolve, save_config
from backfill.output import compact_json, event_lines, fixed, percent, pretty_json, table, usdc
from backfill.spec import load_spec

Json = Dict[str, Any]


def main(argv: Optional[List[str]] = None) -> int:
    """Runs one verb; 0 on success, 1 on an API, network, config or file error, 2 on a usage error."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ApiError as error:
        hint = " (is the key revoked? run backfill login)" if error.status == 401 else ""
        return _fail(f"{error}{hint}")
    except (ConfigError, ValueError) as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"{error.filename}: {error.strerror}" if error.filename else str(error))
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--api-url", metavar="URL", default=argparse.SUPPRESS, help="the marketplace's URL")
    common.add_argument("--json", action="store_true", help="print the API's JSON instead of text")

    parser = argparse.ArgumentParser(
        prog="backfill",
        description="Rent GPUs on the Backfill marketplace.",
        epilog="The API URL: --api-url, else $BACKFILL_API_URL, the saved one, or http://localhost:3000. The key: "
        "$BACKFILL_API_KEY, else the one `backfill login` saved. A spec file is a JobSpec as JSON; an input may "
        'be {"path": "..."}, a local file uploaded first.',
    )
    parser.add_argument("--api-url", metavar="URL", help="the marketplace's URL")
    parser.add_argument("--version", action="version", version=f"backfill {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    def verb(name: str, run: Callable[[argparse.Namespace], int], text: str, *positionals: str) -> Any:
        sub = verbs.add_parser(name, help=text, description=text, parents=[common])
        for positional in positionals:
            sub.add_argument(positional.lower(), metavar=positional)
        sub.set_defaults(run=run)
        return sub

    login = verb("login", cmd_login, "save an API key (from --key, $BACKFILL_API_KEY or stdin) after checking it")
    login.add_argument("--key", help="the API key")
    verb("logout", cmd_logout, "forget the saved API key")
    offers = verb("offers", cmd_offers, "GPUs for rent now")
    offers.add_argument("--gpu", metavar="ID", action="append", help="a GPU model, e.g. h100-80gb (repeatable)")
    offers.add_argument("--region", metavar="R", action="append", help="a region (repeatable)")
    offers.add_argument("--min-gpus", metavar="N", type=_positive_int, help="at least N free GPUs on the node")
    offers.add_argument("--max-price", metavar="USDC", help="at most this per GPU-hour, e.g. 2.5")
    offers.add_argument("--min-cpu-cores", metavar="N", type=_positive_int, help="at least N CPU cores on the host")
    offers.add_argument("--min-ram", metavar="GB", type=_positive_int, help="at least this much host RAM")
    offers.add_argument("--min-disk", metavar="GB", type=_positive_int, help="at least this much free disk")
    offers.add_argument("--min-cuda", metavar="X.Y", help="at least this CUDA version, e.g. 12.4")
    offers.add_argument("--verified", action="store_true", help="only nodes whose hardware is verified")
    offers.add_argument("--sort", metavar="KEY", help="price, price_per_work, reliability, vram, free_gpus, bandwidth, cpu_cores, ram, disk or cuda")
    offers.add_argument("--limit", metavar="N", type=_positive_int, help="at most N offers")
    verb("quote", cmd_quote, "what a job spec would cost and where it would run", "SPEC")
    launch = verb("launch", cmd_launch, "upload the spec's local inputs and launch it (--watch to follow it)", "SPEC")
    launch.add_argument("--watch", action="store_true", help="then follow the job until it ends")
    launch.add_argument("--idempotency-key", metavar="K", help="launch at most once per key")
    jobs = verb("jobs", cmd_jobs, "your jobs, newest first")
    jobs.add_argument("--state", metavar="S", help="a job state, active or finished")
    jobs.add_argument("--limit", metavar="N", type=_positive_int, help="at most N jobs")
    verb("job", cmd_job, "one job's state, progress and charges", "ID")
    verb("watch", cmd_watch, "follow a job live until it ends (exit 0 when it succeeded)", "ID")
    verb("logs", cmd_logs, "a job's log", "ID")
    outputs = verb("outputs", cmd_outputs, "a job's outputs; --download DIR fetches and verifies them", "ID")
    outputs.add_argument("--download", metavar="DIR", help="download them, verified, into DIR")
    verb("cancel", cmd_cancel, "stop a job; you pay for the work done", "ID")
    return parser


def cmd_login(args: argparse.Namespace) -> int:
    api_url = resolve(args.api_url).api_url
    key = (args.key or os.environ.get("BACKFILL_API_KEY") or _read_key()).strip()
    if not key:
        print("backfill: login needs a key: --key, $BACKFILL_API_KEY or one line on stdin", file=sys.stderr)
        return 2
    try:
        account = Client(api_url, key).session().get("account")
    except ApiError as error:
        return _fail(f"that key was refused: {error}")
    if not account:
        return _fail("that key was refused: it is unknown or revoked")
    path = config_path()
    save_config(path, {**load_config(path), "apiUrl": api_url, "apiKey": key})
    return _print(f"Signed in to {api_url} as {account['address']}")


def cmd_logout(args: argparse.Namespace) -> int:
    path = config_path()
    stored = load_config(path)
    stored.pop("apiKey", None)
    save_config(path, stored)
    return _print("Signed out.")


def cmd_offers(args: argparse.Namespace) -> int:
    page = _client(args, public=True).offers(
        gpu=args.gpu,
        region=args.region,
        min_gpus=args.min_gpus,
        max_price=args.max_price,
        min_cpu_cores=args.min_cpu_cores,
        min_ram=args.min_ram,
        min_disk=args.min_disk,
        min_cuda=args.min_cuda,
        verified=True if args.verified else None,
        sort=args.sort,
        limit=args.limit,
    )
    if args.json:
        return _print(pretty_json(page))
    if not page["data"]:
        return _print("No offers match.")
    rows = [
        [o["nodeId"][:8], o["gpuModel"], f"{o['freeGpus']}/{o['gpuCount']}", o["region"], usdc(o["priceMicros"]),
         percent(o["reliability"]), _yes(o["verified"])]
        for o in page["data"]
    ]
    return _print(table(["NODE", "GPU", "FREE", "REGION", "PRICE/GPU-H", "UPTIME", "VERIFIED"], rows))


def cmd_quote(args: argparse.Namespace) -> int:
    quote = _client(args, public=True).quote(load_spec(args.spec))
    if args.json:
        return _print(pretty_json(quote))
    print(f"{quote['matchingOffers']} matching offer(s) now.")
    estimate = quote["estimate"]
    if not estimate:
        return 0
    print(
        f"Estimate: {_hours(estimate['hoursMin'])} to {_hours(estimate['hoursMax'])}, "
        f"{usdc(estimate['costMinMicros'])} to {usdc(estimate['costMaxMicros'])}"
    )
    rows = [
        [o["nodeId"][:8], o["gpuModel"], o["region"], usdc(o["priceMicros"]), fixed(o["estimatedHours"], 2),
         usdc(o["estimatedCostMicros"]), _yes(o["verified"])]
        for o in quote["options"]
    ]
    return _print(table(["NODE", "GPU", "REGION", "PRICE/GPU-H", "HOURS", "EXPECTED COST", "VERIFIED"], rows))


def cmd_launch(args: argparse.Namespace) -> int:
    client = _client(args)
    spec = client.resolve_spec(load_spec(args.spec), os.path.dirname(os.path.abspath(args.spec)))
    job = client.launch(spec, args.idempotency_key)
    if args.json and not args.watch:
        return _print(pretty_json(job))
    print(f"Launched job {job['id']} ({job['name']}): {job['state']}", flush=True)
    return _watch(client, job["id"], args.json) if args.watch else 0


def cmd_jobs(args: argparse.Namespace) -> int:
    page = _client(args).jobs(state=args.state, limit=args.limit)
    if args.json:
        return _print(pretty_json(page))
    if not page["items"]:
        return _print("No jobs yet.")
    rows = [[j["id"], j["name"], j["state"], _floor_percent(j["progress"]), usdc(j["chargedMicros"])]
            for j in page["items"]]
    return _print(table(["ID", "NAME", "STATE", "PROGRESS", "CHARGED"], rows))


def cmd_job(args: argparse.Namespace) -> int:
    job = _client(args).job(args.id)
    return _print(pretty_json(job) if args.json else describe_job(job))


def describe_job(job: Json) -> str:
    attempt = job.get("currentAttempt") or (job["attempts"][-1] if job.get("attempts") else None)
    node = "not placed yet"
    if attempt:
        node = (f"{attempt['nodeName']} ({attempt['gpuModel']}, {attempt['region']}) at "
                f"{usdc(attempt['pricePerGpuHourMicros'])}/GPU-hour")
    rows = [
        ("Job", f"{job['id']}  {job['name']}"),
        ("State", job["state"] + (f" ({job['stateReason']})" if job.get("stateReason") else "")),
        ("Progress",
         f"{_floor_percent(job['progress'])} ({job['progressUnits']} of {job['workUnits']} {job['unit']})"),
        ("Charged", f"{usdc(job['chargedMicros'])} of a {usdc(job['budgetMicros'])} budget"),
        ("Node", node),
        ("Outputs", str(len(job["outputs"]))),
    ]
    return "\n".join(f"{label:<9} {value}" for label, value in rows)


def cmd_watch(args: argparse.Namespace) -> int:
    return _watch(_client(args), args.id, args.json)


def cmd_logs(args: argparse.Namespace) -> int:
    text = _client(args).logs(args.id)
    return _print(text[:-1] if text.endswith("\n") else text)


def cmd_outputs(args: argparse.Namespace) -> int:
    client = _client(args)
    if args.download:
        written = client.download_outputs(args.id, args.download)
        return _print(f"Downloaded {len(written)} file(s) to {args.download}")
    job = client.job(args.id)
    outputs = job["outputs"]
    if args.json:
        return _print(pretty_json(outputs))
    if not outputs:
        finished = job["state"] in TERMINAL_STATES
        return _print("This job wrote no outputs." if finished else f"No outputs yet ({job['state']}).")
    return _print(table(["NAME", "SIZE", "SHA256"], [[o["name"], o["sizeBytes"], o["sha256"]] for o in outputs]))


def cmd_cancel(args: argparse.Namespace) -> int:
    job = _client(args).cancel(args.id)
    return _print(f"Cancel requested for job {job['id']}: {job['state']}")


def _watch(client: Client, job_id: str, as_json: bool) -> int:
    """Prints the job's events until it ends (as JSON lines with --json); 0 when it succeeded, else 1."""

    def show(event: Json) -> None:
        for line in [compact_json(event)] if as_json else event_lines(event):
            print(line, flush=True)

    final = client.watch(job_id, on_event=show)
    if not as_json:
        print(f"Job {final['id']} {final['state']}")
    return 0 if final["state"] == "succeeded" else 1


def _client(args: argparse.Namespace, public: bool = False) -> Client:
    """The client with the resolved URL and key; `public` verbs (offers, quote) may go without a key."""
    settings = resolve(args.api_url)
    return Client(settings.api_url, settings.api_key if public else require_key(settings))


def _read_key() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("API key: ")
    return sys.stdin.readline()


def _positive_int(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return int(text)


def _hours(hours: float) -> str:
    return f"{math.floor(hours * 60 + 0.5)} min" if hours < 1 else f"{fixed(hours, 1)} h"


def _floor_percent(fraction: float) -> str:
    return f"{math.floor(fraction * 100)}%"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _print(text: str) -> int:
    print(text)
    return 0


def _fail(message: str) -> int:
    print(f"backfill: {message}", file=sys.stderr)
    return 1

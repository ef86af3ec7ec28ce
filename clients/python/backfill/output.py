"""How the CLI prints: money, tables and one-line event summaries."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Dict, List, Optional, Sequence, Union

MICROS_PER_CENT = 10_000


def usdc(micros: Union[str, int, None]) -> str:
    """Integer micro-USDC as dollars: `$1,234.57` (half-up), or below one cent to 4 significant digits (`$0.004521`)."""
    if micros is None or micros == "":
        return "\u2014"
    value = int(micros)
    sign = "-" if value < 0 else ""
    value = abs(value)
    if 0 < value < MICROS_PER_CENT:
        # At most four digits are left below a cent, so this is exact.
        return f"{sign}${Decimal(value).scaleb(-6):f}".rstrip("0")
    cents = (value + MICROS_PER_CENT // 2) // MICROS_PER_CENT
    return f"{sign}${cents // 100:,}.{cents % 100:02d}"


def fixed(value: float, digits: int) -> str:
    """`value` with `digits` decimals, its exact value rounded half up (as JavaScript's toFixed does)."""
    return str(Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def percent(fraction: float) -> str:
    return f"{fixed(fraction * 100, 1)}%"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain table: left-aligned columns two spaces apart."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells)


def pretty_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def clock(iso: Optional[str]) -> str:
    """An ISO timestamp as HH:MM:SS in UTC (now, when it is missing or unreadable)."""
    try:
        moment = datetime.fromisoformat(str(iso).replace("Z", "+00:00")).astimezone(timezone.utc)
    except ValueError:
        moment = datetime.now(timezone.utc)
    return moment.strftime("%H:%M:%S")


def event_lines(event: Dict[str, Any]) -> List[str]:
    """The lines `backfill watch` prints for an event, `HH:MM:SS <type> <summary>`: one per event, one per log
    line for a log event, none for telemetry (it comes with every heartbeat)."""
    prefix = f"{clock(event.get('createdAt'))} {event.get('type')}"
    return [f"{prefix} {text}" if text else prefix for text in _summaries(event.get("type"), event.get("data") or {})]


def _summaries(kind: Any, data: Dict[str, Any]) -> List[str]:
    get = data.get
    if kind == "telemetry":
        return []
    if kind == "log":
        return [str(line.get("text", "")) for line in get("lines") or [] if isinstance(line, dict)]
    if kind == "progress":
        return [f"{get('progressUnits')} units"]
    if kind == "checkpoint":
        return [f"kept at {get('units')} units"]
    if kind == "scheduled":
        where = f"{get('nodeName')} ({get('gpuModel')}, {get('region')})"
        return [f"on {where} at {usdc(get('pricePerGpuHourMicros'))}/GPU-hour"]
    if kind == "charged":
        return [f"{usdc(get('chargedMicros'))} (total {usdc(get('totalChargedMicros'))})"]
    if kind == "attempt_ended":
        return [f"attempt {get('attempt')} {get('state')}" + (f": {get('reason')}" if get("reason") else "")]
    if kind == "requeued":
        return [f"{get('reason')}; resuming from {get('resumeFromUnits')} units"]
    if kind in ("succeeded", "failed", "cancelled", "out_of_budget"):
        reason = f"{get('reason')}; " if get("reason") else ""
        return [f"{reason}charged {usdc(get('chargedMicros'))}, released {usdc(get('releasedMicros'))}"]
    text = compact_json(data)
    return ["" if text == "{}" else text if len(text) <= 120 else text[:119] + "\u2026"]

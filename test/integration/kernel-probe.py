"""
Runs cells on the project's tslab kernel the way JupyterLab's "Run All" does (every execute
request sent at once) and prints what the kernel said, in order of arrival, as JSON: one event per
message, {"t": seconds since the first request, "channel": "iopub" | "shell", "type": msg_type,
"cell": index of the cell it answers, "state": execution_state, "count": execution_count,
"text": stream text}. Used by test/integration/tslab-patch.test.ts; needs the project's .venv
(jupyter_client) and JUPYTER_PATH pointing at its kernels (scripts/setup.js jupyterEnv()).

Display messages also carry "display_id" and "plain" (their text/plain). With {"cells": [...],
"interrupt": {"cell": i, "after": s}} (or a list of them) as input, the kernel is interrupted (SIGINT, as JupyterLab's
stop button does) s seconds after cell i starts; with "sequential": true each cell is sent when the
one before it has replied (as running cells one by one does: a failed cell stops no later one).

Usage: python kernel-probe.py < cells.json      (a JSON list of cell sources, or the object above)
"""
import json
import queue
import sys
import time

from jupyter_client.manager import start_new_kernel

given = json.load(sys.stdin)
cells = given["cells"] if isinstance(given, dict) else given
interrupt = given.get("interrupt") if isinstance(given, dict) else None
interrupts = {entry["cell"]: entry["after"] for entry in ([interrupt] if isinstance(interrupt, dict) else interrupt or [])}
sequential = bool(given.get("sequential")) if isinstance(given, dict) else False
km, kc = start_new_kernel(kernel_name="tslab", startup_timeout=120)
try:
    started = time.monotonic()
    ids = {kc.execute(code): i for i, code in enumerate(cells[:1] if sequential else cells)}
    events = []
    idle, replies = set(), set()
    deadline = started + 300
    interrupt_at = None
    while (len(idle) < len(cells) or len(replies) < len(cells)) and time.monotonic() < deadline:
        if interrupt_at is not None and time.monotonic() >= interrupt_at:
            interrupt_at = None
            km.interrupt_kernel()
            events.append({"t": round(time.monotonic() - started, 3), "channel": "probe", "type": "interrupt"})
        ready = [(name, channel) for name, channel in (("iopub", kc.iopub_channel), ("shell", kc.shell_channel)) if channel.msg_ready()]
        if not ready:
            time.sleep(0.005)
            continue
        for channel, source in ready:
            msg = source.get_msg(timeout=1)
            cell = ids.get(msg["parent_header"].get("msg_id"))
            if cell is None:
                continue
            content = msg["content"]
            event = {"t": round(time.monotonic() - started, 3), "channel": channel, "type": msg["msg_type"], "cell": cell}
            if msg["msg_type"] == "execute_input" and cell in interrupts:
                interrupt_at = time.monotonic() + interrupts[cell]
            if "data" in content:
                event["plain"] = content["data"].get("text/plain")
                event["display_id"] = content.get("transient", {}).get("display_id")
            if "execution_state" in content:
                event["state"] = content["execution_state"]
                if content["execution_state"] == "idle":
                    idle.add(cell)
            if "execution_count" in content:
                event["count"] = content["execution_count"]
            if "text" in content:
                event["text"] = content["text"]
            if channel == "shell":
                replies.add(cell)
                if sequential and cell + 1 < len(cells):
                    if content.get("status") != "ok":
                        time.sleep(0.4)  # tslab aborts every request in the 200 ms after a failed cell
                    ids[kc.execute(cells[cell + 1])] = cell + 1
                event["status"] = content.get("status")
            events.append(event)
    print(json.dumps(events))
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)

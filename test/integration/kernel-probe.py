"""
Runs cells on the project's tslab kernel the way JupyterLab's "Run All" does (every execute
request sent at once) and prints what the kernel said, in order of arrival, as JSON: one event per
message, {"t": seconds since the first request, "channel": "iopub" | "shell", "type": msg_type,
"cell": index of the cell it answers, "state": execution_state, "count": execution_count,
"text": stream text}. Used by test/integration/tslab-patch.test.ts; needs the project's .venv
(jupyter_client) and JUPYTER_PATH pointing at its kernels (scripts/setup.js jupyterEnv()).

Usage: python kernel-probe.py < cells.json      (a JSON list of cell sources)
"""
import json
import queue
import sys
import time

from jupyter_client.manager import start_new_kernel

cells = json.load(sys.stdin)
km, kc = start_new_kernel(kernel_name="tslab", startup_timeout=120)
try:
    started = time.monotonic()
    ids = {kc.execute(code): i for i, code in enumerate(cells)}
    events = []
    idle, replies = set(), set()
    deadline = started + 300
    while (len(idle) < len(cells) or len(replies) < len(cells)) and time.monotonic() < deadline:
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
                event["status"] = content.get("status")
            events.append(event)
    print(json.dumps(events))
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)

#!/usr/bin/env python3
"""Markdown tables of where the CPU went in a perf recording of the running system (scripts/profile-w1.sh).

Processes are named by the code on their stacks (TaskEvents.Gateway, TaskEvents.Api, the harness, postgres). Each
sample is charged to the component nearest its leaf: the first frame, leaf first, that matches a component below;
a sample whose stack has none is charged to its system call (loopback sends run the receiver's TCP work too) or to
the runtime.

    scripts/profile-report.py PERF_DATA
"""
import collections
import os
import re
import subprocess
import sys

DOTNET_COMPONENTS = [
    ("JWT validation", r"JwtBearer|IdentityModel|CachingTokenHandler"),
    ("gateway fan-out (hubs, sessions)", r"TaskEvents\.Gateway\.FanOut"),
    ("gateway proxy middleware", r"TaskEvents\.Gateway\.(Proxy|LoadBalancing|Security|RateLimiting)"),
    ("YARP forwarding", r"Yarp\."),
    ("HTTP client", r"System\.Net\.Http\b"),
    ("append writer and store", r"TaskEvents\.Api\.Storage"),
    ("change feed and streaming", r"TaskEvents\.Api\.(ChangeFeed|Streaming)"),
    ("Api endpoints", r"TaskEvents\.Api\.(Apis|Wire|Events)"),
    ("Npgsql", r"\bNpgsql"),
    ("harness", r"TaskEvents\.LoadTests|TaskEvents\.Client|ServerSentEvents"),
    ("Kestrel HTTP/2", r"Kestrel[\w.]*Http2|Http2\w*`"),
    ("Kestrel (HTTP/1.1, shared request code)", r"Kestrel"),
    ("ASP.NET Core middleware", r"Microsoft\.AspNetCore\."),
    ("OpenTelemetry and metrics", r"OpenTelemetry|Diagnostics\.Metrics"),
    ("JSON", r"System\.Text\.Json"),
    ("pipes", r"System\.IO\.Pipelines"),
    ("sockets", r"System\.Net\.Sockets"),
    ("thread pool and async", r"ThreadPool|ExecutionContext|AsyncTaskMethodBuilder|AsyncMethodBuilderCore|Tasks\.Task"),
    ("runtime (GC, stubs, JIT)", r"libcoreclr|libclrjit|stub "),
]

POSTGRES_COMPONENTS = [
    ("commit: WAL flush (fdatasync)", r"XLogFlush|fdatasync"),
    ("NOTIFY delivery", r"ProcessNotifyInterrupt|Async_Notify|AtCommit_Notify|PreCommit_Notify|pg_notify"),
    ("index insert and lookup", r"\b_?bt\w+|btinsert|btgettuple|index_"),
    ("executor start (plans of append_events)", r"ExecutorStart|ExecInit"),
    ("append_events execution", r"plpgsql|SPI_|Exec\w+|standard_Executor"),
    ("commit", r"CommitTransaction"),
    ("client protocol", r"secure_read|secure_write|pq_\w+|PostgresMain"),
]

PROCESSES = [("gateway", r"TaskEvents\.Gateway"), ("Api", r"TaskEvents\.Api"), ("harness", r"TaskEvents\.LoadTests")]


def samples(perf_data):
    text = subprocess.run(["perf", "script", "-i", perf_data, "-F", "pid,comm,ip,sym,dso"],
                          capture_output=True, text=True, check=True).stdout
    for block in text.split("\n\n"):
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        if not lines:
            continue
        head = re.match(r"(.*?)\s+(\d+)\s*$", lines[0])
        if head:
            yield int(head.group(2)), head.group(1), lines[1:]


def component(stack, components):
    for frame in stack:
        for name, pattern in components:
            if re.search(pattern, frame):
                return name
    calls = [m.group(1) for frame in stack for m in [re.search(r"__x64_sys_(\w+)", frame)] if m]
    return f"system call: {calls[-1]}" if calls else "kernel and other"


def main():
    if len(sys.argv) != 2 or not os.path.exists(sys.argv[1]):
        sys.exit(__doc__)
    by_pid = collections.defaultdict(list)
    for pid, comm, stack in samples(sys.argv[1]):
        by_pid[pid].append((comm, stack))
    total = sum(len(s) for s in by_pid.values())
    cores = os.cpu_count() or 1

    def kind(pid, rows):
        if pid == 0:
            return "idle"
        text = "\n".join(frame for _, stack in rows[:400] for frame in stack)
        if any(comm == "postgres" for comm, _ in rows[:5]):
            return "PostgreSQL"
        hits = [(len(re.findall(pattern, text)), name) for name, pattern in PROCESSES]
        best = max(hits)
        return best[1] if best[0] > 0 else "other"

    groups = collections.defaultdict(list)
    for pid, rows in by_pid.items():
        groups[kind(pid, rows)].append((pid, rows))

    print(f"{total} samples over {cores} CPUs\n")
    print("| process | % of the machine | % of one core |")
    print("| --- | --- | --- |")
    order = sorted(groups, key=lambda g: -sum(len(r) for _, r in groups[g]))
    for name in order:
        count = sum(len(rows) for _, rows in groups[name])
        label = f"{name} ×{len(groups[name])}" if name == "Api" and len(groups[name]) > 1 else name
        print(f"| {label} | {100 * count / total:.1f} | {100 * cores * count / total:.1f} |")

    for name in ["gateway", "Api", "PostgreSQL", "harness"]:
        rows = [row for _, rs in groups.get(name, []) for row in rs]
        if not rows:
            continue
        components = POSTGRES_COMPONENTS if name == "PostgreSQL" else DOTNET_COMPONENTS
        counts = collections.Counter(component(stack, components) for _, stack in rows)
        print(f"\n**{name}** ({len(rows)} samples; % of its own CPU, % of one core)\n")
        print("| component | % | % of a core |")
        print("| --- | --- | --- |")
        for part, count in counts.most_common(14):
            print(f"| {part} | {100 * count / len(rows):.1f} | {100 * cores * count / total:.1f} |")


if __name__ == "__main__":
    main()

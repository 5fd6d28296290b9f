#!/usr/bin/env python3
"""Time from JVM launch to the app's first HTTP 2xx, with and without agents, alternated (issue 7's start-up goal).

    bench/startup.py                                  5 rounds: no agent, then Vigil, in turn, on the orders service
    bench/startup.py --rounds 9 --mode none= --mode vigil=-javaagent:agent/target/vigil-agent.jar=service.name=orders
    bench/startup.py --mode old=-javaagent:/tmp/old.jar=... --mode new=-javaagent:agent/target/vigil-agent.jar=...
    bench/startup.py --threads ...                    also the CPU time of each group of threads at the first 2xx

Each mode is NAME=JVM-OPTIONS (space-separated; empty for no agent). Every round starts each mode once, in order,
polls the URL every 10 ms from this process (no process spawned per poll), stops the JVM at the first 2xx, and
prints per-mode medians (min-max) of the wall time and of the JVM's CPU time (user + system) to that 2xx, and the
difference of each median to the first mode's. On a shared machine the CPU time is the steadier of the two.
"""
import argparse
import os
import re
import shlex
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VIGIL = ("-javaagent:agent/target/vigil-agent.jar=service.name=orders,otlp.endpoint=http://127.0.0.1:14318,"
         "traces.sampler=always_on,metrics.exporter=otlp,prometheus.port=0")


def stat_cpu_seconds(path):
    """User + system CPU from a /proc stat file (a process's or one of its threads')."""
    with open(path) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User + system CPU of the process so far (Linux): less sensitive than wall time to a busy shared machine."""
    return stat_cpu_seconds("/proc/%d/stat" % pid)


def thread_cpu_seconds(pid):
    """CPU of each group of threads so far, by name with digits dropped: the JIT's compiler threads, main, vigil-start."""
    groups = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/comm" % (pid, tid)) as comm:
                name = re.sub(r"\d+", "N", comm.read().strip())
            cpu = stat_cpu_seconds("/proc/%d/task/%s/stat" % (pid, tid))
        except OSError:
            continue  # the thread ended meanwhile
        groups[name] = groups.get(name, 0) + cpu
    return groups


def first_2xx(java, jvm_opts, app, app_args, url, timeout_s, log):
    cmd = [java, "-Xms512m", "-Xmx512m"] + shlex.split(jvm_opts) + ["-jar", app] + shlex.split(app_args)
    with open(log, "wb") as out:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            while time.monotonic() - start < timeout_s:
                if proc.poll() is not None:
                    raise RuntimeError("JVM exited with %d, see %s" % (proc.returncode, log))
                try:
                    with urllib.request.urlopen(url, timeout=5) as response:
                        if 200 <= response.status < 300:
                            return time.monotonic() - start, cpu_seconds(proc.pid), thread_cpu_seconds(proc.pid)
                except (urllib.error.URLError, ConnectionError, OSError):
                    pass
                time.sleep(0.01)
            raise RuntimeError("no 2xx within %d s, see %s" % (timeout_s, log))
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--mode", action="append", metavar="NAME=JVM-OPTIONS",
                        help="repeatable; default: none= and vigil=" + VIGIL)
    parser.add_argument("--java", default="java")
    parser.add_argument("--app", default="sample-app/target/vigil-sample-app.jar")
    parser.add_argument("--app-args", default="orders port=18081,h2.port=19092,broker.port=18616")
    parser.add_argument("--url", default="http://127.0.0.1:18081/orders")
    parser.add_argument("--timeout", type=int, default=60)
    parser.add_argument("--work", default="target/startup")
    parser.add_argument("--threads", action="store_true",
                        help="also print each mode's median CPU per group of threads at the first 2xx")
    args = parser.parse_args()
    modes = [m.split("=", 1) for m in (args.mode or ["none=", "vigil=" + VIGIL])]
    os.makedirs(os.path.join(ROOT, args.work), exist_ok=True)
    times = {name: [] for name, _ in modes}
    cpus = {name: [] for name, _ in modes}
    threads = {name: [] for name, _ in modes}
    print("load %s" % open("/proc/loadavg").read().split()[:3], flush=True)
    try:
        urllib.request.urlopen(args.url, timeout=2)
        sys.exit("something already answers on %s: choose other ports (--app-args, --url)" % args.url)
    except (urllib.error.URLError, ConnectionError, OSError):
        pass
    for round_ in range(1, args.rounds + 1):
        line = []
        for name, opts in modes:
            log = os.path.join(ROOT, args.work, "%s-%d.log" % (name, round_))
            t, cpu, per_thread = first_2xx(args.java, opts, args.app, args.app_args, args.url, args.timeout, log)
            threads[name].append(per_thread)
            times[name].append(t)
            cpus[name].append(cpu)
            line.append("%s %.2f s (cpu %.2f s)" % (name, t, cpu))
        print("round %d: %s" % (round_, ", ".join(line)), flush=True)
    print("load %s" % open("/proc/loadavg").read().split()[:3])
    for label, values in (("time to first 2xx", times), ("CPU to first 2xx", cpus)):
        base = statistics.median(values[modes[0][0]])
        print(label + ", median (min-max), difference to " + modes[0][0] + ":")
        for name, _ in modes:
            m = statistics.median(values[name])
            print("  %-10s %.2f s (%.2f-%.2f)  %+.2f s" % (name, m, min(values[name]), max(values[name]), m - base))
    if args.threads:
        print("CPU to first 2xx by thread (s, median; the ten groups with the most in any mode):")
        groups = {group for runs in threads.values() for run in runs for group in run}
        medians = {g: [statistics.median([run.get(g, 0) for run in threads[name]]) for name, _ in modes] for g in groups}
        print("  %-28s" % "" + "".join("%10s" % name for name, _ in modes))
        for g in sorted(groups, key=lambda g: -max(medians[g]))[:10]:
            print("  %-28s" % g[:28] + "".join("%10.2f" % v for v in medians[g]))


if __name__ == "__main__":
    sys.exit(main())

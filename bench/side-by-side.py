#!/usr/bin/env python3
"""Steady-state CPU per request of the sample app's orders service, several JVMs side by side (issue 7).

    bench/side-by-side.py none= vigil=vigil
    bench/side-by-side.py --warmup 180 --measure 100 none= vigil=vigil nospans=vigil:traces.sampler=always_off
    bench/side-by-side.py none= otel=-javaagent:bench/.cache/opentelemetry-javaagent-2.31.0.jar
    bench/side-by-side.py --rate 0 --warmup 40 --measure 60 none= vigil=vigil   idle: CPU per second, no load

Each NAME=OPTIONS starts one JVM of the orders service at the same time as the others (ports 18081, 18082, ...),
all loaded at the same fixed rate, so that the shared machine's slow and fast minutes fall on all of them alike.
OPTIONS: empty for no agent; `vigil` for Vigil with bench/overhead.sh's settings; `vigil:k=v,k=v` for the same
plus agent options; anything else is passed to the JVM as is. After --warmup seconds (the JIT is still busy for
about three minutes on this app) it reads each thread's CPU time twice, --measure seconds apart (the scheduler's
exact figure, /proc/<pid>/task/*/schedstat, since 2026-12-07; clock ticks from .../stat before), and prints the
CPU per request of each JVM: in total, without the JIT compiler threads, and per thread name (digits as #, names
cut at 13 characters). With --rate 0 nothing loads the JVMs after their first answer, and the figures are CPU
milliseconds per second: what an agent costs a service that is idle, mostly its own background wake-ups. Keep it
to three JVMs on two cores. One such run is one instance per mode: the figures of one JVM stay within a few
percent from one minute to the next, but two JVMs of the same mode can differ by more than the overhead being
measured, so compare several runs (BENCHMARKS.md, "Steady state, JVMs side by side").
"""
import argparse
import collections
import os
import re
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = "sample-app/target/vigil-sample-app.jar"
VIGIL = ("-javaagent:agent/target/vigil-agent.jar=service.name=orders,otlp.endpoint=http://127.0.0.1:14318,"
         "traces.sampler=always_on,metrics.exporter=otlp,metrics.export.interval.ms=60000,prometheus.port=0")


def jvm_options(spec):
    if spec == "vigil":
        return [VIGIL]
    if spec.startswith("vigil:"):
        return [VIGIL + "," + spec[len("vigil:"):]]
    return spec.split()


def answers(port):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/orders" % port, timeout=2) as response:
            return response.status < 300
    except OSError:
        return False


def thread_cpu_ns(task):
    """CPU time of one thread in ns: the scheduler's exact run time (schedstat) where the kernel has it, else utime +
    stime, which the kernel counts in whole clock ticks, charged to whichever thread runs when a tick comes: a
    thread that wakes for 0.2 ms at a time is then seen only statistically."""
    try:
        with open(task + "/schedstat") as schedstat:
            return int(schedstat.read().split()[0])
    except (OSError, ValueError, IndexError):
        with open(task + "/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1_000_000_000 // os.sysconf("SC_CLK_TCK")


def threads(pid):
    """Thread id -> (name, CPU ns). The kernel keeps 15 characters of a name, so Thread-1 (Activ… and Thread-12
    (Acti… are one pool: names are compared on their first 13 characters once digits are #."""
    out = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        task = "/proc/%d/task/%s" % (pid, tid)
        try:
            with open(task + "/comm") as comm:
                out[tid] = (re.sub(r"\d+", "#", comm.read().strip())[:13], thread_cpu_ns(task))
        except OSError:
            pass  # the thread ended
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warmup", type=int, default=180)
    parser.add_argument("--measure", type=int, default=100)
    parser.add_argument("--rate", type=int, default=40)
    parser.add_argument("modes", nargs="+", metavar="NAME=OPTIONS")
    args = parser.parse_args()
    modes = [m.split("=", 1) for m in args.modes]
    os.makedirs(os.path.join(ROOT, "target/side-by-side"), exist_ok=True)
    receiver = subprocess.Popen([sys.executable, "bench/otlp-discard.py", "14318"], cwd=ROOT)
    jvms, loads = [], []
    try:
        for i, (name, spec) in enumerate(modes):
            log = open(os.path.join(ROOT, "target/side-by-side/%s.log" % name), "wb")
            jvms.append(subprocess.Popen(
                ["java", "-Xms512m", "-Xmx512m"] + jvm_options(spec) + ["-jar", APP, "orders",
                 "port=%d,h2.port=%d,broker.port=%d" % (18081 + i, 19092 + i, 18616 + i)],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
        for i, jvm in enumerate(jvms):
            while not answers(18081 + i):
                if jvm.poll() is not None:
                    name = modes[i][0]
                    sys.exit("%s exited with %d, see target/side-by-side/%s.log" % (name, jvm.returncode, name))
                time.sleep(0.05)
        duration = args.warmup + args.measure + 10
        for i in range(len(jvms) if args.rate > 0 else 0):
            loads.append(subprocess.Popen(
                ["java", "-cp", APP, "dev.vigil.sample.ShopApp", "load",
                 "rps=%d,duration=%d,url=http://127.0.0.1:%d/orders" % (args.rate, duration, 18081 + i)],
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        time.sleep(args.warmup)
        before = [threads(j.pid) for j in jvms]
        time.sleep(args.measure)
        after = [threads(j.pid) for j in jvms]
    finally:
        for p in loads + jvms:
            p.terminate()
        for p in jvms:
            p.wait(60)  # the agents flush their last spans to the receiver, which stops after them
        receiver.terminate()
    per_name = []
    for b, a in zip(before, after):
        counter = collections.Counter()
        for tid, (name, cpu_ns) in a.items():
            counter[name] += cpu_ns - b.get(tid, (name, 0))[1]
        per_name.append(counter)
    jit = [sum(t for n, t in c.items() if n.startswith("C# CompilerTh")) for c in per_name]
    if args.rate > 0:
        ms = 1e-6 / (args.measure * args.rate)
        print("CPU ms per request over %d s after %d s at %d req/s, side by side:" % (args.measure, args.warmup,
                                                                                      args.rate))
    else:
        ms = 1e-6 / args.measure
        print("CPU ms per second over %d s after %d s idle (one request at start), side by side:" % (args.measure,
                                                                                                   args.warmup))
    print("%-18s" % "thread" + "".join("%12s" % name for name, _ in modes))
    print("%-18s" % "all" + "".join("%12.3f" % (sum(c.values()) * ms) for c in per_name))
    print("%-18s" % "all but the JIT" + "".join("%12.3f" % ((sum(c.values()) - j) * ms) for c, j in zip(per_name, jit)))
    for name in sorted(set().union(*per_name), key=lambda n: -max(c[n] for c in per_name)):
        if max(c[name] for c in per_name) * ms >= (0.008 if args.rate > 0 else 0.05):
            print("%-18s" % name + "".join("%12.3f" % (c[name] * ms) for c in per_name))


if __name__ == "__main__":
    main()

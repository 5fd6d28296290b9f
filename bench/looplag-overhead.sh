#!/usr/bin/env bash
# CPU cost of the Netty event-loop probes on an idle JVM with 16 started, idle Netty NIO loops: process CPU time
# (utime+stime from /proc/<pid>/stat) between t=20 s and t=80 s (loops started at t=10 s, after the agent), the configurations side by side, RUNS times.
# JFR and the platform meter are off in all of them, to isolate the probes.
# Usage: bench/looplag-overhead.sh [java_home] [runs]   (after mvn verify built the jar and copied Netty 4.2 to
# agent/target/it-libs/netty42)
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME_=${1:-/usr/lib/jvm/java-17-openjdk-amd64}
RUNS=${2:-3}
JAR=agent/target/vigil-agent.jar
CP=agent/target/test-classes:$(ls agent/target/it-libs/netty42/*.jar | tr '\n' ':')
BASE="prometheus.port=0,traces.exporter=none,metrics.exporter=none,runtime.jfr.enabled=false,looplag.platform.enabled=false"
declare -A CONF=(
  [netty-probes-off]="-javaagent:$JAR=$BASE,instrumentation.netty.enabled=false"
  [netty-probes-100ms]="-javaagent:$JAR=$BASE"
  [netty-probes-10ms]="-javaagent:$JAR=$BASE,looplag.netty.interval.ms=10"
)
ticks() { awk '{print $14+$15}' /proc/$1/stat; }
HZ=$(getconf CLK_TCK)
for run in $(seq 1 "$RUNS"); do
  declare -A PID=()
  for name in "${!CONF[@]}"; do
    (sleep 10; echo "start 16"; sleep 90) | "$JAVA_HOME_/bin/java" -Xmx256m ${CONF[$name]} -cp "$CP" dev.vigil.testapps.LoopLagApp >/dev/null 2>&1 &
    PID[$name]=$!
  done
  sleep 20
  declare -A T0=()
  for name in "${!PID[@]}"; do T0[$name]=$(ticks ${PID[$name]}); done  # $! of a pipeline: its last command, java
  sleep 60
  for name in "${!PID[@]}"; do
    t1=$(ticks ${PID[$name]})
    echo "run=$run config=$name cpu_ms_per_60s=$(( (t1 - T0[$name]) * 1000 / HZ ))"
  done
  for name in "${!PID[@]}"; do kill ${PID[$name]} 2>/dev/null || true; done
  wait 2>/dev/null || true
done

#!/usr/bin/env bash
# CPU overhead of the runtime module on an idle JVM: process CPU time (utime+stime from /proc/<pid>/stat)
# between t=15 s and t=75 s after start, for four configurations run side by side (same machine conditions),
# repeated RUNS times. Usage: bench/runtime-overhead.sh [java_home] [runs]   (after mvn verify built the jar)
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME_=${1:-/usr/lib/jvm/java-17-openjdk-amd64}
RUNS=${2:-3}
JAR=agent/target/vigil-agent.jar
CP=agent/target/test-classes
BASE="prometheus.port=0,traces.exporter=none,metrics.exporter=none"
declare -A CONF=(
  [no-agent]=""
  [agent-runtime-off]="-javaagent:$JAR=$BASE,runtime.jfr.enabled=false,looplag.platform.enabled=false"
  [agent-jfr-only]="-javaagent:$JAR=$BASE,looplag.platform.enabled=false"
  [agent-runtime-on]="-javaagent:$JAR=$BASE"
)
ticks() { awk '{print $14+$15}' /proc/$1/stat; }
HZ=$(getconf CLK_TCK)
for run in $(seq 1 "$RUNS"); do
  declare -A PID=()
  for name in "${!CONF[@]}"; do
    "$JAVA_HOME_/bin/java" -Xmx256m ${CONF[$name]} -cp $CP dev.vigil.testapps.RuntimeApp idle 80 >/dev/null 2>&1 &
    PID[$name]=$!
  done
  sleep 15
  declare -A T0=()
  for name in "${!PID[@]}"; do T0[$name]=$(ticks ${PID[$name]}); done
  sleep 60
  for name in "${!PID[@]}"; do
    t1=$(ticks ${PID[$name]})
    echo "run=$run config=$name cpu_ms_per_60s=$(( (t1 - T0[$name]) * 1000 / HZ ))"
  done
  for name in "${!PID[@]}"; do kill ${PID[$name]} 2>/dev/null || true; wait ${PID[$name]} 2>/dev/null || true; done
done

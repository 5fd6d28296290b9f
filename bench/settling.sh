#!/usr/bin/env bash
# How the CPU cost per request settles after start (issue 7): the sample app's orders service at a fixed 40 req/s
# for 150 s, process CPU (utime+stime from /proc) per request in 15 s windows from the first answered request,
# with no agent and with Vigil, alternated ROUNDS times. The agent's code paths are compiled by the JIT during the
# first minute or so, which is why bench/overhead.sh measures after a 45 s warm-up.
#
#   bench/settling.sh [ROUNDS]        (default 1; about 6 minutes per round)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-1}
if [ ! -f agent/target/vigil-agent.jar ] || [ ! -f sample-app/target/vigil-sample-app.jar ]; then
  mvn -B -ntp -q -DskipTests package -pl agent,sample-app -am
fi
TCK=$(getconf CLK_TCK)
APP_ARGS="orders port=18081,h2.port=19092,broker.port=18616"
URL=http://127.0.0.1:18081/orders
RECEIVER=14318

# a discarding OTLP receiver (reads the body, answers 200)
python3 bench/otlp-discard.py $RECEIVER &
RECV=$!
trap 'kill $RECV 2>/dev/null' EXIT

once() {
  local mode=$1 agent=()
  [ "$mode" = vigil ] && agent=(-javaagent:agent/target/vigil-agent.jar=service.name=orders,otlp.endpoint=http://127.0.0.1:$RECEIVER,traces.sampler=always_on,metrics.exporter=otlp,metrics.export.interval.ms=60000,prometheus.port=0)
  java -Xms512m -Xmx512m "${agent[@]}" -jar sample-app/target/vigil-sample-app.jar $APP_ARGS > target/settling-$mode.log 2>&1 &
  local app=$!
  until curl -sf -o /dev/null $URL; do sleep 0.05; done
  java -cp sample-app/target/vigil-sample-app.jar dev.vigil.sample.ShopApp load rps=40,duration=150,url=$URL >/dev/null 2>&1 &
  local load=$! prev cur out=""
  prev=$(awk '{print $14+$15}' /proc/$app/stat)
  for _ in $(seq 1 10); do
    sleep 15
    cur=$(awk '{print $14+$15}' /proc/$app/stat)
    out="$out $(awk -v d=$((cur - prev)) -v t="$TCK" 'BEGIN { printf "%.2f", d * 1000 / t / 600 }')"
    prev=$cur
  done
  wait $load || true
  kill $app; wait $app 2>/dev/null || true
  printf '%-6s%s\n' "$mode" "$out"
}

mkdir -p target
echo "CPU ms per request in 15 s windows (0-15 s, 15-30 s, ... 135-150 s after the first answer), 40 req/s"
for _ in $(seq 1 "$ROUNDS"); do
  once none
  once vigil
done

#!/usr/bin/env bash
# Vigil demo: builds the agent and the sample shop, starts a demo collector and the three services (orders hosts
# H2 and an ActiveMQ Artemis broker; worker consumes the order queue; gateway is the front door) with the agent
# attached, and drives load. Spans are printed by the demo collector; metrics are on each service's Prometheus
# endpoint. Ctrl-C stops everything.
#   ./demo.sh                 agent attached at start-up (-javaagent)
#   ./demo.sh --attach        services start without the agent, then `vigil-agent.jar attach` loads it
#   DURATION=300 ./demo.sh    drive load for longer (default 60 s)
#   JDBC=jdbc:postgresql://localhost:5432/test BROKER=amqp://guest:guest@localhost:5672 ./demo.sh
#                             the shop on your own database and queue instead of the embedded H2 and Artemis
#                             (BROKER: tcp://… Artemis, amqp://… RabbitMQ, kafka://host:9092 Kafka)
set -euo pipefail
cd "$(dirname "$0")"
DURATION=${DURATION:-60}
MODE=${1:-javaagent}
INFRA=()
if [ -n "${JDBC:-}" ]; then INFRA+=("jdbc=$JDBC"); fi
if [ -n "${BROKER:-}" ]; then INFRA+=("broker=$BROKER"); fi
mvn -q -DskipTests package
AGENT=agent/target/vigil-agent.jar
APP=sample-app/target/vigil-sample-app.jar
pids=()
# stop in reverse order of start (the worker before the broker it is connected to)
cleanup() { for ((i=${#pids[@]}-1; i>=0; i--)); do kill "${pids[i]}" 2>/dev/null || true; wait "${pids[i]}" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

agent() { # $1 = service name, $2 = metrics port
  if [ "$MODE" = "--attach" ]; then echo ""; else echo "-javaagent:$AGENT=service.name=$1,prometheus.port=$2,metrics.export.interval.ms=10000"; fi
}
wait_for() { for _ in $(seq 1 600); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "timed out waiting for $1" >&2; exit 1; }

java -jar "$APP" collector port=4318 & pids+=($!)
java $(agent orders 9465) -jar "$APP" orders port=8081 "${INFRA[@]}" & pids+=($!)
wait_for http://localhost:8081/health
java $(agent gateway 9464) -jar "$APP" gateway port=8080 & pids+=($!)
wait_for http://localhost:8080/health
java $(agent worker 9466) -jar "$APP" worker port=8082 "${INFRA[@]}" & pids+=($!)
wait_for http://localhost:8082/health
if [ "$MODE" = "--attach" ]; then
  for svc in "orders port=8081:orders:9465" "worker port=8082:worker:9466" "gateway port=8080:gateway:9464"; do
    IFS=: read -r pattern name port <<<"$svc"
    java -jar "$AGENT" attach "$pattern" service.name="$name" prometheus.port="$port" metrics.export.interval.ms=10000
  done
fi
# the agents finish starting on their own threads; their Prometheus endpoints answer once they have
for port in 9464 9465 9466; do wait_for "http://localhost:$port/metrics"; done
cat <<MSG

  Vigil demo is running ($MODE).
    gateway   http://localhost:8080/checkout   metrics http://localhost:9464/metrics
    orders    http://localhost:8081/orders     metrics http://localhost:9465/metrics
    worker    (queue 'orders')                 metrics http://localhost:9466/metrics
    database  ${JDBC:-H2, embedded in orders}
    queue     $(printf '%s' "${BROKER:-ActiveMQ Artemis, embedded in orders}" | sed -E 's#//[^/@]*@#//#')
    spans     exported over OTLP to http://localhost:4318 and printed below by the demo collector
    misbehave curl 'http://localhost:8081/misbehave/slow-sql?ms=800'   (also: listeners, timers, grow, block, fail)
  Driving 5 requests/s for ${DURATION}s; Ctrl-C to stop.

MSG
java -jar "$APP" load "rps=5,duration=${DURATION},url=http://localhost:8080/checkout"
echo "gateway request counts:"; curl -s http://localhost:9464/metrics | grep -E '^http_server_request_duration_seconds_count' | head -5 || true

#!/usr/bin/env bash
# Vigil demo: builds the agent and the sample shop, starts a demo collector, the orders and gateway services with
# the agent attached, and drives load. Spans are printed by the demo collector; metrics are on each service's
# Prometheus endpoint. Ctrl-C stops everything.
#   ./demo.sh            (load for 60 s; DURATION=300 ./demo.sh for longer)
set -euo pipefail
cd "$(dirname "$0")"
DURATION=${DURATION:-60}
mvn -q -DskipTests package
AGENT=agent/target/vigil-agent.jar
APP=sample-app/target/vigil-sample-app.jar
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

java -jar "$APP" collector 4318 & pids+=($!)
java -javaagent:"$AGENT"=service.name=orders,prometheus.port=9465 -jar "$APP" orders 8081 & pids+=($!)
java -javaagent:"$AGENT"=service.name=gateway,prometheus.port=9464 -jar "$APP" gateway 8080 http://localhost:8081 & pids+=($!)
for _ in $(seq 1 100); do curl -sf http://localhost:8080/health >/dev/null 2>&1 && break; sleep 0.2; done
cat <<MSG

  Vigil demo is running.
    gateway   http://localhost:8080/checkout   metrics http://localhost:9464/metrics
    orders    http://localhost:8081/orders     metrics http://localhost:9465/metrics
    spans     exported over OTLP to http://localhost:4318 and printed below by the demo collector
  Driving 5 requests/s for ${DURATION}s; Ctrl-C to stop.

MSG
java -jar "$APP" load "rps=5,duration=${DURATION},url=http://localhost:8080/checkout"
echo "gateway metrics sample:"; curl -s http://localhost:9464/metrics | grep -E '^http_server_request_duration_seconds_count' | head -5

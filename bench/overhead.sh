#!/usr/bin/env bash
# Overhead of Vigil next to the OpenTelemetry Java agent (issue 7): runs an app with no agent, with Vigil and with
# the OpenTelemetry agent, interleaved over several rounds, both agents exporting OTLP/HTTP to the same discarding
# receiver with always-on sampling and a 60 s metric push, and prints medians (min–max) and ratios to no agent,
# each round against the same round's no-agent run, and issue 7's goals with how firmly the rounds decide each
# (its support: the share of bootstrap resamples of the rounds in which the goal holds by the same rule).
#
#   bench/overhead.sh                                    the sample app's orders service (default, ~35 min)
#   bench/overhead.sh --rounds 3 --rate 50               any option of the driver (dev.vigil.sample.bench.Overhead)
#   bench/overhead.sh --app my.jar --url http://localhost:8080/hello [--app-args "a b"]   any app jar
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/overhead.sh    run the app (and jcmd) from another JDK
#
# Driver options (defaults): --rounds 5  --modes none,vigil,otel  --jvm-opts "-Xms512m -Xmx512m"  --warmup 45
#   --concurrency 4  --throughput-seconds 15  --rate 40  --rate-seconds 60  --receiver-port 14318
#   --service-name bench-app  --vigil-opts "k=v,…"  --otel-opts "-Dotel.…"  --work target/overhead
# Variants: --modes none,vigil,vigil-lean --vigil-lean-opts "runtime.jfr.enabled=false,looplag.platform.enabled=false"
#   (--vigil-<name>-jar other.jar compares two builds of the agent)
# Needs: a JDK with jcmd, Maven (fetches the OpenTelemetry agent once into bench/.cache, not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
OTEL_VERSION=${OTEL_VERSION:-2.31.0}
CACHE=bench/.cache
JAVA=${JAVA:-java}
JAVA=$(command -v "$JAVA")
JAVA=$(readlink -f "$JAVA")

if [ ! -f agent/target/vigil-agent.jar ] || [ ! -f sample-app/target/vigil-sample-app.jar ] \
   || [ ! -d sample-app/target/classes/dev/vigil/sample/bench ]; then
  mvn -B -ntp -q -DskipTests package -pl agent,sample-app -am
fi
OTEL_JAR=$CACHE/opentelemetry-javaagent-$OTEL_VERSION.jar
if [ ! -f "$OTEL_JAR" ]; then
  mkdir -p "$CACHE"
  mvn -B -ntp -q dependency:copy -Dartifact=io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL_VERSION \
      -DoutputDirectory="$CACHE"
fi

DEFAULTS=()
case " $* " in
  *" --app "*) ;;
  *) # the orders service alone: HTTP server, JDBC (H2 over TCP) and a JMS publish (embedded Artemis) per request;
     # ports away from the demo's so that a demo or a test running on the same machine does not collide
     DEFAULTS=(--app sample-app/target/vigil-sample-app.jar --url http://127.0.0.1:18081/orders
               --app-args "orders port=18081,h2.port=19092,broker.port=18616"
               --drain-jms tcp://127.0.0.1:18616 --drain-queue orders --service-name orders) ;;
esac

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "JDK: $("$JAVA" -version 2>&1 | head -2 | tail -1)"
echo "jar sizes: vigil $(stat -c %s agent/target/vigil-agent.jar) bytes, opentelemetry $(stat -c %s "$OTEL_JAR") bytes"
exec "$JAVA" -Dbench.clk.tck="$(getconf CLK_TCK)" -cp sample-app/target/vigil-sample-app.jar \
  dev.vigil.sample.bench.Overhead --java "$JAVA" --vigil-agent agent/target/vigil-agent.jar --otel-agent "$OTEL_JAR" \
  --vigil-jar-bytes "$(stat -c %s agent/target/vigil-agent.jar)" --otel-jar-bytes "$(stat -c %s "$OTEL_JAR")" \
  "${DEFAULTS[@]}" "$@"

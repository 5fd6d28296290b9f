#!/usr/bin/env bash
# JMH microbenchmarks (module benchmarks/), each next to its baseline in one run, then a Markdown table with the
# ratios and the allocation per operation (-prof gc). Runs from the repository root: the forks that measure an
# instrumented call start with -javaagent:agent/target/vigil-agent.jar (relative path, see AgentFork.java).
#
#   bench/jmh.sh                      # everything, two rounds, ~11 min on 2 cores
#   bench/jmh.sh JdbcBench            # one class (JMH regex; more JMH options may follow)
#   ROUNDS=3 JMH_RUN="-f 2" bench/jmh.sh   # longer
#   SKIP_BUILD=1 bench/jmh.sh ...     # reuse the jars already built
#
# The whole selection runs ROUNDS times (default 2) so that a load spike on a shared machine shows up as a spread
# between rounds instead of skewing one side of a comparison; the table gives medians and min-max. JMH_RUN
# (default: one fork per benchmark) adds JMH options to every round (JMH refuses an option given twice, hence
# the variable); iterations come from the classes: 3 x 1 s warm-up in process, 10 x 1 s in the forks with and
# without the agent (whose JIT needs 6-10 s to settle here), then 3 x 1 s measured.
# Results: benchmarks/target/jmh-result-<round>.json. JAVA_HOME picks the JDK (the forks use the same one).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
if [[ -z "${SKIP_BUILD:-}" ]]; then
  mvn -B -ntp -q package -DskipTests -pl agent,benchmarks -am
fi
RESULTS=()
for round in $(seq 1 "${ROUNDS:-2}"); do
  OUT=benchmarks/target/jmh-result-$round.json
  # shellcheck disable=SC2086  # JMH_RUN is a list of options
  "$JAVA" -jar benchmarks/target/vigil-benchmarks.jar ${JMH_RUN:--f 1} -prof gc \
      -rf json -rff "$OUT" "$@"
  RESULTS+=("$OUT")
done
echo
echo "JDK: $("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.version/ {print $2}')," \
  "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
python3 bench/jmh-table.py "${RESULTS[@]}"

#!/usr/bin/env bash
# JMH microbenchmarks (module benchmarks/), each next to its baseline in one run, then a Markdown table with the
# ratios and the allocation per operation (-prof gc). Runs from the repository root: the forks that measure an
# instrumented call start with -javaagent:agent/target/vigil-agent.jar (relative path, see AgentFork.java).
#
#   bench/jmh.sh                      # everything, ~8 min on 2 cores
#   bench/jmh.sh JdbcBench            # one class (JMH regex; more JMH options may follow)
#   JMH_RUN="-f 2 -wi 10 -w 1s -i 10 -r 1s" bench/jmh.sh   # longer runs
#   SKIP_BUILD=1 bench/jmh.sh ...     # reuse the jars already built
#
# JMH_RUN defaults to 1 fork per benchmark, 5 x 1 s warm-up, 5 x 1 s measurement (JMH refuses an option given
# twice, hence the variable). The JSON lands in benchmarks/target/jmh-result.json. JAVA_HOME picks the JDK
# (the forks use the same one).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
if [[ -z "${SKIP_BUILD:-}" ]]; then
  mvn -B -ntp -q package -DskipTests -pl agent,benchmarks -am
fi
OUT=benchmarks/target/jmh-result.json
# shellcheck disable=SC2086  # JMH_RUN is a list of options
"$JAVA" -jar benchmarks/target/vigil-benchmarks.jar ${JMH_RUN:--f 1 -wi 5 -w 1s -i 5 -r 1s} -prof gc -rf json -rff "$OUT" "$@"
python3 bench/jmh-table.py "$OUT"

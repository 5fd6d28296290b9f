#!/usr/bin/env python3
"""Markdown table of JMH JSON results (bench/jmh.sh), one file per round: median score over the rounds with the
rounds' min-max, the median of the per-round ratios to the baseline with their min-max, allocation per operation.

Baselines: for benchmarks with nested NoAgent/Vigil classes, the NoAgent run of the same method and parameters in
the same round; for in-process benchmarks, the method of the same class and parameters whose name starts with
"baseline".

Usage: bench/jmh-table.py result-1.json [result-2.json ...]
"""
import json
import statistics
import sys

PREFIX = "dev.vigil.benchmarks."


def alloc(result):
    for name, metric in result.get("secondaryMetrics", {}).items():
        if name.lstrip("\u00b7") == "gc.alloc.rate.norm":
            return metric["score"]
    return None


def fmt(x):
    if x is None or x != x:
        return ""
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def spread(values, f=fmt):
    if len(values) < 2:
        return ""
    return f"{f(min(values))}–{f(max(values))}"


def parse(result):
    parts = result["benchmark"][len(PREFIX):].split(".")
    params = ",".join(f"{k}={v}" for k, v in sorted(result.get("params", {}).items()))
    if len(parts) == 3:  # Class.Variant.method: with and without the agent
        cls, variant, method = parts
        return dict(name=(cls, variant, method, params), pair=(cls, method, params), base=variant == "NoAgent",
                    label=f"{cls}.{method}", variant=variant, params=params)
    cls, method = parts
    return dict(name=(cls, "", method, params), pair=(cls, params), base=method.startswith("baseline"),
                label=f"{cls}.{method}", variant="", params=params)


def main(paths):
    rounds = []
    order = []
    info = {}
    for path in paths:
        scores = {}
        for result in json.load(open(path)):
            row = parse(result)
            if row["name"] not in info:
                info[row["name"]] = row
                order.append(row["name"])
            scores[row["name"]] = (result["primaryMetric"]["score"], result["primaryMetric"]["scoreUnit"],
                                   alloc(result))
        rounds.append(scores)
    bases = {row["pair"]: name for name, row in info.items() if row["base"]}
    print(f"{len(rounds)} result file(s); n = rounds that ran the benchmark; score = median of those rounds (min–max); "
          f"ratio = median of the per-round ratios to the baseline (min–max); alloc = bytes allocated per operation "
          f"(-prof gc, median)")
    print()
    print("| benchmark | params | agent | n | score | rounds min–max | unit | vs baseline | ratio min–max |"
          " alloc B/op | Δ alloc B/op |")
    print("| --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |")
    for name in order:
        row = info[name]
        present = [r[name] for r in rounds if name in r]
        scores = [s for s, _, _ in present]
        unit = present[0][1]
        allocs = [a for _, _, a in present if a is not None]
        score = statistics.median(scores)
        base_name = bases.get(row["pair"])
        ratio = ratio_spread = delta_alloc = ""
        if base_name == name:
            ratio = "baseline"
        elif base_name is not None:
            ratios = [r[name][0] / r[base_name][0] for r in rounds if name in r and base_name in r]
            deltas = [r[name][0] - r[base_name][0] for r in rounds if name in r and base_name in r]
            if ratios:
                median_delta = statistics.median(deltas)
                ratio = f"×{statistics.median(ratios):.2f} ({'+' if median_delta >= 0 else '−'}{fmt(abs(median_delta))})"
                ratio_spread = spread(ratios, lambda x: f"{x:.2f}")
            base_allocs = [r[base_name][2] for r in rounds if base_name in r and r[base_name][2] is not None]
            if allocs and base_allocs:
                delta_alloc = f"{statistics.median(allocs) - statistics.median(base_allocs):+,.0f}"
        agent = {"NoAgent": "none", "Vigil": "Vigil"}.get(row["variant"], "in-process")
        allocated = f"{statistics.median(allocs):,.0f}" if allocs else ""
        print(f"| {row['label']} | {row['params']} | {agent} | {len(scores)} | {fmt(score)} | {spread(scores)} | {unit} | {ratio} | "
              f"{ratio_spread} | {allocated} | {delta_alloc} |")


if __name__ == "__main__":
    main(sys.argv[1:] or ["benchmarks/target/jmh-result-1.json"])

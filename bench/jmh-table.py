#!/usr/bin/env python3
"""Markdown table of a JMH JSON result (bench/jmh.sh): score, error, ratio to the baseline, allocation per op.

Baselines: for benchmarks with nested NoAgent/Vigil classes, the NoAgent run of the same method and parameters;
for in-process benchmarks, the method of the same class and parameters whose name starts with "baseline".
"""
import json
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


def main(path):
    rows = []
    for r in json.load(open(path)):
        parts = r["benchmark"][len(PREFIX):].split(".")
        params = ",".join(f"{k}={v}" for k, v in sorted(r.get("params", {}).items()))
        m = r["primaryMetric"]
        if len(parts) == 3:  # Class.Variant.method
            cls, variant, method = parts
            key, is_base = (cls, method, params), variant == "NoAgent"
            label = f"{cls}.{method}"
        else:
            cls, method = parts
            variant = ""
            key, is_base = (cls, params), method.startswith("baseline")
            label = f"{cls}.{method}"
        rows.append(dict(key=key, base=is_base, label=label, variant=variant, params=params,
                         score=m["score"], error=m["scoreError"], unit=m["scoreUnit"], alloc=alloc(r)))
    bases = {row["key"]: row for row in rows if row["base"]}
    print("| benchmark | params | agent | score | ± error | unit | vs baseline | alloc B/op | Δ alloc B/op |")
    print("| --- | --- | --- | ---: | ---: | --- | ---: | ---: | ---: |")
    for row in rows:
        base = bases.get(row["key"])
        ratio = delta_alloc = ""
        if base is not None and base is not row:
            ratio = f"×{row['score'] / base['score']:.2f} (+{fmt(row['score'] - base['score'])})" \
                if row["score"] >= base["score"] else f"×{row['score'] / base['score']:.2f}"
            if row["alloc"] is not None and base["alloc"] is not None:
                delta_alloc = f"{row['alloc'] - base['alloc']:+,.0f}"
        elif base is row:
            ratio = "baseline"
        agent = {"NoAgent": "none", "Vigil": "Vigil"}.get(row["variant"], "in-process")
        error = fmt(row["error"]) if isinstance(row["error"], (int, float)) else ""  # "NaN" with one iteration
        allocated = "" if row["alloc"] is None else f"{row['alloc']:,.0f}"
        print(f"| {row['label']} | {row['params']} | {agent} | {fmt(row['score'])} | {error} | {row['unit']} | "
              f"{ratio} | {allocated} | {delta_alloc} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/target/jmh-result.json")

#!/usr/bin/env python3
# RELIABILITY.md T7 "classify time scales <= linearly": /v1/moderations latency vs input size against a running gateway
# (started with Guard__LongInputMaxChunks=64 and Kestrel__Endpoints__Http__Url=http://127.0.0.1:18080; see bench/README.md).
# Loopback only; bounded: 7 sizes x (1 + REPS) requests. Usage: bench/long-input-scaling.py [REPS=15]
import json, time, urllib.request, random, statistics, sys
words = "the quick brown fox jumps over a lazy dog while the river runs quietly under the old stone bridge near town".split()
def text(n):
    random.seed(n)
    out=[]; size=0
    while size<n:
        w=random.choice(words); out.append(w); size+=len(w)+1
    return " ".join(out)[:n]
def call(t):
    req=urllib.request.Request("http://127.0.0.1:18080/v1/moderations", data=json.dumps({"input":t}).encode(), headers={"content-type":"application/json"})
    s=time.perf_counter(); r=urllib.request.urlopen(req, timeout=300); body=r.read(); return (time.perf_counter()-s)*1000, json.loads(body)
reps=int(sys.argv[1]) if len(sys.argv)>1 else 15
print("| input (KiB) | chars | requests | p50 ms | p99 ms (max of run) | ms per KiB (p50) | flagged |")
print("|---:|---:|---:|---:|---:|---:|---|")
for kib in [1,2,4,8,16,32,64]:
    t=text(kib*1024); call(t)
    lat=[];flag=None
    for _ in range(reps):
        ms,b=call(t); lat.append(ms); flag=b["results"][0]["flagged"]
    lat.sort(); p50=statistics.median(lat); p99=lat[-1]
    print(f"| {kib} | {len(t)} | {reps} | {p50:.0f} | {p99:.0f} | {p50/kib:.1f} | {flag} |", flush=True)

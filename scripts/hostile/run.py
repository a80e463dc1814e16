"""Publishes the hostile-input corpus (corpus.py) to every input topic of the six workers running
as processes on a `bus dev` cluster, with outside clients only (confluent-kafka and kcat), and
checks what the workers did with each kind:

- every kind is dead-lettered on bus.dlq.<worker> of each worker reading its topic with the
  exact `bus_error_code` (and `bus_error_field`) it expects, or held on bus.exceptions;
- /metrics counts each worker's dead letters by reason exactly;
- every worker process keeps running (same PID, /healthz 200) and commits every input;
- the good records published before and after each hostile one on the same partition are all
  processed, none dead-lettered, and their outputs come in the order they were published.

The good records (every message type of every input topic, with names, e-mails, phones and
addresses as the ERP and the site send them) are the run's realistic load; after it,
scripts/pii_scan.py searches every log line and every record of the run for personal data and
secrets, the workers holding a SASL password given as a `KAFKA_SASL_PASSWORD_FILE` secret.

    run.py --bin .build/debug [--logs DIR] [--report FILE] [--only KIND,...]

Exit code 0 when everything holds; 1 otherwise, with every problem printed.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from confluent_kafka import Consumer, Producer, TopicPartition  # noqa: E402

import cluster  # noqa: E402
import corpus  # noqa: E402
import records  # noqa: E402
from records import READERS, Keys, partition_of, partitions  # noqa: E402

OUTPUT_TOPICS = ["erp.customer-updates", "shop.customer-updates", "bus.customer-identity", "shop.catalog",
                 "shop.availability", "erp.sales-orders", "bus.order-acceptance", "shop.order-tracking", "shop.notifications",
                 "erp.receipts", "erp.lettering", "bus.exceptions"]
STATE_TOPICS = [f"bus.{w}.state" for w in cluster.WORKERS]
SECRET_USER = "hostile-corpus"
PAID_ORDERS = 10


class Context:
    """What a kind's generator may use: fresh keys in the run's partition of a topic, and the
    good message of a topic for a key."""

    def __init__(self, run, sales_order_example):
        self.keys = Keys(run)
        self.sales_order_example = sales_order_example
        # One partition per topic for the whole corpus, so good and hostile records interleave.
        self.partitions = {topic: 1 % partitions(topic) for topic in READERS}

    def partition(self, topic):
        return self.partitions[topic]

    def key(self, topic, partition=None):
        prefix = "WEB-" if topic.startswith(("shop.orders", "shop.payments", "erp.invoices", "erp.order-status", "erp.sales-orders")) \
            else records.GOOD[topic][1] if topic in records.GOOD else "K"
        return self.keys.make(prefix, topic, self.partition(topic) if partition is None else partition)

    def good(self, topic, key):
        if topic == "erp.sales-orders":
            return records.erp_sales_order(key, self.sales_order_example)
        return records.GOOD[topic][0](key)


class Publisher:
    """confluent-kafka as a Java client is configured (murmur2), and kcat; every record is
    acknowledged before the next is sent, so the order on a partition is the order here."""

    def __init__(self, brokers):
        self.brokers = brokers
        self.producer = Producer({"bootstrap.servers": brokers, "partitioner": "murmur2_random",
                                  "message.max.bytes": 4_000_000, "enable.idempotence": True, "linger.ms": 0})
        self.landed = []

    def send(self, topic, entry, client="python"):
        key = entry["key"]
        key_bytes = key.encode() if isinstance(key, str) else key
        partition = entry.get("partition")
        if partition is None:
            partition = partition_of(key, partitions(topic)) if key is not None else 0
        if client == "kcat":
            return self._kcat(topic, partition, key_bytes, entry)
        result = {}

        def done(err, msg):
            result["error"] = err
            if err is None:
                result["partition"], result["offset"] = msg.partition(), msg.offset()

        headers = [(k, v if isinstance(v, bytes) else v.encode()) for k, v in entry["headers"].items()]
        self.producer.produce(topic, key=key_bytes, value=entry["value"], partition=partition, headers=headers, on_delivery=done)
        self.producer.flush(30)
        if result.get("error") is not None:
            raise RuntimeError(f"{topic}: delivery failed: {result['error']}")
        return result["partition"], result["offset"]

    def _high(self, topic, partition):
        reader = Consumer({"bootstrap.servers": self.brokers, "group.id": "hostile-offsets"})
        try:
            return reader.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)[1]
        finally:
            reader.close()

    def _kcat(self, topic, partition, key, entry):
        before = self._high(topic, partition)
        with tempfile.NamedTemporaryFile("wb", delete=False) as handle:
            handle.write(entry["value"] or b"")
        try:
            command = ["kcat", "-P", "-b", self.brokers, "-t", topic, "-p", str(partition), "-X", "message.max.bytes=4000000"]
            if key:
                command += ["-k", key.decode()]
            for name, value in entry["headers"].items():
                command += ["-H", f"{name}={value if isinstance(value, str) else value.decode()}"]
            if entry["value"] is None:
                # A file is one record's value and an empty file none at all: a tombstone is a
                # line of stdin with a key and no value (-K:), sent as NULL (-Z).
                keyed = [part for part in command if part != "-k" and part != (key or b"").decode()]
                subprocess.run(keyed + ["-K:", "-Z"], input=(key or b"") + b":\n", check=True, capture_output=True, timeout=30)
            else:
                subprocess.run(command + [handle.name], check=True, capture_output=True, timeout=30)
        finally:
            os.unlink(handle.name)
        # kcat does not print offsets: the record is the one it added to its partition.
        after = self._high(topic, partition)
        if after != before + 1:
            raise RuntimeError(f"kcat added {after - before} records to {topic}[{partition}], not one")
        return partition, before


def header_text(headers, name):
    value = headers.get(name)
    return value.decode("utf-8", "replace") if value is not None else None


def wait_until(condition, timeout, step=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.path.join(cluster.ROOT, ".build", "debug"))
    parser.add_argument("--logs", default=None, help="where the processes' logs go (default: a temporary directory, kept on failure)")
    parser.add_argument("--report", default=None, help="a JSON report of every kind and check")
    parser.add_argument("--only", default=None, help="comma-separated kinds")
    parser.add_argument("--no-pii-scan", action="store_true")
    args = parser.parse_args()

    started = time.monotonic()
    logs = args.logs or tempfile.mkdtemp(prefix="hostile-corpus-")
    os.makedirs(logs, exist_ok=True)
    run = uuid.uuid4().hex[:4].upper()
    secret = f"hc-sasl-{uuid.uuid4().hex}"
    secret_file = os.path.join(logs, "kafka-password.secret")
    with open(secret_file, "w") as handle:
        handle.write(secret + "\n")
    kinds = [k for k in corpus.KINDS if not args.only or k["name"] in args.only.split(",")]
    problems = []
    timings = {}

    dev = cluster.DevCluster(os.path.join(args.bin, "bus"), os.path.join(logs, "bus-dev.log"))
    workers = {}
    try:
        # A SASL password as operators give it (a `*_FILE` secret): configured in every client,
        # unused on the embedded cluster's plaintext listener, and never to be seen in a log.
        secrets_env = {"KAFKA_SASL_MECHANISM": "PLAIN", "KAFKA_SASL_USERNAME": SECRET_USER, "KAFKA_SASL_PASSWORD_FILE": secret_file}
        for name in cluster.WORKERS:
            workers[name] = cluster.Worker(args.bin, name, dev.brokers, os.path.join(logs, f"{name}.log"), secrets_env)
        publisher = Publisher(dev.brokers)
        with open(os.path.join(cluster.ROOT, "topics", "examples", "erp.sales-order.v1.json")) as handle:
            ctx = Context(run, json.load(handle))

        ready = wait_until(lambda: all(w.get("/readyz")[0] == 200 for w in workers.values()) or
                           any(not w.running() for w in workers.values()), 120, 0.5)
        for w in workers.values():
            if not w.running() or w.get("/readyz")[0] != 200:
                raise RuntimeError(f"{w.name} not ready (exit {w.process.poll()}): see {w.log_path}")
        assert ready
        # Warm-up: the article the good orders name, so order-ingest knows its SKU (once the
        # workers' groups have joined: a new group starts at the end of its topics).
        publisher.send("erp.articles", {"key": records.ARTICLE_SKU, "value": records.encode(records.erp_article(records.ARTICLE_SKU, records.ORDER_SKU)),
                                        "headers": records.headers("erp.article")})
        catalogued = wait_until(lambda: any(r["key"] == records.ARTICLE_SKU.encode() for r in cluster.read_topic(dev.brokers, "shop.catalog", 3)), 30, 0.5)
        if not catalogued:
            problems.append("warm-up: the article never reached shop.catalog")
        time.sleep(1.0)  # order-ingest reads shop.catalog as a table in the background
        timings["start"] = time.monotonic() - started

        # One pass: good, hostile, good on the same partition, kind after kind.
        goods = []       # (topic, partition, offset, key, ce_id)
        hostile = []     # (kind, partition, offset)
        published = time.monotonic()

        def send_good(topic, partition):
            key = ctx.key(topic, partition)
            entry = {"key": key, "value": records.encode(ctx.good(topic, key)), "headers": records.headers(records.TOPIC_TYPES[topic])}
            landed = publisher.send(topic, entry)
            goods.append({"topic": topic, "partition": landed[0], "offset": landed[1], "key": key, "ce_id": entry["headers"]["ce_id"]})

        for item in kinds:
            topic = item["topic"]
            entry = item["make"](ctx)
            if entry.get("partition") is None:
                entry["partition"] = partition_of(entry["key"], partitions(topic)) if entry["key"] is not None else ctx.partition(topic)
            send_good(topic, entry["partition"])
            landed = publisher.send(topic, entry, item["client"])
            hostile.append({"kind": item, "partition": landed[0], "offset": landed[1],
                            "ce_id": header_text({k: v if isinstance(v, bytes) else v.encode() for k, v in entry["headers"].items()}, "ce_id")})
            send_good(topic, entry["partition"])
        # A few paid orders besides: they reach the ERP (erp.sales-orders), with the addresses
        # and phone the ERP needs, so the personal-data scan meets what must travel.
        paid = []
        for _ in range(PAID_ORDERS):
            number = ctx.key("shop.orders")
            publisher.send("shop.orders", {"key": number, "value": records.encode(records.shop_order(number)), "headers": records.headers("shop.order")})
            publisher.send("shop.payments", {"key": number, "value": records.encode(records.shop_payment(number)), "headers": records.headers("shop.payment")})
            paid.append(number)
        timings["publish"] = time.monotonic() - published

        # Every worker commits every input it reads.
        waited = time.monotonic()
        inputs = {w: [t for t, readers in READERS.items() if w in readers] for w in cluster.WORKERS}
        settled = wait_until(lambda: all(cluster.committed_behind(dev.brokers, w, inputs[w]) == 0 for w in cluster.WORKERS), 120, 1.0)
        if not settled:
            for w in cluster.WORKERS:
                behind = cluster.committed_behind(dev.brokers, w, inputs[w])
                if behind:
                    problems.append(f"{w}: {behind} inputs not committed after 120 s")
        timings["settle"] = time.monotonic() - waited
        time.sleep(0.5)

        # What the workers wrote.
        letters = {w: cluster.read_topic(dev.brokers, f"bus.dlq.{w}") for w in cluster.WORKERS}
        outputs = [r for t in OUTPUT_TOPICS for r in cluster.read_topic(dev.brokers, t)]
        states = {t: cluster.read_topic(dev.brokers, t) for t in STATE_TOPICS}
        sent = {r["key"].decode() for r in outputs if r["topic"] == "erp.sales-orders" and r["key"]}
        for number in paid:
            if number not in sent:
                problems.append(f"paid order {number}: no sales order on erp.sales-orders")

        by_origin = {}
        for worker, rows in letters.items():
            for row in rows:
                origin = (header_text(row["headers"], "bus_original_topic"), header_text(row["headers"], "bus_original_partition"),
                          header_text(row["headers"], "bus_original_offset"))
                by_origin.setdefault(origin, []).append((worker, row))
        caused = {}
        for row in outputs:
            cause = header_text(row["headers"], "ce_causationid")
            if cause:
                caused.setdefault(cause, []).append(row)

        # Each kind: dead-lettered (or held) by every reader, with the expected reason.
        results = []
        expected_counts = {}
        held_counts = {}
        for entry in hostile:
            item = entry["kind"]
            topic = item["topic"]
            origin = (topic, str(entry["partition"]), str(entry["offset"]))
            got = {w: row for w, row in by_origin.get(origin, [])}
            observed = {}
            trouble = []
            for worker, want in item["expect"].items():
                if want.startswith("exception:"):
                    held = [r for r in caused.get(entry["ce_id"] or "", []) if r["topic"] == "bus.exceptions"]
                    observed[worker] = "exception:" + (json.loads(held[0]["value"]).get("kind", "?") if held else "none")
                    held_counts[(worker, want.split(":", 1)[1])] = held_counts.get((worker, want.split(":", 1)[1]), 0) + 1
                    if worker in got:
                        trouble.append(f"{worker}: dead-lettered it ({header_text(got[worker]['headers'], 'bus_error_code')}) instead of holding it")
                    if observed[worker] != want:
                        trouble.append(f"{worker}: expected {want}, got {observed[worker]}")
                    continue
                row = got.get(worker)
                if row is None:
                    observed[worker] = "not dead-lettered"
                    trouble.append(f"{worker}: not dead-lettered (expected {want})")
                    continue
                code = header_text(row["headers"], "bus_error_code")
                field = header_text(row["headers"], "bus_error_field")
                reason = header_text(row["headers"], "bus_error_reason")
                observed[worker] = {"code": code, "field": field, "reason": reason}
                expected_counts[(worker, want)] = expected_counts.get((worker, want), 0) + 1
                if code != want:
                    trouble.append(f"{worker}: code {code} ({reason}), expected {want}")
                if item["field"] is not None and field != item["field"]:
                    trouble.append(f"{worker}: field {field}, expected {item['field']} ({reason})")
                if not reason:
                    trouble.append(f"{worker}: no bus_error_reason")
            for worker in got:
                if worker not in item["expect"]:
                    trouble.append(f"{worker}: dead-lettered it too ({header_text(got[worker]['headers'], 'bus_error_code')}) but does not read {topic}")
            results.append({"kind": item["name"], "topic": topic, "client": item["client"], "partition": entry["partition"],
                            "offset": entry["offset"], "expect": item["expect"], "field": item["field"], "observed": observed,
                            "ok": not trouble, "problems": trouble})
            problems += [f"kind {item['name']} on {topic}: {t}" for t in trouble]

        # Good records: none dead-lettered; each has an effect; effects in publication order.
        good_report = {"count": len(goods), "with_output": 0, "with_state_only": 0}
        effects = {}
        for good in goods:
            origin = (good["topic"], str(good["partition"]), str(good["offset"]))
            for worker, row in by_origin.get(origin, []):
                problems.append(f"good {good['topic']} {good['key']} dead-lettered by {worker}: {header_text(row['headers'], 'bus_error_reason')}")
            rows = caused.get(good["ce_id"], [])
            per_topic = good_report.setdefault("by_topic", {}).setdefault(good["topic"], {"count": 0, "outputs": {}})
            per_topic["count"] += 1
            for row in rows:
                per_topic["outputs"][row["topic"]] = per_topic["outputs"].get(row["topic"], 0) + 1
            if rows:
                good_report["with_output"] += 1
                for row in rows:
                    effects.setdefault((good["topic"], good["partition"], row["topic"], row["partition"]), []).append((good, row["offset"]))
            else:
                changed = [r for rows_ in states.values() for r in rows_ if good["key"].encode() in (r["key"] or b"")]
                if changed:
                    good_report["with_state_only"] += 1
                    # The first state change of each worker's changelog partition it reached.
                    for row in changed:
                        effects.setdefault((good["topic"], good["partition"], row["topic"], row["partition"]), []).append((good, row["offset"]))
                else:
                    problems.append(f"good {good['topic']} {good['key']} (offset {good['offset']}): no output and no state change")
        out_of_order = 0
        for (topic, partition, out_topic, out_partition), seen in effects.items():
            firsts = {}
            for good, offset in seen:
                firsts[good["offset"]] = min(offset, firsts.get(good["offset"], offset))
            ordered = [firsts[k] for k in sorted(firsts)]
            if ordered != sorted(ordered):
                out_of_order += 1
                problems.append(f"goods of {topic}[{partition}] reached {out_topic}[{out_partition}] out of order: {ordered}")
        good_report["orders_checked"] = len(effects)
        good_report["out_of_order"] = out_of_order

        # /metrics: each worker's dead letters by reason, exactly; processes alive.
        metrics = {}
        for name, worker in workers.items():
            status, text = worker.get("/metrics")
            counted = cluster.series(text, "bus_dead_letters_total", "reason")
            want = {code: n for (w, code), n in expected_counts.items() if w == name}
            for code in set(want) | {c for c, n in counted.items() if n}:
                if counted.get(code, 0) != want.get(code, 0):
                    problems.append(f"{name} /metrics bus_dead_letters_total{{reason=\"{code}\"}} = {counted.get(code, 0):g}, expected {want.get(code, 0)}")
            exceptions_counted = cluster.series(text, "bus_business_exceptions_total", "kind")
            want_held = {kind: n for (w, kind), n in held_counts.items() if w == name}
            for kind_name in set(want_held) | {k for k, n in exceptions_counted.items() if n}:
                if exceptions_counted.get(kind_name, 0) != want_held.get(kind_name, 0):
                    problems.append(f"{name} /metrics bus_business_exceptions_total{{kind=\"{kind_name}\"}} = {exceptions_counted.get(kind_name, 0):g}, expected {want_held.get(kind_name, 0)}")
            metrics[name] = {"dead_letters": counted, "business_exceptions": exceptions_counted}
            health = worker.get("/healthz")[0]
            if not worker.running() or worker.process.pid != worker.pid or health != 200:
                problems.append(f"{name}: not alive after the corpus (exit {worker.process.poll()}, /healthz {health})")
            if status != 200:
                problems.append(f"{name}: /metrics answered {status}")

        # Personal data and secrets in every log and record of the run.
        pii = None
        if not args.no_pii_scan:
            scan = subprocess.run([sys.executable, os.path.join(cluster.ROOT, "scripts", "pii_scan.py"), "--brokers", dev.brokers,
                                   "--secret-file", secret_file, "--json"] + [os.path.join(logs, f) for f in sorted(os.listdir(logs)) if f.endswith(".log")],
                                  capture_output=True, text=True, timeout=120)
            try:
                pii = json.loads(scan.stdout)
            except ValueError:
                pii = {"error": scan.stdout[-2000:] + scan.stderr[-2000:]}
            if scan.returncode != 0:
                problems.append(f"pii scan: {json.dumps(pii)[:3000]}")
    finally:
        exits = {name: w.stop() for name, w in workers.items()}
        dev.stop()
    for name, code in exits.items():
        if code != 0:
            problems.append(f"{name}: exit {code} after SIGTERM")
    timings["total"] = time.monotonic() - started

    report = {"kinds": len(kinds), "kinds_ok": sum(1 for r in results if r["ok"]), "results": results, "goods": good_report,
              "metrics": metrics, "pii": pii, "timings": {k: round(v, 1) for k, v in timings.items()}, "problems": problems, "logs": logs}
    if args.report:
        with open(args.report, "w") as handle:
            json.dump(report, handle, indent=1, default=str)
    print(f"hostile corpus: {report['kinds_ok']}/{len(kinds)} kinds as expected, {len(goods)} good records around them "
          f"and {PAID_ORDERS} paid orders "
          f"({good_report['with_output']} with outputs, {good_report['with_state_only']} with state changes only, "
          f"{good_report['orders_checked']} partition orders checked), timings {report['timings']}")
    for problem in problems:
        print("  FAIL", problem)
    if not problems and not args.logs:
        shutil.rmtree(logs, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""An outside Kafka client for the tests: confluent-kafka, configured as a Java producer is.

    kafka-client.py produce <brokers> <records.json>
        records.json: [{"topic", "key", "value_b64" | "value_fill": [prefix, total_bytes], "headers": {name: value},
                        "timestamp_ms" (optional: the record's CreateTime; default now)}]
        Produces in order with murmur2 (Kafka's Java default), a 1 MiB record limit (Java's
        max.request.size), and prints one JSON line per record: {"partition", "offset"}.
    kafka-client.py read <brokers> <topic> <count> <timeout_seconds>
        Reads the topic from the beginning (every partition) until <count> records or the
        timeout, and prints one JSON line per record: partition, offset, key, headers, the value's
        size and first bytes, the value itself when at most 64 KiB, and the record's total size
        (key + value + headers).
"""
import base64
import json
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition, OFFSET_BEGINNING


def produce(brokers, path):
    with open(path) as f:
        records = json.load(f)
    producer = Producer({"bootstrap.servers": brokers, "partitioner": "murmur2_random",
                         "message.max.bytes": 1048576, "enable.idempotence": True})
    reports = []

    def done(err, msg):
        if err is not None:
            raise SystemExit(f"delivery failed: {err}")
        reports.append({"partition": msg.partition(), "offset": msg.offset()})

    for record in records:
        if "value_fill" in record:
            prefix, total = record["value_fill"]
            value = prefix.encode() + b"x" * (total - len(prefix.encode()))
        else:
            value = base64.b64decode(record["value_b64"])
        # One at a time: each record is acknowledged before the next, so their order is kept.
        producer.produce(record["topic"], key=record["key"].encode(), value=value,
                         headers=list(record.get("headers", {}).items()), timestamp=record.get("timestamp_ms", 0),
                         on_delivery=done)
        if producer.flush(30) != 0:
            raise SystemExit("records still queued after 30 s")
    for report in reports:
        print(json.dumps(report))


def read(brokers, topic, count, timeout):
    consumer = Consumer({"bootstrap.servers": brokers, "group.id": "outside-reader",
                         "enable.auto.commit": False, "fetch.wait.max.ms": 50})
    metadata = consumer.list_topics(topic, timeout=10)
    partitions = metadata.topics[topic].partitions
    consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
    seen = 0
    deadline = time.time() + timeout
    while seen < count and time.time() < deadline:
        msg = consumer.poll(0.2)
        if msg is None or msg.error() is not None:
            continue
        seen += 1
        headers = msg.headers() or []
        value = msg.value() or b""
        key = msg.key() or b""
        size = len(key) + len(value) + sum(len(k) + len(v or b"") for k, v in headers)
        print(json.dumps({
            "partition": msg.partition(), "offset": msg.offset(), "key": key.decode(errors="replace"),
            "headers": {k: (v or b"").decode(errors="replace") for k, v in headers},
            "value_bytes": len(value), "value_head": value[:16].decode(errors="replace"), "size": size,
            **({"value": value.decode(errors="replace")} if len(value) <= 65536 else {}),
        }), flush=True)
    consumer.close()


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "produce":
        produce(sys.argv[2], sys.argv[3])
    elif command == "read":
        read(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))
    else:
        raise SystemExit(f"unknown command {command}")

"""A site instance asking the bus a live query and reading its answer, as the README shows.

    site-query.py <brokers> <query-topic> <answer-topic> <reply-key> <type> <deadline-ms> <payload.json> [--correlation ID]

Reads only the partition of <answer-topic> that <reply-key> hashes to (murmur2, as Kafka's
Java client and the bus partition), starting at its end, then publishes the query keyed by
<reply-key> with ce_correlationid, ce_replyto and ce_deadline (now + <deadline-ms>), and
prints the answer carrying its correlation id as one JSON line: {"partition", "key",
"headers", "value", "elapsed_ms"}; exits 1 when none came by the deadline plus one second.
"""
import json
import os
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone

from confluent_kafka import Consumer, Producer, TopicPartition

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "hostile"))
from records import partition_of  # noqa: E402  Kafka's murmur2, as the bus partitions


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def main(argv):
    brokers, query_topic, answer_topic, reply_key, message_type, deadline_ms, payload_path = argv[:7]
    correlation = argv[argv.index("--correlation") + 1] if "--correlation" in argv else str(uuid.uuid4())
    consumer = Consumer({"bootstrap.servers": brokers, "group.id": f"site-{reply_key}",
                         "enable.auto.commit": False, "fetch.wait.max.ms": 10})
    partitions = len(consumer.list_topics(answer_topic, timeout=10).topics[answer_topic].partitions)
    mine = partition_of(reply_key, partitions)
    _, end = consumer.get_watermark_offsets(TopicPartition(answer_topic, mine), timeout=10)
    consumer.assign([TopicPartition(answer_topic, mine, end)])

    # Connected before the clock starts: a site keeps its producer, the set-up is not the query's.
    producer = Producer({"bootstrap.servers": brokers, "partitioner": "murmur2_random", "enable.idempotence": True, "linger.ms": 0})
    producer.list_topics(query_topic, timeout=10)
    consumer.poll(0.2)

    now = datetime.now(timezone.utc)
    headers = {
        "ce_specversion": "1.0", "ce_id": str(uuid.uuid4()), "ce_source": f"site/{reply_key}",
        "ce_type": message_type, "ce_time": rfc3339(now), "content-type": "application/json",
        "ce_dataschema": f"urn:commerce-bus:schema:{message_type}.v1",
        "ce_correlationid": correlation, "ce_replyto": answer_topic,
        "ce_deadline": rfc3339(now + timedelta(milliseconds=int(deadline_ms))),
    }
    with open(payload_path, "rb") as f:
        producer.produce(query_topic, key=reply_key.encode(), value=f.read(), headers=list(headers.items()))
    started = time.monotonic()
    producer.flush(10)

    until = started + int(deadline_ms) / 1000 + 1
    while time.monotonic() < until:
        msg = consumer.poll(0.05)
        if msg is None or msg.error() is not None:
            continue
        got = {k: (v or b"").decode() for k, v in (msg.headers() or [])}
        if got.get("ce_correlationid") != correlation:
            continue  # another query of this instance
        print(json.dumps({"partition": msg.partition(), "key": msg.key().decode(), "headers": got,
                          "value": json.loads(msg.value()), "elapsed_ms": round((time.monotonic() - started) * 1000, 2)}))
        consumer.close()
        return 0
    consumer.close()
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

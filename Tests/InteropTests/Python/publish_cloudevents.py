"""Publishes bus messages as an integrator would: CloudEvents made by the official
CloudEvents Python SDK, sent with confluent-kafka.

Reads a JSON job on standard input:
  {"bootstrap": "127.0.0.1:1234",
   "records": [{"topic": ..., "key": ..., "type": ..., "example": "<path>", "mode": ...,
                "extensions": {name: value}}]}   (extensions optional: a live query's request attributes)
Modes:
  binary             the SDK's current API (cloudevents.core), to_binary, SDK defaults
  structured         the same, to_structured
  v1-binary          the SDK's v1 API (cloudevents.v1.kafka), to_binary (that API
                     requires datacontenttype; it writes time as +00:00)
  v1-structured      the v1 API's to_structured (labelled application/json)
  structured-offset  to_structured, then time rewritten with a +01:00 offset, null
                     attributes and number/boolean extensions added
  binary-traced      to_binary with the distributed-tracing extension (traceparent,
                     tracestate attributes: ce_traceparent, ce_tracestate headers)
  binary-untimed     to_binary, then the ce_time header removed (time is OPTIONAL in
                     CloudEvents 1.0: the bus takes the Kafka record's timestamp)
  structured-untimed to_structured, then the time attribute removed
The key is the SDK's default: the partitionkey extension. The producer uses murmur2_random,
the partitioner the bus's contract names for librdkafka-based clients.
Prints one line per record sent (topic, type, mode, ce id), then "sent N".
"""
import json
import sys
from datetime import datetime, timedelta, timezone

from cloudevents.core.bindings import kafka as core_kafka
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from cloudevents.v1 import kafka as v1_kafka
from cloudevents.v1.http import CloudEvent as V1CloudEvent
from confluent_kafka import Producer


TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
TRACESTATE = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"


def message(record, data):
    attributes = {"type": record["type"], "source": "python-sdk/interop-test", "partitionkey": record["key"]}
    attributes.update(record.get("extensions", {}))  # a request's correlationid, replyto, deadline
    mode = record["mode"]
    if mode.startswith("v1-"):
        event = V1CloudEvent(dict(attributes, datacontenttype="application/json"), data)
        converted = v1_kafka.to_binary(event) if mode == "v1-binary" else v1_kafka.to_structured(event)
    else:
        if mode == "binary-traced":
            attributes.update(traceparent=TRACEPARENT, tracestate=TRACESTATE)
        event = CloudEvent(attributes=attributes, data=data)
        if mode in ("binary", "binary-traced", "binary-untimed"):
            converted = core_kafka.to_binary(event, JSONFormat())
        else:
            converted = core_kafka.to_structured(event, JSONFormat())
    headers = dict(converted.headers)
    value = converted.value
    if mode == "binary-untimed":
        del headers["ce_time"]
    if mode == "structured-untimed":
        document = json.loads(value)
        del document["time"]
        value = json.dumps(document).encode("utf-8")
    if mode == "structured-offset":
        document = json.loads(value)
        utc = datetime.fromisoformat(document["time"].replace("Z", "+00:00"))
        document["time"] = utc.astimezone(timezone(timedelta(hours=1))).isoformat()
        document.update({"dataschema": None, "subject": None, "datacontenttype": None, "priority": 3, "sampled": True})
        value = json.dumps(document).encode("utf-8")
    key = converted.key.encode("utf-8") if isinstance(converted.key, str) else converted.key
    event_id = json.loads(value)["id"] if "structured" in mode else headers["ce_id"].decode("utf-8")
    return key, value, list(headers.items()), event_id


def main():
    job = json.load(sys.stdin)
    producer = Producer({"bootstrap.servers": job["bootstrap"], "partitioner": "murmur2_random", "acks": "all"})
    failures = []

    def report(error, _message):
        if error is not None:
            failures.append(str(error))

    for record in job["records"]:
        with open(record["example"], encoding="utf-8") as file:
            data = json.load(file)
        key, value, headers, event_id = message(record, data)
        producer.produce(record["topic"], key=key, value=value, headers=headers, on_delivery=report)
        print(record["topic"], record["type"], record["mode"], event_id, flush=True)
    remaining = producer.flush(30)
    if remaining or failures:
        print(f"not delivered: {remaining} pending, failures {failures}", file=sys.stderr)
        sys.exit(1)
    print(f"sent {len(job['records'])}")


if __name__ == "__main__":
    main()

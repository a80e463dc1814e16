"""The hostile-input corpus: one entry per kind of bad record an outside producer can write.

Each kind names the input topic it is written to, the client that writes it (`python`:
confluent-kafka, `kcat`), a generator of the record from a fresh key of the run, and what every
worker reading that topic must do with it:
    expect = {"<worker>": "<bus_error_code>"}    dead-lettered on bus.dlq.<worker> with that code
    expect = {"<worker>": "exception:<kind>"}    held on bus.exceptions as that business exception
and optionally `field`, the exact `bus_error_field` of every dead letter it gives.
`scripts/hostile/run.py` publishes every kind between good records on the same partition and
checks all of it against live worker processes.

A generator gets `ctx` (the run's key maker and good records) and returns
    {"key": str | bytes | None, "value": bytes | None, "headers": {name: str | bytes},
     "partition": int (optional: default the partition murmur2 gives the key)}
"""
import json

from records import TOPIC_TYPES, encode, headers, money, partition_of, partitions

CARD = "4111111111111111"          # Luhn-valid test Visa number
CARD_SPACED = "4111 1111 1111 1111"


def record(ctx, topic, mutate=None, raw=None, key=None, message_type=None, **header_overrides):
    """A record of `topic`: the good message for a fresh key, changed by `mutate(message)`
    (or replaced by the bytes `raw`), with the usual CloudEvents headers changed by
    `header_overrides` (None removes one)."""
    fresh = ctx.key(topic)
    message = ctx.good(topic, fresh)
    if mutate is not None:
        message = mutate(message) or message
    value = raw if raw is not None else encode(message)
    return {"key": fresh if key is None else key, "value": value,
            "headers": headers(message_type or TOPIC_TYPES[topic], **header_overrides)}


def setting(path, new):
    """A mutation that sets `path` (a list of keys and indexes) to `new`."""
    def mutate(message):
        target = message
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = new
    return mutate


def removing(path):
    def mutate(message):
        target = message
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]
    return mutate


def text_of(message):
    return json.dumps(message, ensure_ascii=False)


def spliced(ctx, topic, old, new):
    """The good message's JSON text with the first `old` replaced by `new` (raw JSON text, so
    duplicates, escapes and numbers no encoder writes can be made)."""
    fresh = ctx.key(topic)
    text = text_of(ctx.good(topic, fresh))
    assert old in text, f"{old!r} not in the good {topic} message"
    return {"key": fresh, "value": text.replace(old, new, 1).encode(), "headers": headers(TOPIC_TYPES[topic])}


def transformed(ctx, topic, transform, mutate=None):
    """The good record of a fresh key, its value's bytes passed through `transform`."""
    entry = record(ctx, topic, mutate)
    entry["value"] = transform(entry["value"])
    return entry


def with_bytes(ctx, topic, old, new):
    """The good message's JSON bytes with the first `old` replaced by the raw bytes `new`
    (bytes that are not UTF-8, which no JSON encoder writes)."""
    entry = spliced(ctx, topic, old, "\u2400")
    entry["value"] = entry["value"].replace("\u2400".encode(), new, 1)
    return entry


def cheaper(order):
    """The good order at 9.90 instead of the catalogue's 19.90, its totals and payment agreeing."""
    line = order["lines"][0]
    line.update(unit_price_incl_tax=money(990), unit_price_excl_tax=money(825), total_incl_tax=money(990), total_excl_tax=money(825))
    order["totals"].update(lines_incl_tax=money(990), total_incl_tax=money(990), total_excl_tax=money(825), total_tax=money(165))
    order["payments"] = [{"amount": money(990), "method": "card"}]


def nested(depth):
    return ("[" * depth + "]" * depth).encode()


def nested_objects(depth):
    return ('{"a":' * depth + "1" + "}" * depth).encode()


def wrong_partition(ctx, topic):
    entry = record(ctx, topic)
    entry["partition"] = (partition_of(entry["key"], partitions(topic)) + 1) % partitions(topic)
    return entry


def structured(ctx, topic, event):
    fresh = ctx.key(topic)
    value = event(fresh, ctx.good(topic, fresh))
    return {"key": fresh, "value": encode(value), "headers": {"content-type": "application/cloudevents+json"}}


ORDER_READERS = lambda code: {"order-ingest": code, "status-notifier": code}
PAYMENT_READERS = lambda code: {"payment-letterer": code, "order-ingest": code}
INVOICE_READERS = lambda code: {"payment-letterer": code, "status-notifier": code}
STATUS_READERS = lambda code: {"status-notifier": code, "order-ingest": code}


def kind(name, topic, make, expect, field=None, client="python", note=""):
    return {"name": name, "topic": topic, "make": make, "expect": expect, "field": field, "client": client, "note": note}


KINDS = [
    # --- broken data -----------------------------------------------------------------------
    kind("truncated_json", "shop.orders", lambda c: transformed(c, "shop.orders", lambda v: v[:120]),
         ORDER_READERS("undecodable")),
    kind("truncated_json_kcat", "erp.articles", lambda c: transformed(c, "erp.articles", lambda v: v[:57]),
         {"article-publisher": "undecodable"}, client="kcat"),
    kind("trailing_comma", "erp.stock", lambda c: spliced(c, "erp.stock", '"LYON-01"', '"LYON-01",,'),
         {"stock-broadcaster": "undecodable"}),
    kind("single_quoted_json", "erp.customers", lambda c: record(c, "erp.customers", raw=b"{'account_code': 'C1'}"),
         {"customer-sync": "undecodable"}),
    kind("plain_text_value", "shop.payments", lambda c: record(c, "shop.payments", raw=b"payment accepted, thanks"),
         PAYMENT_READERS("undecodable"), client="kcat"),
    kind("trailing_garbage", "erp.invoices", lambda c: transformed(c, "erp.invoices", lambda v: v + b" }{"),
         INVOICE_READERS("undecodable")),
    kind("invalid_utf8_bytes", "erp.customers", lambda c: with_bytes(c, "erp.customers", "Atelier Lumiere", b"Atelier Lumi\xe8re"),
         {"customer-sync": "undecodable"}),
    kind("invalid_utf8_overlong", "shop.customers", lambda c: transformed(c, "shop.customers", lambda v: v.replace(b"Camille", b"Cam\xc0\xafille", 1)),
         {"customer-sync": "undecodable"}),
    kind("utf16_value", "erp.stock", lambda c: transformed(c, "erp.stock", lambda v: v.decode().encode("utf-16")),
         {"stock-broadcaster": "undecodable"}),
    kind("nesting_10000_arrays", "erp.stock", lambda c: record(c, "erp.stock", raw=nested(10_000)),
         {"stock-broadcaster": "undecodable"}),
    kind("nesting_10000_objects", "shop.orders", lambda c: record(c, "shop.orders", raw=nested_objects(10_000)),
         ORDER_READERS("undecodable")),
    kind("nesting_10000_in_field", "erp.order-status", lambda c: spliced(c, "erp.order-status", '"problems": []', '"problems": ' + nested(10_000).decode()),
         STATUS_READERS("undecodable")),
    kind("value_2mb", "erp.articles", lambda c: record(c, "erp.articles", setting(["long_descriptions"], {"en": "a" * 2_000_000})),
         {"article-publisher": "undecodable"}),
    kind("string_1mb", "shop.orders", lambda c: record(c, "shop.orders", setting(["lines", 0, "label"], "é" * 500_000)),
         ORDER_READERS("invalid"), field="$.lines[0].label"),
    kind("number_beyond_64_bits", "shop.payments", lambda c: spliced(c, "shop.payments", '"amount": 1990', '"amount": 123456789012345678901234567890'),
         PAYMENT_READERS("invalid"), field="$.amount.amount"),
    kind("number_huge_exponent", "erp.invoices", lambda c: spliced(c, "erp.invoices", '"amount": 1990', '"amount": 1e400'),
         INVOICE_READERS("invalid"), field="$.total_incl_tax.amount"),
    kind("number_fraction_in_minor_units", "shop.payments", lambda c: spliced(c, "shop.payments", '"amount": 1990', '"amount": 19.90'),
         PAYMENT_READERS("invalid"), field="$.amount.amount"),
    kind("empty_value", "erp.order-status", lambda c: record(c, "erp.order-status", raw=b""),
         STATUS_READERS("undecodable")),
    kind("json_null_value", "erp.order-status", lambda c: record(c, "erp.order-status", raw=b"null"),
         STATUS_READERS("invalid"), field="$"),
    kind("json_array_value", "erp.invoices", lambda c: record(c, "erp.invoices", raw=b"[]"),
         INVOICE_READERS("invalid"), field="$"),
    kind("nul_byte_in_json", "erp.articles", lambda c: transformed(c, "erp.articles", lambda v: v.replace(b'"sku":', b'"sku"\x00:', 1)),
         {"article-publisher": "undecodable"}),
    kind("nul_byte_first", "erp.stock", lambda c: transformed(c, "erp.stock", lambda v: b"\x00" + v),
         {"stock-broadcaster": "schema_registry_framing"}, note="a zero first byte is the schema-registry magic byte: told as such"),
    kind("truncated_sales_order", "erp.sales-orders", lambda c: transformed(c, "erp.sales-orders", lambda v: v[:200]),
         {"payment-letterer": "undecodable"}),

    # --- wrong shapes ----------------------------------------------------------------------
    kind("quantity_as_number", "shop.orders", lambda c: record(c, "shop.orders", setting(["lines", 0, "quantity"], 1)),
         ORDER_READERS("invalid"), field="$.lines[0].quantity"),
    kind("amount_as_string", "shop.payments", lambda c: record(c, "shop.payments", setting(["amount", "amount"], "1990")),
         PAYMENT_READERS("invalid"), field="$.amount.amount"),
    kind("object_where_array", "shop.customers", lambda c: record(c, "shop.customers", setting(["addresses"], {"home": {}})),
         {"customer-sync": "invalid"}, field="$.addresses"),
    kind("boolean_as_string", "erp.articles", lambda c: record(c, "erp.articles", setting(["web_enabled"], "yes")),
         {"article-publisher": "invalid"}, field="$.web_enabled"),
    kind("missing_required_field", "erp.stock", lambda c: record(c, "erp.stock", removing(["on_hand"])),
         {"stock-broadcaster": "invalid"}, field="$.on_hand"),
    kind("missing_key_field", "erp.invoices", lambda c: record(c, "erp.invoices", removing(["order_number"])),
         INVOICE_READERS("invalid"), field="$.order_number"),
    kind("missing_nested_field", "erp.customers", lambda c: record(c, "erp.customers", removing(["addresses", 0, "address", "country"])),
         {"customer-sync": "invalid"}, field="$.addresses[0].address.country"),
    kind("duplicate_field", "shop.payments", lambda c: spliced(c, "shop.payments", '"kind": "capture"', '"kind": "capture", "kind": "refund"'),
         PAYMENT_READERS("undecodable")),
    kind("duplicate_field_nested", "erp.stock", lambda c: spliced(c, "erp.stock", '"quantity": "100"', '"quantity": "100", "quantity": "1"'),
         {"stock-broadcaster": "undecodable"}),
    kind("duplicate_member_via_escape", "erp.articles", lambda c: spliced(c, "erp.articles", '"status": "active"', '"status": "active", "st\\u0061tus": "obsolete"'),
         {"article-publisher": "undecodable"}),
    kind("unknown_enum_value", "erp.order-status", lambda c: record(c, "erp.order-status", setting(["status"], "teleported")),
         STATUS_READERS("invalid"), field="$.status"),
    kind("unknown_type", "shop.orders", lambda c: record(c, "shop.orders", message_type="shop.orderz", ce_dataschema=None),
         ORDER_READERS("unknown_type"), field="ce_type"),
    kind("type_of_another_topic", "erp.stock", lambda c: {**record(c, "erp.stock"), "headers": headers("shop.payment")},
         {"stock-broadcaster": "unexpected_type"}),
    kind("future_schema_version", "erp.invoices", lambda c: {**record(c, "erp.invoices"), "headers": headers("erp.invoice", version=99)},
         INVOICE_READERS("unknown_version"), field="ce_dataschema"),
    kind("future_schema_version_kcat", "erp.customers", lambda c: {**record(c, "erp.customers"), "headers": headers("erp.customer-account", version=7)},
         {"customer-sync": "unknown_version"}, field="ce_dataschema", client="kcat"),
    kind("version_zero", "erp.order-status", lambda c: {**record(c, "erp.order-status"), "headers": headers("erp.order-status", version=0)},
         STATUS_READERS("invalid_envelope"), field="ce_dataschema", note="versions count from 1: v0 is not a schema reference"),

    # --- broken envelopes ------------------------------------------------------------------
    kind("no_headers", "erp.stock", lambda c: {**record(c, "erp.stock"), "headers": {}},
         {"stock-broadcaster": "invalid_envelope"}),
    kind("missing_ce_id", "shop.orders", lambda c: record(c, "shop.orders", ce_id=None),
         ORDER_READERS("invalid_envelope"), field="ce_id"),
    kind("missing_ce_type", "erp.articles", lambda c: record(c, "erp.articles", ce_type=None),
         {"article-publisher": "invalid_envelope"}, field="ce_type"),
    kind("missing_ce_source", "erp.invoices", lambda c: record(c, "erp.invoices", ce_source=None),
         INVOICE_READERS("invalid_envelope"), field="ce_source"),
    kind("empty_ce_id", "erp.customers", lambda c: record(c, "erp.customers", ce_id=""),
         {"customer-sync": "invalid_envelope"}, field="ce_id"),
    kind("wrong_specversion", "shop.payments", lambda c: record(c, "shop.payments", ce_specversion="0.3"),
         PAYMENT_READERS("invalid_envelope"), field="ce_specversion"),
    kind("unparseable_ce_time", "erp.invoices", lambda c: record(c, "erp.invoices", ce_time="yesterday"),
         INVOICE_READERS("invalid_envelope"), field="ce_time"),
    kind("impossible_ce_time", "erp.order-status", lambda c: record(c, "erp.order-status", ce_time="2026-02-30T10:00:00Z"),
         STATUS_READERS("invalid_envelope"), field="ce_time"),
    kind("wrong_content_type", "erp.customers", lambda c: record(c, "erp.customers", content__type="text/plain"),
         {"customer-sync": "invalid_envelope"}, field="content-type"),
    kind("xml_content_type", "shop.customers", lambda c: record(c, "shop.customers", raw=b"<account id=\"1\"/>", content__type="application/xml"),
         {"customer-sync": "invalid_envelope"}, field="content-type", client="kcat"),
    kind("schema_registry_framing", "shop.orders", lambda c: transformed(c, "shop.orders", lambda v: b"\x00\x00\x00\x00\x2a" + v),
         ORDER_READERS("schema_registry_framing")),
    kind("schema_registry_framing_avro", "erp.stock", lambda c: record(c, "erp.stock", raw=b"\x00\x00\x00\x01\x07\x0cHCSKU\x0eLYON-01"),
         {"stock-broadcaster": "schema_registry_framing"}),
    kind("header_invalid_utf8", "erp.articles", lambda c: record(c, "erp.articles", ce_id=b"\xff\xfe-id"),
         {"article-publisher": "invalid_envelope"}, field="ce_id"),
    kind("partitionkey_mismatch", "shop.payments", lambda c: record(c, "shop.payments", ce_partitionkey="WEB-000000"),
         PAYMENT_READERS("partition_key_mismatch")),
    kind("structured_without_data", "erp.stock", lambda c: structured(c, "erp.stock", lambda k, m: {
         "specversion": "1.0", "id": "hc-structured-1", "source": "hostile", "type": "erp.stock-level"}),
         {"stock-broadcaster": "invalid_envelope"}),
    kind("structured_missing_id", "shop.orders", lambda c: structured(c, "shop.orders", lambda k, m: {
         "specversion": "1.0", "source": "hostile", "type": "shop.order", "datacontenttype": "application/json", "data": m}),
         ORDER_READERS("invalid_envelope"), field="$.id"),
    kind("structured_data_base64", "erp.invoices", lambda c: structured(c, "erp.invoices", lambda k, m: {
         "specversion": "1.0", "id": "hc-structured-2", "source": "hostile", "type": "erp.invoice", "data_base64": "eyJ4Ijox"}),
         INVOICE_READERS("invalid_envelope")),

    # --- missing values --------------------------------------------------------------------
    kind("tombstone_order", "shop.orders", lambda c: {**record(c, "shop.orders"), "value": None},
         ORDER_READERS("tombstone")),
    kind("tombstone_payment", "shop.payments", lambda c: {**record(c, "shop.payments"), "value": None},
         PAYMENT_READERS("tombstone"), client="kcat"),
    kind("tombstone_invoice", "erp.invoices", lambda c: {**record(c, "erp.invoices"), "value": None, "headers": {}},
         INVOICE_READERS("tombstone")),
    kind("tombstone_status", "erp.order-status", lambda c: {**record(c, "erp.order-status"), "value": None},
         STATUS_READERS("tombstone")),
    kind("tombstone_stock", "erp.stock", lambda c: {**record(c, "erp.stock"), "value": None},
         {"stock-broadcaster": "tombstone"}),
    kind("empty_key", "shop.orders", lambda c: {**record(c, "shop.orders"), "key": ""},
         ORDER_READERS("key_mismatch"), field="$.order_number"),
    kind("null_key", "erp.stock", lambda c: {**record(c, "erp.stock"), "key": None, "partition": c.partition("erp.stock")},
         {"stock-broadcaster": "key_mismatch"}, field="$.sku"),
    kind("empty_key_customer", "erp.customers", lambda c: {**record(c, "erp.customers"), "key": ""},
         {"customer-sync": "key_mismatch"}, field="$.account_code"),
    kind("empty_value_and_key", "shop.payments", lambda c: {**record(c, "shop.payments", raw=b""), "key": ""},
         PAYMENT_READERS("undecodable")),

    # --- impossible values -----------------------------------------------------------------
    kind("negative_quantity", "shop.orders", lambda c: record(c, "shop.orders", setting(["lines", 0, "quantity"], "-1")),
         ORDER_READERS("invalid"), field="$.lines[0].quantity"),
    kind("negative_payment_amount", "shop.payments", lambda c: record(c, "shop.payments", setting(["amount", "amount"], -1990)),
         PAYMENT_READERS("invalid"), field="$.amount.amount"),
    kind("negative_invoice_total", "erp.invoices", lambda c: record(c, "erp.invoices", setting(["total_incl_tax", "amount"], -1990)),
         INVOICE_READERS("invalid"), field="$.total_incl_tax.amount"),
    kind("negative_reserved_stock", "erp.stock", lambda c: record(c, "erp.stock", setting(["reserved"], "-15")),
         {"stock-broadcaster": "invalid"}, field="$.reserved"),
    kind("negative_price", "erp.articles", lambda c: record(c, "erp.articles", setting(["base_price_excl_tax", "amount"], -1)),
         {"article-publisher": "invalid"}, field="$.base_price_excl_tax.amount"),
    kind("impossible_due_date", "erp.invoices", lambda c: record(c, "erp.invoices", setting(["due_on"], "2026-02-30")),
         INVOICE_READERS("invalid"), field="$.due_on"),
    kind("impossible_expected_date", "erp.stock", lambda c: record(c, "erp.stock", setting(["incoming", 0, "expected_on"], "2026-02-30")),
         {"stock-broadcaster": "invalid"}, field="$.incoming[0].expected_on"),
    kind("impossible_instant", "shop.orders", lambda c: record(c, "shop.orders", setting(["placed_at"], "2026-02-30T10:15:30Z")),
         ORDER_READERS("invalid"), field="$.placed_at"),
    kind("month_13", "erp.customers", lambda c: record(c, "erp.customers", setting(["updated_at"], "2026-13-01T00:00:00Z")),
         {"customer-sync": "invalid"}, field="$.updated_at"),
    kind("unknown_currency", "shop.payments", lambda c: record(c, "shop.payments", setting(["amount", "currency"], "EUROS")),
         PAYMENT_READERS("invalid"), field="$.amount.currency"),
    kind("unknown_sku", "shop.orders", lambda c: record(c, "shop.orders", setting(["lines", 0, "sku"], "NOT-IN-CATALOGUE")),
         {"order-ingest": "exception:unknown_sku"}, note="valid, but the catalogue does not sell it: held for a person"),
    kind("price_below_catalogue", "shop.orders", lambda c: record(c, "shop.orders", cheaper),
         {"order-ingest": "exception:price_mismatch"}, note="consistent arithmetic at a price the catalogue does not sell: held"),
    kind("key_disagrees_order", "shop.orders", lambda c: {**record(c, "shop.orders"), "key": c.key("shop.orders")},
         ORDER_READERS("key_mismatch"), field="$.order_number"),
    kind("key_disagrees_article", "erp.articles", lambda c: {**record(c, "erp.articles"), "key": c.key("erp.articles")},
         {"article-publisher": "key_mismatch"}, field="$.sku"),
    kind("key_disagrees_account", "shop.customers", lambda c: {**record(c, "shop.customers"), "key": c.key("shop.customers")},
         {"customer-sync": "key_mismatch"}, field="$.site_account_id", client="kcat"),
    kind("wrong_partition_order", "shop.orders", lambda c: wrong_partition(c, "shop.orders"),
         ORDER_READERS("wrong_partition")),
    kind("wrong_partition_stock", "erp.stock", lambda c: wrong_partition(c, "erp.stock"),
         {"stock-broadcaster": "wrong_partition"}, client="kcat"),
    kind("wrong_partition_invoice", "erp.invoices", lambda c: wrong_partition(c, "erp.invoices"),
         INVOICE_READERS("wrong_partition")),
    kind("wrong_partition_sales_order", "erp.sales-orders", lambda c: wrong_partition(c, "erp.sales-orders"),
         {"payment-letterer": "wrong_partition"}),

    # --- card numbers, member names, escapes -----------------------------------------------
    kind("card_in_order_label", "shop.orders", lambda c: record(c, "shop.orders", setting(["lines", 0, "label"], f"gift for {CARD}")),
         ORDER_READERS("forbidden_content"), field="$.lines[0].label"),
    kind("card_in_provider_reference", "shop.payments", lambda c: record(c, "shop.payments", setting(["provider_reference"], CARD)),
         PAYMENT_READERS("forbidden_content"), field="$.provider_reference"),
    kind("card_spaced_in_address", "shop.customers", lambda c: record(c, "shop.customers", setting(["addresses", 0, "address", "lines"], [f"card {CARD_SPACED}"])),
         {"customer-sync": "forbidden_content"}, field="$.addresses[0].address.lines[0]"),
    kind("card_escaped_digits", "shop.orders", lambda c: spliced(c, "shop.orders", '"label": "T-shirt coton bio - M"',
         '"label": "' + "".join(f"\\u{ord(d):04x}" for d in CARD) + '"'),
         ORDER_READERS("forbidden_content"), field="$.lines[0].label"),
    kind("card_dashed_in_article_label", "erp.articles", lambda c: record(c, "erp.articles", setting(["short_labels", "en"], "4111-1111-1111-1111")),
         {"article-publisher": "forbidden_content"}, field="$.short_labels.en"),
    kind("card_in_status_problem", "erp.order-status", lambda c: record(c, "erp.order-status", setting(["problems"], [
         {"kind": "payment_issue", "message": f"card {CARD} declined"}])),
         STATUS_READERS("forbidden_content"), field="$.problems[0].message"),
    kind("card_in_invoice_url", "erp.invoices", lambda c: record(c, "erp.invoices", setting(["document_url"], f"https://erp.example.com/pay?pan={CARD}")),
         INVOICE_READERS("forbidden_content"), field="$.document_url"),
    kind("member_name_other_case", "erp.stock", lambda c: record(c, "erp.stock", lambda m: {("SKU" if k == "sku" else k): v for k, v in m.items()}),
         {"stock-broadcaster": "invalid"}, field="$.sku", note="member names are case-sensitive; unknown members are ignored (tolerant reader), so SKU is not sku"),
    kind("member_name_invalid_utf8", "shop.customers", lambda c: with_bytes(c, "shop.customers", '"email_verified"', b'"email_\xffverified"'),
         {"customer-sync": "undecodable"}),
    kind("member_name_escaped_duplicate_key_field", "shop.orders", lambda c: spliced(c, "shop.orders", '"currency": "EUR"', '"currency": "EUR", "order\\u005fnumber": "WEB-OTHER"'),
         ORDER_READERS("undecodable"), note="order\\u005fnumber is order_number: a second key field hidden by an escape"),
    kind("lone_surrogate_escape", "shop.customers", lambda c: spliced(c, "shop.customers", '"first_name": "Camille"', '"first_name": "Cam\\ud800ille"'),
         {"customer-sync": "undecodable"}),
    kind("invalid_escape", "erp.customers", lambda c: spliced(c, "erp.customers", '"company_name": "Atelier Lumiere SARL"', '"company_name": "Atelier \\x41"'),
         {"customer-sync": "undecodable"}),
    kind("control_character_unescaped", "erp.articles", lambda c: spliced(c, "erp.articles", '"T-shirt coton bio"', '"T-shirt\tcoton\nbio"'),
         {"article-publisher": "undecodable"}),
]

"""Valid records of each input topic, as an outside producer (the ERP, the site) writes them,
and the helpers the corpus builds its hostile variants from: CloudEvents headers, Kafka's
murmur2 partitioner, keys chosen for a partition.

Values are Python dicts encoded to JSON here, never by the bus's code: the point of the corpus
is that the bus reads what other clients write.
"""
import datetime
import json
import uuid

# Every message type the corpus writes, by input topic, and the key field of each.
TOPIC_TYPES = {
    "erp.customers": "erp.customer-account",
    "shop.customers": "shop.customer-account",
    "erp.articles": "erp.article",
    "erp.stock": "erp.stock-level",
    "shop.orders": "shop.order",
    "erp.order-status": "erp.order-status",
    "shop.payments": "shop.payment",
    "erp.invoices": "erp.invoice",
    "erp.sales-orders": "erp.sales-order",
}

# Which workers read each input topic as a stream (topics/topics.json), so which dead-letter
# topics a hostile record on it reaches.
READERS = {
    "erp.customers": ["customer-sync"],
    "shop.customers": ["customer-sync"],
    "erp.articles": ["article-publisher"],
    "erp.stock": ["stock-broadcaster"],
    "shop.orders": ["order-ingest", "status-notifier"],
    "erp.order-status": ["status-notifier", "order-ingest"],
    "shop.payments": ["payment-letterer", "order-ingest"],
    "erp.invoices": ["payment-letterer", "status-notifier"],
    "erp.sales-orders": ["payment-letterer"],
}

PARTITIONS = {"erp.articles": 3}
DEFAULT_PARTITIONS = 6


def partitions(topic):
    return PARTITIONS.get(topic, DEFAULT_PARTITIONS)


def murmur2(data):
    """Kafka's Java default partitioner hash (`Utils.murmur2`)."""
    m, r = 0x5BD1E995, 24
    length = len(data)
    h = (0x9747B28C ^ length) & 0xFFFFFFFF
    for i in range(length // 4):
        k = data[4 * i] | data[4 * i + 1] << 8 | data[4 * i + 2] << 16 | data[4 * i + 3] << 24
        k = (k * m) & 0xFFFFFFFF
        k ^= k >> r
        k = (k * m) & 0xFFFFFFFF
        h = (h * m) & 0xFFFFFFFF
        h ^= k
    tail = length & ~3
    extra = length % 4
    if extra == 3:
        h ^= data[tail + 2] << 16
    if extra >= 2:
        h ^= data[tail + 1] << 8
    if extra >= 1:
        h ^= data[tail]
        h = (h * m) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * m) & 0xFFFFFFFF
    h ^= h >> 15
    return h


def partition_of(key, count):
    return (murmur2(key.encode()) & 0x7FFFFFFF) % count


class Keys:
    """Fresh entity keys of a prefix that murmur2 puts in a given partition."""

    def __init__(self, run):
        self.run = run
        self.counter = 0

    def make(self, prefix, topic, partition, width=6):
        while True:
            self.counter += 1
            key = f"{prefix}{self.run}{self.counter:0{width}d}"
            if partition_of(key, partitions(topic)) == partition:
                return key


def now(offset_seconds=0):
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset_seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def today(offset_days=0):
    return (datetime.date.today() + datetime.timedelta(days=offset_days)).isoformat()


def headers(message_type, version=1, **overrides):
    """CloudEvents 1.0 binary-mode headers as the contract describes them; an override of
    None removes the header."""
    result = {
        "ce_specversion": "1.0", "ce_id": str(uuid.uuid4()), "ce_source": "hostile-corpus/outside",
        "ce_type": message_type, "ce_time": now(), "content-type": "application/json",
        "ce_dataschema": f"urn:commerce-bus:schema:{message_type}.v{version}",
    }
    for name, value in overrides.items():
        name = name.replace("__", "-")
        if value is None:
            result.pop(name, None)
        else:
            result[name] = value
    return result


def encode(value):
    return json.dumps(value, ensure_ascii=False).encode()


def money(amount):
    return {"amount": amount, "currency": "EUR"}


# ---------------------------------------------------------------------------------------------
# One valid message per input topic, for a key
# ---------------------------------------------------------------------------------------------

ARTICLE_SKU = "HCTEE"          # the article the warm-up publishes, so orders name a known SKU
ORDER_SKU = "HCTEE-M"


def erp_article(sku, variant=None):
    variant = variant or f"{sku}-M"
    return {
        "sku": sku, "status": "active", "family": "TEXTILE", "unit": "C62", "vat_rate": "20.0",
        "base_price_excl_tax": money(1658), "categories": ["women-tops"], "images": [],
        "short_labels": {"en": "Organic cotton T-shirt", "fr": "T-shirt coton bio"},
        "long_descriptions": {"en": "Organic cotton.", "fr": "Coton bio."},
        "price_lists": [], "updated_at": now(), "web_enabled": True, "weight_kg": "0.210",
        "variants": [{"sku": variant, "gtin": "3760123450027", "options": {"size": "M"}, "web_enabled": True}],
    }


def erp_stock_level(sku):
    return {"sku": sku, "warehouse": "LYON-01", "on_hand": "57", "reserved": "15",
            "incoming": [{"expected_on": today(10), "quantity": "100"}], "measured_at": now()}


def erp_customer_account(code):
    return {
        "account_code": code, "kind": "b2b", "status": "active", "source": "erp", "currency": "EUR",
        "language": "fr", "company_name": "Atelier Lumiere SARL", "email": f"compta.{code.lower()}@atelier.example",
        "phone": "+33478123456", "payment_terms": "NET30", "price_list": "B2B-GOLD", "vat_number": "FR40123456824",
        "updated_at": now(),
        "addresses": [{"address_id": "BILL-1", "is_default_billing": True, "is_default_shipping": True,
                       "address": {"city": "Lyon", "country": "FR", "lines": ["48 quai Saint-Antoine"],
                                   "postal_code": "69002", "recipient_name": "Service comptabilite"}}],
        "contacts": [{"contact_id": "CT-0091", "email": f"julie.{code.lower()}@atelier.example", "first_name": "Julie",
                      "last_name": "Moreau", "is_primary": True}],
    }


def shop_customer_account(account):
    return {
        "site_account_id": account, "source": "site", "email": f"{account}@example.com", "email_verified": True,
        "first_name": "Camille", "last_name": "Martin", "language": "fr-FR", "phone": "+33612345678",
        "created_at": now(-60), "updated_at": now(),
        "consents": [{"granted": True, "purpose": "marketing_email", "updated_at": now(-60)}],
        "addresses": [{"address_id": "home", "is_default_billing": True, "is_default_shipping": True,
                       "address": {"city": "Paris", "country": "FR", "lines": ["12 rue des Lilas"], "postal_code": "75011",
                                   "recipient_name": "Camille Martin", "phone": "+33612345678"}}],
    }


def shop_order(number):
    line = {"line_number": 1, "sku": ORDER_SKU, "label": "T-shirt coton bio - M", "quantity": "1", "vat_rate": "20.0",
            "unit_price_excl_tax": money(1658), "unit_price_incl_tax": money(1990),
            "total_excl_tax": money(1658), "total_incl_tax": money(1990), "discounts": []}
    address = {"city": "Paris", "country": "FR", "lines": ["12 rue des Lilas"], "postal_code": "75011",
               "recipient_name": "Camille Martin", "phone": "+33612345678"}
    return {
        "order_number": number, "currency": "EUR", "language": "fr", "placed_at": now(),
        "customer": {"email": f"{number.lower()}@example.com", "first_name": "Camille", "last_name": "Martin"},
        "billing_address": address, "delivery_address": address, "lines": [line], "shipping_lines": [], "vouchers": [],
        "payments": [{"amount": money(1990), "method": "card"}],
        "totals": {"lines_incl_tax": money(1990), "shipping_incl_tax": money(0), "total_excl_tax": money(1658),
                   "total_incl_tax": money(1990), "total_tax": money(332), "vouchers_incl_tax": money(0)},
    }


def erp_order_status(number):
    return {"order_number": number, "erp_order_reference": f"CV-{number}", "status": "validated", "sequence": 1,
            "status_at": now(), "shipments": [], "problems": [],
            "documents": [{"issued_at": now(), "kind": "acknowledgement", "number": f"CV-{number}"}]}


def shop_payment(number):
    return {"payment_id": f"pay_{number}", "order_number": number, "kind": "capture", "method": "card",
            "amount": money(1990), "provider": "stripe", "provider_reference": f"pi_{number}", "card_brand": "visa",
            "occurred_at": now()}


def erp_invoice(number):
    return {"invoice_number": f"FA-{number}", "order_number": number, "account_code": "C004699", "currency": "EUR",
            "document_url": f"https://erp.example.com/documents/FA-{number}.pdf", "due_on": today(30), "issued_at": now(),
            "total_excl_tax": money(1658), "total_incl_tax": money(1990), "total_tax": money(332)}


def erp_sales_order(number, example):
    order = json.loads(json.dumps(example))
    order["external_reference"] = number
    order["ordered_at"] = now()
    return order


GOOD = {
    "erp.customers": (erp_customer_account, "C9"),
    "shop.customers": (shop_customer_account, "acc_hc"),
    "erp.articles": (erp_article, "HCA"),
    "erp.stock": (erp_stock_level, "HCSKU"),
    "shop.orders": (shop_order, "WEB-"),
    "erp.order-status": (erp_order_status, "WEB-"),
    "shop.payments": (shop_payment, "WEB-"),
    "erp.invoices": (erp_invoice, "WEB-"),
}

import BusKafka
import BusSchema
import Foundation

/// Where a worker's time per input goes, outside Kafka: each step alone over the same inputs.
///
/// Besides the codec's own path (one parse, validation, values built from that parse), it
/// times the path it replaced (parse and validate, then Foundation's `JSONDecoder` over the
/// bytes again) and a decoder written by hand for the stock level, the ceiling a code
/// generator could reach, so the three can be compared in one run.
struct CodecProfile {
    let records: [ProducerRecord]

    func run() throws {
        let registry = MessageRegistry.standard
        let codec = MessageCodec()
        var inputs: [(Envelope, Data)] = []
        let read = KafkaBenchmark.measure {
            inputs = records.compactMap { record in
                let headers = record.headers.compactMap { h in h.stringValue.map { (key: h.key, value: $0) } }
                return try? Envelope.read(headers: headers, value: record.value ?? Data())
            }
        }
        var messages: [any BusMessage] = []
        let decode = try KafkaBenchmark.measure {
            messages = try inputs.map { try registry.decode($0.0, payload: $0.1) }
        }
        let parseOnly = try KafkaBenchmark.measure {
            for input in inputs { _ = try JSONParser().parse(input.1) }
        }
        let validateOnly = try KafkaBenchmark.measure {
            for input in inputs {
                let document = try JSONParser().parse(input.1)
                _ = SchemaValidator().problems(in: document, against: ERPStockLevel.schema)
            }
        } - parseOnly
        let jsonDecoderPath = try KafkaBenchmark.measure {
            for input in inputs {
                let document = try JSONParser().parse(input.1)
                guard SchemaValidator().problems(in: document, against: ERPStockLevel.schema).isEmpty else { continue }
                let level = try JSONDecoder().decode(ERPStockLevel.self, from: input.1)
                _ = level.validate()
            }
        }
        let codableOnly = try KafkaBenchmark.measure {
            for input in inputs { _ = try JSONDecoder().decode(ERPStockLevel.self, from: input.1) }
        }
        let handWritten = try KafkaBenchmark.measure {
            for input in inputs { _ = try HandWrittenStockLevel.decode(JSONParser().parse(input.1)) }
        } - parseOnly
        let encode = KafkaBenchmark.measure {
            for message in messages { _ = codec.encode(anyMessage: message) }
        }
        let derive = KafkaBenchmark.measure {
            for input in inputs { _ = input.0.derived(worker: "stock-broadcaster", position: 0, for: Availability.self) }
        }
        let n = Double(records.count)
        for (name, seconds) in [("envelope from headers", read), ("decode + validate", decode), ("  JSON parse only", parseOnly),
                                ("  schema validation only", validateOnly),
                                ("  JSONDecoder path (before)", jsonDecoderPath), ("  Codable (JSONDecoder) only", codableOnly),
                                ("  hand-written build only", handWritten),
                                ("encode", encode), ("derived envelope (v5 id)", derive)] {
            say(name.padding(toLength: 30, withPad: " ", startingAt: 0) + String(format: "%8.2f µs/input", seconds / n * 1e6))
        }
    }
}

/// An `ERPStockLevel` built from a parsed document by code written for it alone: what a
/// generated decoder would be. No validation (the schema validator runs before it).
enum HandWrittenStockLevel {
    struct Missing: Error {}

    static func decode(_ document: JSONValue) throws -> ERPStockLevel {
        guard case let .object(members) = document else { throw Missing() }
        var sku: String?, warehouse: String?, onHand: Quantity?, reserved: Quantity?, measuredAt: Instant?, backorder: Bool?
        var incoming: [IncomingStock] = []
        for member in members {
            switch (member.key, member.value) {
            case let ("sku", .string(text)): sku = text
            case let ("warehouse", .string(text)): warehouse = text
            case let ("on_hand", .string(text)): onHand = Quantity(text)
            case let ("reserved", .string(text)): reserved = Quantity(text)
            case let ("measured_at", .string(text)): measuredAt = Instant(text)
            case let ("backorder_allowed", .bool(flag)): backorder = flag
            case let ("incoming", .array(elements)):
                for element in elements {
                    guard case let .string(date)? = element["expected_on"], let on = LocalDate(date),
                          case let .string(quantity)? = element["quantity"], let amount = Quantity(quantity) else { throw Missing() }
                    incoming.append(IncomingStock(quantity: amount, expectedOn: on))
                }
            default: break
            }
        }
        guard let sku, let warehouse, let onHand, let reserved, let measuredAt else { throw Missing() }
        return ERPStockLevel(sku: SKU(sku), warehouse: WarehouseCode(warehouse), onHand: onHand, reserved: reserved,
                             incoming: incoming, measuredAt: measuredAt, backorderAllowed: backorder)
    }
}

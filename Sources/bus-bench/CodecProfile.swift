import BusKafka
import BusSchema
import Foundation

/// Where a worker's time per input goes, outside Kafka: each step alone over the same inputs.
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
        let codableOnly = try KafkaBenchmark.measure {
            for input in inputs { _ = try JSONDecoder().decode(ERPStockLevel.self, from: input.1) }
        }
        let encode = KafkaBenchmark.measure {
            for message in messages { _ = codec.encode(anyMessage: message) }
        }
        let derive = KafkaBenchmark.measure {
            for input in inputs { _ = input.0.derived(worker: "stock-broadcaster", position: 0, for: Availability.self) }
        }
        let n = Double(records.count)
        for (name, seconds) in [("envelope from headers", read), ("decode + validate", decode), ("  JSON parse only", parseOnly),
                                ("  Codable only", codableOnly), ("encode", encode), ("derived envelope (v5 id)", derive)] {
            say(name.padding(toLength: 26, withPad: " ", startingAt: 0) + String(format: "%8.2f µs/input", seconds / n * 1e6))
        }
    }
}

import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation

/// The input of the test flow: the n-th event of a key.
struct TestEvent: BusMessage {
    static let messageType = "test.event"
    static let schemaVersion = 1
    static let summary = "A test input."
    var key: String
    var n: Int64

    static let schema: SchemaNode = .object(
        .required("key", .text(maximumLength: 100), "The key."),
        .required("n", .integer(minimum: 0), "Position of the event among its key's events.")
    )
}

/// The output of the test flow: how many events of the key it has counted.
struct TestEcho: BusMessage {
    static let messageType = "test.echo"
    static let schemaVersion = 1
    static let summary = "A test output."
    var key: String
    var n: Int64
    var count: Int64

    static let schema: SchemaNode = .object(
        .required("key", .text(maximumLength: 100), "The key."),
        .required("n", .integer(minimum: 0), "The input's n."),
        .required("count", .integer(minimum: 0), "Events counted for the key.")
    )
}

/// A stateful, idempotent flow: per key, it counts events in order and echoes each one.
/// An event at or below the last n seen for its key was handled before (a replay) and
/// produces nothing; an event with n = 666 is refused.
struct EchoFlow: Flow {
    struct State: Codable, Sendable, Equatable {
        var lastN: Int64
        var count: Int64
    }

    var name = "echo"
    var inputs = ["test.in"]
    var output = "test.out"
    var coalesce = false
    /// Time spent on each input, so a test can act while a load is surely being processed
    /// (the loop drains thousands of echoes a second: faster than a test can poll).
    var pace: TimeInterval = 0

    init(name: String = "echo", output: String = "test.out", coalesce: Bool = false, pace: TimeInterval = 0) {
        self.name = name
        self.output = output
        self.coalesce = coalesce
        self.pace = pace
    }

    func handle(_ input: FlowInput, state: inout FlowState<State>, tables: any TableLookup) throws -> [FlowOutput] {
        guard let event = input.message(as: TestEvent.self) else { return [] }
        if pace > 0 { Thread.sleep(forTimeInterval: pace) }
        if event.n == 666 { throw FlowRejection(field: "$.n", reason: "the number of the beast is refused") }
        var current = state[event.key] ?? State(lastN: -1, count: 0)
        guard event.n > current.lastN else { return [] }
        current.lastN = event.n
        current.count += 1
        state[event.key] = current
        return [FlowOutput(topic: output, key: event.key, message: TestEcho(key: event.key, n: event.n, count: current.count),
                           delivery: coalesce ? .coalesced : .immediate)]
    }

    /// A resync re-publishes the current count of every key (or of the keys asked).
    func control(_ request: FlowControl, state: inout FlowState<State>, tables: any TableLookup) -> [FlowOutput] {
        guard case .resync(let keys) = request else { return [] }
        return state.keys.filter { keys?.contains($0) ?? true }.compactMap { key in
            state[key].map { FlowOutput(topic: output, key: key, message: TestEcho(key: key, n: $0.lastN, count: $0.count)) }
        }
    }
}

enum Echo {
    static let registry = MessageRegistry([TestEvent.self, TestEcho.self, ResyncRequest.self])

    /// A cluster with the echo flow's topics.
    static func harness(partitions: Int = 4) throws -> FlowHarness<EchoFlow> {
        try FlowHarness(flow: EchoFlow(), topics: ["test.out"], partitions: partitions, registry: registry)
    }
    static let codec = MessageCodec()

    /// The record an outside system would publish for event `n` of `key`.
    static func input(key: String, n: Int64, topic: String = "test.in") -> ProducerRecord {
        let envelope = Envelope(for: TestEvent.self, id: "in-\(key)-\(n)", source: "test/producer", time: Instant(Date(timeIntervalSince1970: 1_800_000_000)))
        return ProducerRecord(topic: topic, key: key, value: codec.encode(TestEvent(key: key, n: n)),
                              headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
    }

    /// Decodes an output record.
    static func echo(_ record: ConsumedRecord) -> (id: String, echo: TestEcho)? {
        guard let value = record.value, let id = record.headers.string("ce_id"),
              let echo = try? codec.decode(TestEcho.self, from: value) else { return nil }
        return (id, echo)
    }
}

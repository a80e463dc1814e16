import BusKafka
import BusSchema
import Foundation
import Testing
@testable import BusRuntime

/// The runtime's one check of the record key, for every flow: the partition (murmur2), the
/// message type declared on the topic, and the message's key field.
@Suite("Key placement")
struct KeyPlacementTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A flow declaring orders on `shop.orders` keyed by their number, and identity links on a
    /// re-keying topic keyed its own way.
    struct DeclaringFlow: Flow {
        let name = "declaring"
        let inputs = [Topics.shopOrders, "bus.declaring.rekey"]
        var handlers: [FlowHandler] {
            [FlowHandler(Topics.shopOrders, SiteOrder.self), FlowHandler("bus.declaring.rekey", IdentityLink.self, key: .flowDefined)]
        }
        func handle(_ input: FlowInput, state: inout FlowState<NoState>, tables: any TableLookup) throws -> [FlowOutput] { [] }
    }

    /// A flow declaring nothing: every message's key field is checked, on any topic.
    struct UndeclaredFlow: Flow {
        let name = "undeclared"
        let inputs = ["any.topic"]
        func handle(_ input: FlowInput, state: inout FlowState<NoState>, tables: any TableLookup) throws -> [FlowOutput] { [] }
    }

    static func placement<F: Flow>(_ flow: F, partitions: Int32? = 6) throws -> (KeyPlacement, MetricsRegistry) {
        let registry = MetricsRegistry()
        let counter = try registry.counter("misplaced_total", help: "test", labels: ["topic"])
        return (KeyPlacement(flow: flow, misplaced: counter) { _ in partitions }, registry)
    }

    static func example(_ type: any BusMessage.Type) throws -> any BusMessage {
        let data = try Data(contentsOf: repository.appendingPathComponent("topics/examples/\(type.schemaReference.fileName)"))
        return try MessageRegistry.standard.decode(messageType: type.messageType, version: type.schemaVersion, from: data)
    }

    static func input(_ message: any BusMessage, key: String?, topic: String = "any.topic") -> FlowInput {
        let envelope = Envelope(id: "e-1", source: "test", type: type(of: message).messageType, time: Instant(Date(timeIntervalSince1970: 0)))
        return FlowInput(envelope: envelope, message: message, key: key, topic: topic)
    }

    @Test("every message type with a key field: its example under its own key passes, under another key it is refused naming the field",
          arguments: MessageRegistry.standard.messageTypes)
    func keyFieldOfEveryType(_ messageType: String) throws {
        let type = try MessageRegistry.standard.type(named: messageType, version: 1)
        let message = try Self.example(type)
        let (placement, _) = try Self.placement(UndeclaredFlow())
        guard let (path, value) = message.keyFieldValue else {
            #expect(placement.check(Self.input(message, key: "anything")) == nil, "no key field: any key")
            return
        }
        // The path names the field as it is on the wire: the example's JSON holds the value there.
        let json = try JSONSerialization.jsonObject(with: MessageCodec().encode(message)) as? [String: Any]
        #expect(json?[String(path.dropFirst(2))] as? String == value, "\(path) in the example")
        #expect(placement.check(Self.input(message, key: value)) == nil)
        for wrong in [value + "-2", "", nil] as [String?] {
            let refused = try #require(placement.check(Self.input(message, key: wrong)))
            #expect(refused.code == "key_mismatch")
            #expect(refused.field == path)
            #expect(refused.reason.contains(path))
        }
    }

    @Test("a flow's declarations: a re-keying topic's own keys pass, a type not declared on a topic is refused")
    func declarations() throws {
        let (placement, _) = try Self.placement(DeclaringFlow())
        let order = try Self.example(SiteOrder.self)
        let link = try Self.example(IdentityLink.self)
        #expect(placement.check(Self.input(order, key: "WEB-100234", topic: Topics.shopOrders)) == nil)
        #expect(placement.check(Self.input(order, key: "WEB-9", topic: Topics.shopOrders))?.code == "key_mismatch")
        #expect(placement.check(Self.input(link, key: "site:acc_b2b_lumiere_julie", topic: "bus.declaring.rekey")) == nil, "flow-defined key")
        let stray = try #require(placement.check(Self.input(link, key: "acc_b2b_lumiere_julie", topic: Topics.shopOrders)))
        #expect(stray.code == "unexpected_type")
        #expect(stray.field == "ce_type")
    }

    @Test("a record of a known type the flow does not read on its topic is refused as unexpected_type before its payload is decoded; an unknown type stays unknown_type", arguments: [
        ("shop.payment", "unexpected_type", "ce_type"), ("erp.stock-level", "unexpected_type", "ce_type"), ("shop.orderz", "unknown_type", "ce_type"),
    ])
    func typeRefusedBeforeDecoding(_ messageType: String, _ code: String, _ field: String) throws {
        var (placement, _) = try Self.placement(DeclaringFlow())
        let codec = RecordCodec<NoState>(worker: "declaring", registry: .standard)
        // The payload is no message of any type: decoding it first would give `invalid`.
        let headers = [("ce_specversion", "1.0"), ("ce_id", "e-1"), ("ce_source", "test"), ("ce_type", messageType),
                       ("ce_time", "2026-12-01T10:00:00Z"), ("content-type", "application/json")]
        let record = ConsumedRecord(topic: Topics.shopOrders, partition: 2, offset: 7, key: Data("TSHIRT-BLU-M".utf8),
                                    value: Data(#"{"sku": "TSHIRT-BLU-M"}"#.utf8), headers: headers.map { KafkaHeader(key: $0.0, string: $0.1) })
        #expect(placement.misplacement(of: record) == nil, "murmur2(TSHIRT-BLU-M) % 6 = 2")
        do {
            _ = try placement.input(from: record, codec: codec)
            Issue.record("accepted")
        } catch {
            #expect(error.code == code, "\(error.reason)")
            #expect(error.field == field)
        }
    }

    static func record(_ key: String?, partition: Int32, topic: String = Topics.shopOrders) -> ConsumedRecord {
        ConsumedRecord(topic: topic, partition: partition, offset: 7, key: key.map { Data($0.utf8) }, value: Data("{}".utf8))
    }

    @Test("a keyed record is misplaced unless it sits in murmur2(key) mod partitions", arguments: [
        ("TSHIRT-BLU-M", 2, nil), ("TSHIRT-BLU-M", 3, 2), ("ORDER-9", 0, nil), ("ORDER-9", 5, 0), ("SKU-22", 2, 3), ("A", 4, nil),
    ] as [(String, Int32, Int32?)])
    func misplacement(_ key: String, _ partition: Int32, _ expected: Int32?) throws {
        var (placement, registry) = try Self.placement(DeclaringFlow())
        let verdict = placement.misplacement(of: Self.record(key, partition: partition))
        #expect(verdict?.details[DeadLetterHeader.expectedPartition] == expected.map(String.init))
        if expected != nil {
            #expect(verdict?.code == "wrong_partition")
            #expect(verdict?.details[DeadLetterHeader.producerSetting] == "partitioner=murmur2_random")
            #expect(verdict?.reason.contains("not \(partition)") == true)
            // Through the whole decode path: refused before decoding, and counted.
            let codec = RecordCodec<NoState>(worker: "declaring", registry: .standard)
            #expect(throws: RecordCodec<NoState>.Rejection.self) { try placement.input(from: Self.record(key, partition: partition), codec: codec) }
            #expect(registry.render().contains("misplaced_total{topic=\"shop.orders\"} 1"))
        }
    }

    @Test("an unkeyed record, or a topic whose partition count is unknown, is not judged")
    func notJudged() throws {
        var (known, _) = try Self.placement(DeclaringFlow())
        #expect(known.misplacement(of: Self.record(nil, partition: 5)) == nil)
        var (unknown, _) = try Self.placement(DeclaringFlow(), partitions: nil)
        #expect(unknown.misplacement(of: Self.record("TSHIRT-BLU-M", partition: 3)) == nil)
    }

    @Test("a partition beyond the count known asks the cluster again (the topic grew)")
    func topicGrew() throws {
        let registry = MetricsRegistry()
        let counter = try registry.counter("misplaced_total", help: "test", labels: ["topic"])
        let counts = Locked<[Int32]>([3, 6])
        var placement = KeyPlacement(flow: DeclaringFlow(), misplaced: counter) { _ in counts.withLock { $0.isEmpty ? nil : $0.removeFirst() } }
        #expect(placement.misplacement(of: Self.record("ORDER-9", partition: 0)) == nil, "murmur2(ORDER-9) % 3 = 0")
        #expect(placement.misplacement(of: Self.record("ORDER-9", partition: 0)) == nil, "the count is kept")
        #expect(placement.misplacement(of: Self.record("TSHIRT-BLU-M", partition: 4))?.details[DeadLetterHeader.expectedPartition] == "2", "6 partitions now")
    }
}

extension RecordCodec.Rejection: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.code == rhs.code && lhs.reason == rhs.reason && lhs.field == rhs.field && lhs.details == rhs.details
    }
}

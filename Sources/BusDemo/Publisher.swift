import BusKafka
import BusSchema
import Foundation
import Synchronization

/// Publishes as the ERP's and the site's adapters do: the JSON message as the value, the
/// CloudEvents attributes in binary-mode headers, the key the catalogue gives.
///
/// Event ids are name-based UUIDs of the seed, the run and what the event is ("site/order/WEB-100001"),
/// so a seed always gives the same ids whatever the timing.
final class Publisher {
    private let producer: KafkaProducer
    private let seed: UInt64
    private let run: RunTag
    private let codec = MessageCodec()
    private var uses: [String: Int] = [:]
    private let refusals = Refusals()
    /// Records handed to the producer.
    private(set) var published = 0

    init(producer: KafkaProducer, seed: UInt64, run: RunTag) {
        self.producer = producer
        self.seed = seed
        self.run = run
    }

    /// Records the broker refused, and why the first was.
    var failures: (count: Int, first: String?) {
        refusals.state.withLock { $0 }
    }

    /// Publishes `message` on `topic` under `key`, as `source` would, at `time`; returns its
    /// event id. `conversation` sets the request/reply attributes of a query or its answer.
    @discardableResult
    func publish<M: BusMessage>(_ message: M, topic: String, key: String, source: String, time: Instant, name: String,
                                conversation: FlowOutput.Conversation? = nil, reusing earlier: String? = nil) -> String {
        let id = earlier ?? eventID(name)
        var envelope = Envelope(for: M.self, id: id, source: source, time: time)
        envelope.correlationID = conversation?.correlationID
        envelope.replyTo = conversation?.replyTo
        envelope.deadline = conversation?.deadline
        send(topic: topic, key: key, value: codec.encode(message), envelope: envelope)
        return id
    }

    /// Publishes raw bytes with the envelope of a `M` message: for the deliberately broken record.
    @discardableResult
    func publishRaw<M: BusMessage>(_ value: Data, as type: M.Type, topic: String, key: String, source: String, time: Instant, name: String) -> String {
        let id = eventID(name)
        send(topic: topic, key: key, value: value, envelope: Envelope(for: M.self, id: id, source: source, time: time))
        return id
    }

    /// Waits until every record handed over has its outcome.
    func flush() {
        try? producer.flush(timeout: .seconds(10))
    }

    private func eventID(_ name: String) -> String {
        let use = uses[name, default: 0]
        uses[name] = use + 1
        return NameBasedUUID.v5(namespace: NameBasedUUID.busNamespace, name: "demo|\(seed)|\(run.id)|\(name)|\(use)")
    }

    private func send(topic: String, key: String, value: Data, envelope: Envelope) {
        published += 1
        let record = ProducerRecord(topic: topic, key: key, value: value,
                                    headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
        let refusals = refusals
        producer.enqueue(record) { result in
            guard case .failure(let error) = result else { return }
            refusals.state.withLock { $0 = ($0.count + 1, $0.first ?? "\(topic): \(error)") }
        }
    }
}

/// Records the broker refused, counted from the producer's delivery thread.
private final class Refusals: Sendable {
    let state = Mutex<(count: Int, first: String?)>((0, nil))
}

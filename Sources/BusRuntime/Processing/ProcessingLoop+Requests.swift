import BusKafka
import BusSchema
import Foundation

/// Live queries (request/reply): a request is read like any input, answered by the flow from
/// the state of every partition this instance holds, and its answer goes to the request's
/// reply topic under the request's record key. Requests are not state: an answer changes no
/// store and writes nothing to the changelog, and the request's offset is committed once its
/// answer is delivered, as any input's.
///
/// After a crash or a rebalance, requests not yet committed are read again. One read past its
/// deadline and appended before its partition was assigned here may have been answered by
/// the previous owner, and nobody waits for it any more: it is skipped (counted
/// `expired_on_replay`), never answered twice. One read past its deadline and appended since
/// is answered `timeout`: this instance is its only reader.
extension ProcessingLoop {
    func requestOutcome(
        of record: ConsumedRecord, route: RequestRoute, decoded: Result<FlowInput, RecordCodec<F.State>.Rejection>? = nil
    ) -> ProcessingCore<F.State>.Outcome {
        let input: FlowInput
        let request: FlowRequest
        do {
            input = try placement.input(from: record, codec: codec, decoded: decoded)
            request = try FlowRequest.read(input, route: route, now: Instant(Date()))
        } catch let rejection as RecordCodec<F.State>.Rejection {
            return .rejected(rejection)
        } catch {
            return .rejected(Self.rejection(for: error))
        }
        if request.isExpired, appendedBeforeAssignment(record) {
            metrics.requests.increment(labels: ["topic": record.topic, "outcome": "expired_on_replay"])
            logger.info("request_expired_on_replay", .topic(record.topic), .partition(record.partition), .offset(record.offset))
            return .handled([], changes: [])
        }
        let answer: any BusMessage
        do {
            answer = try flow.answer(request, state: stateLookup(), tables: tables)
        } catch {
            return .rejected(Self.rejection(for: error))
        }
        metrics.requests.increment(labels: ["topic": record.topic, "outcome": request.isExpired ? "timeout" : "answered"])
        let output = FlowOutput(topic: request.replyTo, key: request.replyKey, message: answer)
        metrics.inputs.published(output)
        let answerRecord = codec.record(for: output, position: 0, cause: input.envelope, key: request.replyKey)
        return .handled([.init(record: answerRecord, coalescingKey: nil)], changes: [])
    }

    /// Remembers when request partitions were assigned.
    func noteRequestPartitions(assigned partitions: [TopicPartition]) {
        let now = Date()
        for partition in partitions where requestRoutes[partition.topic] != nil { requestPartitionsSince[partition] = now }
    }

    /// Whether the record was in its partition before this instance was assigned it.
    private func appendedBeforeAssignment(_ record: ConsumedRecord) -> Bool {
        guard let appended = record.timestamp, let since = requestPartitionsSince[record.topicPartition] else { return false }
        return appended < since
    }

    /// The state of every partition held here, found by key as Kafka's Java partitioner
    /// places the key on the flow's state topic (its first input that is not a request topic).
    func stateLookup() -> StateLookup<F.State> {
        guard let count = statePartitions() else { return StateLookup { _ in .elsewhere } }
        let stores = self.stores
        let held = stores.keys.sorted()
        return StateLookup(partitions: held.map(Int.init), of: Int(count), every: {
            held.flatMap { partition in (stores[partition]?.snapshot ?? [:]).map { (key: $0.key, value: $0.value) } }.sorted { $0.key < $1.key }
        }) { key in
            guard let store = stores[Murmur2Partitioner.partition(of: key, partitions: count)] else { return .elsewhere }
            return store[key].map { .value($0) } ?? .absent
        }
    }

    func statePartitions() -> Int32? {
        if let statePartitionCount { return statePartitionCount }
        guard let topic = flow.inputs.first(where: { requestRoutes[$0] == nil }) else { return nil }
        statePartitionCount = consumer.partitionCount(of: topic)
        return statePartitionCount
    }
}

import BusKafka
import BusSchema
import Foundation

/// Turns Kafka records into flow inputs and flow outputs into Kafka records.
struct RecordCodec<State: Codable & Sendable & Equatable>: Sendable {
    let worker: String
    let registry: MessageRegistry
    let codec = MessageCodec()

    /// Why an input cannot reach the flow: a dead letter's reason.
    struct Rejection: Error, Sendable {
        /// A stable code for metrics (`undecodable`, `invalid`, `unknown_version`, `rejected`, …).
        let code: String
        /// A sentence a person can act on, without payload values.
        let reason: String
        /// The JSON path (or header name) concerned.
        let field: String?
        /// More dead-letter headers (`bus_expected_partition`, …), by name.
        var details: [String: String] = [:]

        init(_ error: SchemaError) {
            code = error.code.rawValue
            reason = error.reason
            field = error.field
        }

        init(_ rejection: FlowRejection) {
            code = "rejected"
            reason = rejection.reason
            field = rejection.field
        }

        init(code: String, reason: String, field: String? = nil, details: [String: String] = [:]) {
            self.code = code
            self.reason = reason
            self.field = field
            self.details = details
        }
    }

    /// The record as a flow input, read by `RecordReader`: envelope from its headers (binary
    /// mode) or its value (structured mode), partition key checked, then `admit` asked about
    /// the envelope (nil: go on), then the message decoded and validated. Asking before the
    /// decoding gives a record of a type the flow does not read that reason, not the schema
    /// errors of a payload that was never meant for this topic.
    func input(from record: ConsumedRecord, admit: (Envelope) -> Rejection? = { _ in nil }) throws(Rejection) -> FlowInput {
        guard let value = record.value else {
            throw Rejection(code: "tombstone", reason: "a null value (tombstone) is not a message this worker reads")
        }
        let headers = record.headers.compactMap { header in header.stringValue.map { (key: header.key, value: $0) } }
        let reader = RecordReader(registry: registry, codec: codec)
        let envelope: Envelope
        let payload: Data
        do {
            (envelope, payload) = try reader.envelope(headers: headers, key: record.keyString, value: value, recordTime: record.timestamp.map(Instant.init))
        } catch {
            throw Rejection(error)
        }
        if let refused = admit(envelope) { throw refused }
        do {
            let message = try registry.decode(envelope, payload: payload, codec: codec)
            return FlowInput(envelope: envelope, message: message, key: record.keyString, topic: record.topic)
        } catch {
            throw Rejection(error)
        }
    }

    /// The envelope a tombstone's outputs derive from: its id is made of the record's topic,
    /// partition and offset, its time is the record's timestamp (the wall clock when it has none).
    func deletionEnvelope(of record: ConsumedRecord) -> Envelope {
        let id = EventID.fromFacts("deleted", [record.topic, String(record.partition), String(record.offset)])
        return Envelope(id: id.rawValue, source: "kafka/\(record.topic)", type: "bus.deleted", time: Instant(record.timestamp ?? Date()))
    }

    /// The record for the output at `position` among an input's outputs.
    func record(for output: FlowOutput, position: Int, input: FlowInput) -> ProducerRecord {
        record(for: output, position: position, cause: input.envelope, key: input.key)
    }

    /// The record for the output at `position` among those of `cause` (an input's envelope, or
    /// a timer's), keyed by `key` unless the output names its own.
    func record(for output: FlowOutput, position: Int, cause: Envelope, key causeKey: String?) -> ProducerRecord {
        let key = output.key ?? causeKey
        let value: Data?
        let type: String
        let dataSchema: String?
        switch output.payload {
        case .message(let message):
            value = codec.encode(anyMessage: message)
            type = Swift.type(of: message).messageType
            dataSchema = Swift.type(of: message).schemaReference.uri
        case .tombstone(let messageType):
            value = nil
            type = messageType
            dataSchema = nil
        }
        var envelope = cause.derived(worker: worker, position: position, type: type, dataSchema: dataSchema,
                                     topic: output.topic, key: key, value: value, effect: output.effectID)
        if let conversation = output.conversation {
            envelope.correlationID = conversation.correlationID
            envelope.replyTo = conversation.replyTo
            envelope.deadline = conversation.deadline
        }
        return ProducerRecord(topic: output.topic, key: key.map { Data($0.utf8) }, value: value, headers: headers(envelope))
    }

    /// The changelog record of one state key: the JSON of the value, or a tombstone.
    func changelogRecord(topic: String, partition: Int32, key: String, value: Data?) -> ProducerRecord {
        ProducerRecord(topic: topic, partition: partition, key: Data(key.utf8), value: value)
    }

    /// A state value as changelog bytes: stable JSON (the canonical form of messages, which
    /// `JSONDecoder` reads back), written without Foundation's encoder, whose cost per state
    /// change was measurable on every input.
    func encodeState(_ value: State?) throws -> Data? {
        guard let value else { return nil }
        guard let bytes = codec.encodeValue(value) else { throw StateEncodingFailure() }
        return bytes
    }

    /// A state value whose `encode(to:)` threw.
    struct StateEncodingFailure: Error {}

    /// Changelog bytes as a state value.
    func decodeState(_ data: Data) throws -> State {
        try JSONDecoder().decode(State.self, from: data)
    }

    func headers(_ envelope: Envelope) -> [KafkaHeader] {
        envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) }
    }
}

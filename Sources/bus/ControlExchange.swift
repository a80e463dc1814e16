import BusKafka
import BusSchema
import Foundation

/// One question or command to a worker over `bus.control`, and the answers it gets on
/// `bus.control-replies`: the reply partitions' ends are read before the request is sent, so
/// no answer can come before the reader looks; only answers carrying the request's
/// correlation id are taken.
struct ControlExchange {
    let connection: ClusterConnection

    /// Sends `message` to `worker` as a request (correlation id, reply topic, deadline `wait`
    /// away) and hands each answer to `take` until it says it has enough (true) or the
    /// deadline passes. Returns whether `take` was satisfied.
    ///
    /// With `resendEvery`, the same record (same id) is sent again at that interval while
    /// nothing satisfies `take`: a command is answered only once what it did is written, so a
    /// worker killed before that answers nothing, and its successor, meeting the same command,
    /// redoes it with the same output ids (commands are idempotent).
    func ask<M: BusMessage>(_ worker: WorkerName, _ message: M, id: String, wait: Duration, resendEvery: Duration? = nil,
                            take: (any BusMessage) throws -> Bool) throws -> Bool {
        let value = MessageCodec().encode(message)
        // The request is checked as the worker will check it.
        _ = try MessageCodec(strict: true).decode(M.self, from: value)
        let now = Date()
        var envelope = Envelope(for: M.self, id: id, source: "bus/cli", time: Instant(now))
        envelope.correlationID = id
        envelope.replyTo = Topics.controlReplies
        envelope.deadline = Instant(now.addingTimeInterval(Double(wait.components.seconds)))
        let record = ProducerRecord(topic: Topics.control, key: worker.rawValue, value: value,
                                    headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })

        let consumer = try connection.reader()
        defer { consumer.close() }
        let partitions = try connection.partitions(of: Topics.controlReplies, using: consumer)
        var start: [TopicPartition: StartOffset] = [:]
        do {
            for partition in partitions { start[partition] = .offset(try consumer.watermarks(partition).high) }
            try consumer.assign(start)
        } catch { throw connection.unreachable(error) }

        let producer = try connection.producer()
        defer { producer.close() }
        try connection.requireTopic(record.topic, using: producer)
        do { _ = try Delivery(producer: producer).send(record) } catch { throw connection.unreachable(error) }

        let reader = RecordReader(codec: MessageCodec(strict: true))
        let deadline = ContinuousClock.now + wait
        var nextSend = resendEvery.map { ContinuousClock.now + $0 }
        while ContinuousClock.now < deadline {
            if let due = nextSend, ContinuousClock.now >= due, let interval = resendEvery {
                do { _ = try Delivery(producer: producer).send(record) } catch { throw connection.unreachable(error) }
                nextSend = due + interval
            }
            guard case .record(let answer)? = consumer.poll(timeout: .milliseconds(100)), let bytes = answer.value else { continue }
            let headers = answer.headers.compactMap { header in header.stringValue.map { (key: header.key, value: $0) } }
            guard let (answerEnvelope, decoded) = try? reader.read(headers: headers, key: answer.keyString, value: bytes),
                  answerEnvelope.correlationID == id
            else { continue }
            if try take(decoded) { return true }
        }
        return false
    }
}

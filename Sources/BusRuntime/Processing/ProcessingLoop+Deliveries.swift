import BusKafka
import BusSchema

extension ProcessingLoop {
    /// Applies the delivery reports received since the last turn.
    func settleDeliveries() {
        for event in deliveries.takeAll() {
            switch event.result {
            case .success(let report):
                metrics.produced.increment(labels: ["topic": report.topic])
                delivered(event.purpose)
            case .failure(let error) where error.isFatal:
                fatal = error
                return
            case .failure(let error) where error.isRetriable:
                scheduleRetry(event, error: error)
            case .failure(let error):
                refused(event, error: error)
            }
        }
    }

    private func delivered(_ purpose: DeliveryPurpose) {
        switch purpose {
        case .outputs(let tickets):
            for ticket in tickets { writeChangelog(ledger.outputDelivered(ticket)) }
        case .deadLetter(let ticket):
            writeChangelog(ledger.outputDelivered(ticket))
        case .changelog(let batch):
            ledger.changelogDelivered(batch: batch).forEach(complete)
        case .control:
            break
        }
    }

    /// A transient failure: the same record again after a delay, its input partitions
    /// paused meanwhile so later inputs do not overtake it.
    private func scheduleRetry(_ event: DeliveryEvent, error: KafkaError) {
        metrics.retries.increment(labels: ["operation": "produce"])
        let delay = options.retryBackoff.delay(forAttempt: event.attempt)
        logger.warn("delivery_retry", .topic(event.record.topic), .attempt(event.attempt), .delay(delay), .errorCode(error.name))
        retries.append(PendingRetry(due: .now + delay, purpose: event.purpose, record: event.record, attempt: event.attempt + 1))
        let partitions = Set(tickets(of: event.purpose).map(\.partition)).subtracting(pausedForRetry)
        guard !partitions.isEmpty else { return }
        do {
            try consumer.pause(Array(partitions))
            pausedForRetry.formUnion(partitions)
        } catch {
            logger.warn("pause_failed", .errorCode(error.name))
        }
    }

    /// Resumes partitions once none of their deliveries awaits a retry.
    func resumeAfterRetries() {
        guard !pausedForRetry.isEmpty else { return }
        let waiting = Set(retries.flatMap { tickets(of: $0.purpose).map(\.partition) })
        let resumable = pausedForRetry.subtracting(waiting)
        guard !resumable.isEmpty else { return }
        try? consumer.resume(Array(resumable))
        pausedForRetry.subtract(resumable)
    }

    /// A permanent refusal (the record is too large, the topic refuses it). An output's
    /// input is dead-lettered in its place, so the flow goes on and nothing is lost; a
    /// refused dead letter or changelog record cannot be put anywhere else: that is fatal.
    private func refused(_ event: DeliveryEvent, error: KafkaError) {
        logger.error("delivery_refused", .topic(event.record.topic), .errorCode(error.name))
        switch event.purpose {
        case .outputs(let tickets):
            for ticket in tickets {
                if let original = originals[ticket] {
                    metrics.deadLettered.increment(labels: ["reason": "output_refused"])
                    let letter = DeadLetter.record(
                        for: original, topic: flow.deadLetterTopic, worker: flow.name, code: "output_refused",
                        reason: "Kafka refused an output of this input (\(error.name)) on \(event.record.topic)",
                        field: nil, attempts: event.attempt)
                    ledger.expectOneMoreOutput(ticket)
                    send(letter, for: .deadLetter(ticket))
                }
                writeChangelog(ledger.outputDelivered(ticket))
            }
        case .deadLetter, .changelog:
            fatal = KafkaError(
                code: error.code, name: error.name,
                message: "\(event.record.topic) refused a record (\(error.message)); nothing may be lost, so the worker stops",
                isRetriable: false, isFatal: true)
        case .control:
            break
        }
    }

    private func tickets(of purpose: DeliveryPurpose) -> [OffsetTracker.Ticket] {
        switch purpose {
        case .outputs(let tickets): tickets
        case .deadLetter(let ticket): [ticket]
        case .changelog, .control: []
        }
    }
}

import BusKafka

extension ProcessingCore {
    /// A delivery report: what each outcome (delivered, retriable, refused, fatal) means
    /// for each purpose (output, changelog, dead letter, control).
    mutating func delivered(_ event: DeliveryEvent, now: ContinuousClock.Instant) -> [Action] {
        // A report for a partition given up since: its next owner reads the input again, and
        // nothing of it may be written here any more (no dead letter, no changelog).
        guard !isStale(event.purpose) else { return [] }
        switch event.result {
        case .success(let report):
            return [.report(.delivered(topic: report.topic))] + settle(event.purpose)
        case .failure(let error) where error.isFatal:
            return [.stop(.fatalClient(error))]
        case .failure(let error) where error.isRetriable || error.name.hasPrefix("_PURGE"):
            // A purge (the driver fenced a revoked partition's records) also takes the
            // records of partitions still owned: those are simply sent again.
            let delay = settings.options.retryBackoff.delay(forAttempt: event.attempt)
            let retry = PendingRetry(due: now + delay, purpose: event.purpose, record: event.record, attempt: event.attempt + 1)
            return [.report(.retrying(topic: event.record.topic, attempt: event.attempt, delay: delay, errorCode: error.name))]
                + scheduleRetry(retry)
        case .failure(let error):
            return [.report(.refused(topic: event.record.topic, errorCode: error.name))] + refused(event, error: error)
        }
    }

    /// Whether the delivery belongs to inputs no longer tracked (their partition was revoked).
    func isStale(_ purpose: DeliveryPurpose) -> Bool {
        switch purpose {
        case .outputs(let tickets): tickets.allSatisfy { originals[$0] == nil }
        case .deadLetter(let ticket): originals[ticket] == nil
        case .changelog(let batch, _): !ledger.isPending(batch: batch)
        case .control: false
        case .work(let id): work.pending[id] == nil
        }
    }

    /// One record of `purpose` is settled: delivered, or given up in its input's place.
    private mutating func settle(_ purpose: DeliveryPurpose) -> [Action] {
        switch purpose {
        case .outputs(let tickets):
            return tickets.flatMap { writeChangelog(ledger.outputDelivered($0)) }
        case .deadLetter(let ticket):
            return writeChangelog(ledger.outputDelivered(ticket))
        case .changelog(let batch, _):
            return finish(ledger.changelogDelivered(batch: batch))
        case .control:
            return []
        case .work(let id):
            return workOutputSettled(id)
        }
    }

    /// A permanent refusal (the record is too large, the topic refuses it).
    ///
    /// - An output: its input is dead-lettered in its place and the input's state changes are
    ///   dropped (and undone in memory), so replaying the dead letter produces the output.
    /// - A dead letter: sent again without its value and original headers; if even that is
    ///   refused, the input is given up (reported `dead_letter_lost`) rather than stop the
    ///   worker, since a restarted worker would read the same record and stop again, forever.
    /// - A changelog record has nowhere else to go: the worker stops rather than commit inputs
    ///   whose state would be lost (or answer a command whose state would be).
    /// - A control output: reported; the request is the operator's to repeat.
    private mutating func refused(_ event: DeliveryEvent, error: KafkaError) -> [Action] {
        switch event.purpose {
        case .outputs(let tickets):
            var actions: [Action] = []
            for ticket in tickets {
                guard let original = originals[ticket] else { continue }
                actions += dropChanges(of: ticket)
                let rejection = RecordCodec<State>.Rejection(
                    code: "output_refused", reason: "Kafka refused an output of this input (\(error.name)) on \(event.record.topic)")
                let letter = DeadLetter.record(
                    for: original, topic: settings.deadLetterTopic, worker: settings.worker, code: rejection.code,
                    reason: rejection.reason, field: nil, attempts: event.attempt, maxBytes: settings.deadLetterLimit)
                // The dead letter stands for the refused output: the input still waits for one.
                actions.append(.report(.deadLettered(ticket, code: rejection.code, field: nil)))
                actions.append(.produce(letter, .deadLetter(ticket), attempt: 1))
            }
            return actions
        case .deadLetter(let ticket) where !DeadLetter.isMinimal(event.record):
            return [.produce(DeadLetter.minimal(event.record), .deadLetter(ticket), attempt: event.attempt)]
        case .deadLetter(let ticket):
            return [.report(.deadLetterLost(ticket, errorCode: error.name))] + writeChangelog(ledger.outputDelivered(ticket))
        case .changelog(_, let partition):
            return [.stop(RuntimeError(
                .recordRefused, "Kafka refused a changelog record (\(error.name)); state cannot be lost, so the worker stops",
                context: ["topic": event.record.topic, "partition": String(partition)]))]
        case .control:
            return []
        case .work(let id):
            // Given up like a lost dead letter: the work's state changes are still written,
            // or a timer would fire, and be refused, for ever.
            return workOutputSettled(id)
        }
    }
}

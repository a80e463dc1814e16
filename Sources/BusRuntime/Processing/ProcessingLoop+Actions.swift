import BusKafka
import BusSchema

extension ProcessingLoop {
    /// Performs the core's actions in order. A stop ends the batch: nothing after it runs.
    ///
    /// Once librdkafka's queue is full, the batch's later records are failed the same way
    /// without trying: their retries then keep the batch's order, and none overtakes an
    /// earlier record of its partition that is waiting for room.
    func perform(_ actions: [ProcessingAction<F.State>]) {
        var queueFull: KafkaError?
        for action in actions {
            switch action {
            case .produce(let record, let purpose, let attempt):
                if let queueFull {
                    deliveries.post(DeliveryEvent(purpose: purpose, record: record, attempt: attempt, result: .failure(queueFull)))
                    continue
                }
                let started = ContinuousClock.now
                let refused = producer.enqueue(record) { [deliveries] result in
                    deliveries.post(DeliveryEvent(purpose: purpose, record: record, attempt: attempt, result: result))
                }
                phases.add(.produce, ContinuousClock.now - started)
                if let refused, refused.name == "_QUEUE_FULL" { queueFull = refused }
            case .storeOffsets(let offsets):
                do {
                    try consumer.store(offsets)
                } catch {
                    // The partition was revoked meanwhile: its next owner reads these inputs again.
                    logger.debug("offset_not_stored", .count(offsets.count), .errorCode(error.name))
                }
            case .pause(let partitions):
                do { try consumer.pause(partitions) } catch { logger.warn("pause_failed", .errorCode(error.name)) }
                // Records of these partitions read ahead must not overtake what they wait for:
                // held until the resume. Seeking back over them instead fails on librdkafka
                // 2.0.2 for a paused partition (PauseAcrossRebalanceTests, 2 threads).
                readAhead.pause(partitions)
            case .resume(let partitions):
                do { try consumer.resume(partitions) } catch { logger.warn("resume_failed", .errorCode(error.name)) }
                // Handed back before anything the consumer reads for them from now on.
                readAhead.resume(partitions)
            case .commit(let wait):
                commit(wait: wait)
            case .setState(let partition, let key, let value):
                stores[partition]?.apply([key: value])
                schedule(partition: partition, key: key, value: value)
            case .wake(let partition, let timers):
                fire(timers, partition: partition)
            case .report(let report):
                reportOut(report)
            case .stop(let error):
                logger.error("worker_stopping", .errorCode(error.code.rawValue), .reason(error.message))
                fatal = error
                return
            }
        }
    }

    private func commit(wait: Bool) {
        guard wait else { return consumer.commitAsync() }
        do {
            try consumer.commit()
        } catch {
            metrics.retries.increment(labels: ["operation": "commit"])
            logger.warn("commit_failed", .errorCode(error.name))
        }
    }

    /// Metrics, log events and readiness for what the core reports.
    private func reportOut(_ report: ProcessingReport) {
        switch report {
        case .delivered(let topic):
            metrics.produced.increment(labels: ["topic": topic])
        case .deadLettered(let ticket, let code, let field):
            metrics.deadLettered.increment(labels: ["reason": code])
            logger.warn("dead_letter", .topic(ticket.partition.topic), .partition(ticket.partition.partition), .offset(ticket.offset),
                        .reason(code), .field(field ?? ""), .trace(core.originals[ticket]?.trace))
        case .deadLetterTruncated(let ticket, let bytes):
            logger.warn("dead_letter_truncated", .topic(ticket.partition.topic), .partition(ticket.partition.partition),
                        .offset(ticket.offset), .count(bytes))
        case .deadLetterLost(let ticket, let errorCode):
            metrics.deadLettersLost.increment()
            logger.error("dead_letter_lost", .topic(ticket.partition.topic), .partition(ticket.partition.partition),
                         .offset(ticket.offset), .errorCode(errorCode))
        case .retrying(let topic, let attempt, let delay, let errorCode):
            metrics.retries.increment(labels: ["operation": "produce"])
            logger.warn("delivery_retry", .topic(topic), .attempt(attempt), .delay(delay), .errorCode(errorCode))
        case .refused(let topic, let errorCode):
            logger.error("delivery_refused", .topic(topic), .errorCode(errorCode))
        case .outOfOrder(let partition, let offset):
            logger.warn("input_out_of_order", .topic(partition.topic), .partition(partition.partition), .offset(offset))
        case .timerFailed(let partition, _, let reason):
            metrics.timerFailures.increment()
            logger.warn("timer_failed", .partition(partition), .reason(reason))
        case .backpressure(let reason):
            status.setBackpressure(reason)
            if let reason { logger.warn("inputs_paused", .reason(reason)) } else { logger.info("inputs_resumed") }
        }
    }
}

import BusKafka
import BusSchema

/// All cores: with `ProcessingOptions.workerThreads` above 1, a record polled brings the
/// records librdkafka already holds (up to `readAheadPerThread` per thread) with it; the batch
/// is decoded on the threads at once, then each record takes its turn in `step` as if it had
/// just been polled: the same housekeeping before it (deliveries, ticks, timers), the same
/// partition check, the flow called on the loop's thread in the order read. Decoding is pure
/// (`KeyPlacement.decoded`), so where it ran changes nothing a reader can see.
///
/// A record read ahead is not yet known to the core, but the consumer's position is past it.
/// So whatever stops a partition's reading at a record takes the partition's records waiting
/// out of the queue (`ReadAhead`): a pause (retry, backpressure) holds them, in order, and the
/// resume hands them back before anything read after it, so that none overtakes the output it
/// waits for and none is read twice (librdkafka resumes a paused partition after the last
/// record it handed out); a seek back after a restore drops them before seeking. A revoke
/// handles the records waiting first, as one thread would have before its next poll, and
/// forgets those held (the partition's next owner reads them from the commit); a stop drops
/// them all (nothing committed, the next owner reads them).
extension ProcessingLoop {
    /// Polls, without waiting, what librdkafka already holds, then decodes the batch.
    func readMore() {
        let limit = decodeStage.threads * options.readAheadPerThread
        gathering: while readAhead.count < limit, fatal == nil {
            // A rebalance handler may run inside this poll: a revoke drops the revoked
            // partitions' records read so far (`rebalanced`).
            switch consumer.poll(timeout: .zero) {
            case .record(let record)?:
                readAhead.append(record)
            case .error(let error)?:
                consumerError(error)
                break gathering
            case .partitionEnd?, nil:
                break gathering
            }
        }
        decodeWaiting()
    }

    /// Decodes every record waiting on the decode threads, live queries included (their
    /// deadline is judged in their turn, by `requestOutcome`). Tombstones are left to their
    /// turn: they take another path (`Flow.deleted`).
    private func decodeWaiting() {
        let records = readAhead.waiting
        guard !records.isEmpty else { return }
        let placement = placement
        let codec = codec
        let results = decodeStage.map(records) { record -> Result<FlowInput, RecordCodec<F.State>.Rejection>? in
            guard record.value != nil else { return nil }
            return Result { () throws(RecordCodec<F.State>.Rejection) in try placement.decoded(record, codec: codec) }
        }
        readAhead.attach(results)
    }

    /// Handles every record read ahead now, in order (inside a revoke handler: before the
    /// partitions are given up).
    func handleReadAhead() {
        guard !readAhead.isEmpty else { return }
        // A revoke comes inside a poll: inside `readMore`, before the batch was decoded.
        decodeWaiting()
        while fatal == nil, let item = readAhead.next() {
            process(item.record, decoded: item.decoded)
        }
    }
}

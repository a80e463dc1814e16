import BusSchema

/// Erasure reaches every partition: a flow that lists `bus.erasures` among its tables is asked
/// to erase each person the table names (`FlowControl.erase`) in every partition it owns, as
/// soon as the notice is read, and again in every partition it takes over later, after the
/// restore and before that partition's first input. The flow's answer is idempotent (nothing
/// left to erase changes nothing), so applying every erasure again after a start or a
/// rebalance costs a scan of the state and writes nothing. Its state changes go to the
/// changelog like any other, which is how the erased values leave the changelog once it is
/// compacted (`max.compaction.lag.ms` bounds when).
///
/// When an instance has applied an erasure to every partition it owns, it records that on
/// `bus.exceptions` (kind `erasure_completed`, keyed by the site account id, ids only). The
/// record's ids are made from the worker and the request alone, so every instance and every
/// restart of one worker writes the same record: readers count one per worker.
extension ProcessingLoop {
    /// Whether this flow takes part in erasures.
    var readsErasures: Bool { flow.tables.contains(Topics.erasures) }

    /// Applies the erasures the table has that this instance has not applied yet.
    func applyNewErasures() {
        guard readsErasures else { return }
        for key in tables.keys(in: Topics.erasures) where erased[key] == nil {
            guard let notice = tables.latest(ErasureNotice.self, in: Topics.erasures, key: key) else { continue }
            erased[key] = notice
            let input = Self.input(of: notice)
            answer(.erase(notice), input: input)
            recordCompletion(of: notice, input: input)
        }
    }

    /// Applies every erasure known to partitions just taken over (after their restore).
    func applyKnownErasures(to partitions: Set<Int32>) {
        guard readsErasures, !partitions.isEmpty else { return }
        for key in erased.keys.sorted() {
            guard let notice = erased[key] else { continue }
            answer(.erase(notice), input: Self.input(of: notice), only: partitions)
        }
    }

    private func recordCompletion(of notice: ErasureNotice, input: FlowInput) {
        guard let worker = WorkerName(rawValue: flow.name) else { return }
        let output = notice.completion(by: worker)
        metrics.inputs.published(output)
        logger.info("erasure_applied", .ceID(input.envelope.id), .count(stores.count))
        // One position for every instance: the record is the same bytes whoever writes it.
        perform(core.controlOutputs([codec.record(for: output, position: Int(Int32.max), input: input)]))
    }

    /// The input an erasure's outputs derive their ids from: the same for every instance.
    private static func input(of notice: ErasureNotice) -> FlowInput {
        let envelope = Envelope(for: ErasureNotice.self, id: "erasure-\(notice.requestID.rawValue)",
                                source: "urn:commerce-bus:\(Topics.erasures)", time: notice.requestedAt)
        return FlowInput(envelope: envelope, message: notice, key: notice.siteAccountID.rawValue, topic: Topics.erasures)
    }
}

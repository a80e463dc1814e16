import BusKafka
import BusSchema
import Foundation

/// Operators' requests on `bus.control`, read by every instance (see `ControlChannel`):
/// - a resync runs over every partition this instance owns;
/// - a command (one of the flow's `commands`) runs once, on the state partition its entity
///   key hashes to, by the instance that owns it (the others skip it), once that partition has
///   handled the inputs it held when the command came (`CommandGate`): its outputs go out,
///   its state changes to the changelog in the partition's order with its inputs, and the
///   flow's answer last, once that state is written;
/// - a query (a request route whose topic is `bus.control`) is answered by every instance
///   from the state of the partitions it holds; the answer says which, so the asker knows
///   when the answers cover every partition.
///
/// Control requests are not inputs: none is replayed after a crash (each instance reads
/// `bus.control` from its end), and a request that cannot be read is logged and skipped,
/// never dead-lettered: the operator who asked waits for an answer and retries.
extension ProcessingLoop {
    func run(_ message: ControlChannel.Message) {
        switch message {
        case .resync(let request, let input): answer(request, input: input)
        case .command(let input, let key): runCommand(input, entityKey: key)
        case .request(let input, let route): answerQuery(input, route: route)
        }
    }

    private func runCommand(_ input: FlowInput, entityKey: String) {
        guard let count = statePartitions() else { return }
        let partition = Murmur2Partitioner.partition(of: entityKey, partitions: count)
        guard stores[partition] != nil else {
            // Another instance owns it (or nobody yet, or its state is being restored here):
            // its owner answers, or this instance takes the operator's resend once it is.
            logger.info("control_command_elsewhere", .partition(partition), .ceID(input.envelope.id), .ceType(input.envelope.type))
            return
        }
        // Sent again while it waits here: it runs once.
        guard !commandGate.parked.contains(where: { $0.command.envelope.id == input.envelope.id }) else { return }
        // What the partition held when the command came, its live queries left out (not state).
        var ends: [TopicPartition: (low: Int64, high: Int64)] = [:]
        for inputPartition in consumer.assignedPartitionsOrEmpty where inputPartition.partition == partition && requestRoutes[inputPartition.topic] == nil {
            ends[inputPartition] = try? consumer.watermarks(inputPartition, timeout: .seconds(2))
        }
        let targets = CommandGate<FlowInput>.targets(ends: ends)
        let untouched = targets.keys.filter { core.position(of: $0) == nil }
        let committed = untouched.isEmpty ? [:] : (try? consumer.committed(Array(untouched), timeout: .seconds(2))) ?? [:]
        guard CommandGate<FlowInput>.isReached(targets, committed: committed, position: { core.position(of: $0) }) else {
            logger.info("control_command_waits", .partition(partition), .ceID(input.envelope.id), .ceType(input.envelope.type))
            commandGate.park(input, partition: partition, targets: targets, committed: committed, now: .now)
            return
        }
        carryOut(input, partition: partition)
    }

    /// Runs the parked commands whose partition has caught up (or that waited long enough).
    func runCaughtUpCommands() {
        let ready = commandGate.takeReady(now: .now, owned: { stores[$0] != nil }, position: { core.position(of: $0) })
        for (input, partition, late) in ready {
            if late { logger.warn("control_command_not_caught_up", .partition(partition), .ceID(input.envelope.id)) }
            carryOut(input, partition: partition)
        }
    }

    private func carryOut(_ input: FlowInput, partition: Int32) {
        logger.info("control_command", .partition(partition), .ceID(input.envelope.id), .ceType(input.envelope.type))
        control?.carriedOut(input)
        // The answer waits for the command's state: "done" then means durable. Killed before
        // it, the command goes unanswered and the operator sends it again (it is idempotent).
        let answerTopics = Set([Topics.controlReplies] + (input.envelope.replyTo.map { [$0] } ?? []))
        runOverPartitions(input: input, only: [partition], answerTopics: answerTopics) { [flow, tables] state in
            try flow.command(input, state: &state, tables: tables)
        }
    }

    private func answerQuery(_ input: FlowInput, route: RequestRoute) {
        let answer: any BusMessage
        let request: FlowRequest
        do {
            request = try FlowRequest.read(input, route: route, now: Instant(Date()))
            answer = try flow.answer(request, state: stateLookup(), tables: tables)
        } catch {
            let rejection = Self.rejection(for: error)
            logger.warn("control_query_refused", .ceID(input.envelope.id), .ceType(input.envelope.type), .reason(rejection.code),
                        .field(rejection.field ?? ""))
            return
        }
        metrics.requests.increment(labels: ["topic": Topics.control, "outcome": request.isExpired ? "timeout" : "answered"])
        let output = FlowOutput(topic: request.replyTo, key: request.replyKey, message: answer)
        metrics.inputs.published(output)
        perform(core.controlOutputs([codec.record(for: output, position: 0, cause: input.envelope, key: request.replyKey)]))
    }
}

import BusKafka
@testable import BusRuntime
import BusSchema
import Foundation
import Testing

/// The processing core on actions alone: no cluster, no clock, no threads.
@Suite("Processing core: events in, actions out")
struct ProcessingCoreTests {
    typealias Core = ProcessingCore<Int>
    static let input = TopicPartition(topic: "in", partition: 0)
    static let now = ContinuousClock.now

    static func core(maxInputs: Int = 10_000, maxBytes: Int = 64 << 20, stateful: Bool = true,
                     storesOffsetsEarly: Bool = false) -> Core {
        var options = ProcessingOptions()
        options.storesOffsetsBeforeAcknowledgement = storesOffsetsEarly
        options.maxInputsInFlight = maxInputs
        options.maxBytesInFlight = maxBytes
        options.retryBackoff = Backoff(initial: .milliseconds(100), multiplier: 2, maximum: .seconds(1), jitter: .none)
        var core = Core(settings: .init(worker: "w", deadLetterTopic: "bus.dlq.w", changelogTopic: "bus.w.state",
                                        isStateful: stateful, deadLetterLimit: 1_000_000, options: options),
                        codec: RecordCodec(worker: "w", registry: MessageRegistry([])))
        _ = core.assigned([input])
        return core
    }

    static func record(_ offset: Int64, bytes: Int = 10) -> ConsumedRecord {
        ConsumedRecord(topic: input.topic, partition: 0, offset: offset, key: Data("k".utf8), value: Data(count: bytes))
    }

    static let output = ProducerRecord(topic: "out", key: "k", value: Data("o".utf8))

    /// Receives and handles offset `offset`: one output, key `k` set to `value` (before: `before`).
    static func handle(_ core: inout Core, _ offset: Int64 = 0, value: Int = 1, before: Int? = nil) -> [Core.Action] {
        let (ticket, received) = core.received(record(offset))
        guard let ticket else { return received }
        return received + core.handled(ticket, .handled([.init(record: output, coalescingKey: nil)],
                                                        changes: [.init(key: "k", value: value, before: before)]), now: now)
    }

    /// The first `produce` among `actions`, as the delivery event its report would make.
    static func delivery(of actions: [Core.Action], _ result: Outcome) -> DeliveryEvent? {
        for case .produce(let record, let purpose, let attempt) in actions {
            return DeliveryEvent(purpose: purpose, record: record, attempt: attempt, result: result.result)
        }
        return nil
    }

    enum Outcome: String, CaseIterable, Sendable {
        case ok, retriable, refused, fatal
        var result: Result<DeliveryReport, KafkaError> {
            switch self {
            case .ok: .success(DeliveryReport(topic: "t", partition: 0, offset: 0))
            case .retriable: .failure(KafkaError(code: -184, name: "_QUEUE_FULL", message: "queue full", isRetriable: true, isFatal: false))
            case .refused: .failure(KafkaError(code: 10, name: "MSG_SIZE_TOO_LARGE", message: "too large", isRetriable: false, isFatal: false))
            case .fatal: .failure(KafkaError(code: 47, name: "INVALID_PRODUCER_EPOCH", message: "fenced", isRetriable: false, isFatal: true))
            }
        }
    }

    enum Purpose: String, CaseIterable, Sendable { case output, changelog, deadLetter, control }

    /// Brings a fresh core to the delivery of one record of `purpose`; returns the core and
    /// the actions that produced that record.
    static func setUp(_ purpose: Purpose) -> (Core, [Core.Action]) {
        var core = core()
        switch purpose {
        case .output:
            let actions = handle(&core)
            return (core, actions)
        case .changelog:
            let handled = handle(&core)
            let event = delivery(of: handled, .ok)!
            let actions = core.delivered(event, now: now)
            return (core, actions.filter { if case .produce = $0 { true } else { false } })
        case .deadLetter:
            let (ticket, _) = core.received(record(0))
            let actions = core.handled(ticket!, .rejected(.init(code: "invalid", reason: "bad", field: "$.n")), now: now)
            return (core, actions)
        case .control:
            return (core, core.controlOutputs([output]))
        }
    }

    /// Every combination of outcome and purpose, and the actions that must follow, written
    /// as the README says it: delivered outputs lead to the changelog, delivered changelog
    /// records to stored offsets, retriable failures pause the input until the retry, refusals
    /// dead-letter (outputs), shrink (dead letters) or stop (changelog), fatal errors stop.
    static let table: [(Purpose, Outcome, [String])] = [
        (.output, .ok, ["delivered out", "produce bus.w.state#1"]),
        (.output, .retriable, ["retrying out", "pause in[0]"]),
        (.output, .refused, ["refused out", "setState 0/k=nil", "deadLettered output_refused", "produce bus.dlq.w#1"]),
        (.output, .fatal, ["stop fatalClientError"]),
        (.changelog, .ok, ["delivered bus.w.state", "store in[0]=1"]),
        (.changelog, .retriable, ["retrying bus.w.state", "pause in[0]"]),
        (.changelog, .refused, ["refused bus.w.state", "stop recordRefused"]),
        (.changelog, .fatal, ["stop fatalClientError"]),
        (.deadLetter, .ok, ["delivered bus.dlq.w", "store in[0]=1"]),
        (.deadLetter, .retriable, ["retrying bus.dlq.w", "pause in[0]"]),
        (.deadLetter, .refused, ["refused bus.dlq.w", "produce bus.dlq.w#1"]),
        (.deadLetter, .fatal, ["stop fatalClientError"]),
        (.control, .ok, ["delivered out"]),
        (.control, .retriable, ["retrying out"]),
        (.control, .refused, ["refused out"]),
        (.control, .fatal, ["stop fatalClientError"]),
    ]

    @Test("delivery outcome × purpose", arguments: table.indices)
    func outcomeByPurpose(_ row: Int) throws {
        let (purpose, outcome, expected) = Self.table[row]
        var (core, produced) = Self.setUp(purpose)
        var event = try #require(Self.delivery(of: produced, outcome))
        if case .success = event.result {
            // The report names the topic the record went to.
            event = DeliveryEvent(purpose: event.purpose, record: event.record, attempt: event.attempt,
                                  result: .success(DeliveryReport(topic: event.record.topic, partition: 0, offset: 0)))
        }
        produced = core.delivered(event, now: Self.now)
        #expect(produced.map(Self.describe) == expected, "\(purpose) × \(outcome)")
    }

    @Test("a retried delivery goes again once its delay has passed, and its partition resumes")
    func retryIsScheduled() throws {
        var core = Self.core()
        let handled = Self.handle(&core)
        _ = core.delivered(try #require(Self.delivery(of: handled, .retriable)), now: Self.now)
        #expect(core.tick(now: Self.now + .milliseconds(50)).map(Self.describe) == [], "not before its delay")
        #expect(core.tick(now: Self.now + .milliseconds(150)).map(Self.describe) == ["produce out#2", "resume in[0]"])
    }

    @Test("a refused output: its changes are not written, so replaying its dead letter produces the output")
    func refusedOutputDropsChanges() throws {
        var core = Self.core()
        let handled = Self.handle(&core, value: 5, before: 4)
        let refused = core.delivered(try #require(Self.delivery(of: handled, .refused)), now: Self.now)
        #expect(refused.contains(.setState(partition: 0, key: "k", value: 4)), "the in-memory state is put back")
        let letterDelivered = core.delivered(try #require(Self.delivery(of: refused, .ok)), now: Self.now)
        #expect(!letterDelivered.contains { if case .produce(let r, _, _) = $0 { r.topic == "bus.w.state" } else { false } },
                "no changelog record claims the refused input")
        #expect(letterDelivered.contains(.storeOffsets([Self.input: 1])), "the flow goes on")
    }

    @Test("a refused output whose key a later input changed since: the later change stays")
    func refusedOutputKeepsLaterChange() throws {
        var core = Self.core()
        let first = Self.handle(&core, 0, value: 1, before: nil)
        _ = Self.handle(&core, 1, value: 2, before: 1)
        let refused = core.delivered(try #require(Self.delivery(of: first, .refused)), now: Self.now)
        #expect(!refused.contains { if case .setState = $0 { true } else { false } })
    }

    @Test("the smallest dead letter refused too: the input is given up, reported, and the flow goes on")
    func deadLetterLost() throws {
        var (core, produced) = Self.setUp(.deadLetter)
        produced = core.delivered(try #require(Self.delivery(of: produced, .refused)), now: Self.now)
        let again = core.delivered(try #require(Self.delivery(of: produced, .refused)), now: Self.now)
        #expect(again.map(Self.describe) == ["refused bus.dlq.w", "deadLetterLost MSG_SIZE_TOO_LARGE", "store in[0]=1"])
    }

    @Test("a partition paused for a retry, revoked and assigned again is fetched again")
    func pauseSurvivesRebalance() throws {
        var core = Self.core()
        let handled = Self.handle(&core)
        _ = core.delivered(try #require(Self.delivery(of: handled, .retriable)), now: Self.now)
        #expect(core.revoked([Self.input]).map(Self.describe) == ["commit wait"])
        #expect(core.retries.isEmpty, "the revoked partition's retries are dropped: its next owner reads the input again")
        #expect(core.assigned([Self.input]).map(Self.describe) == ["resume in[0]"])
    }

    @Test("reports for a revoked partition, whatever their outcome, change nothing: no dead letter, no changelog, no stop",
          arguments: Purpose.allCases.filter { $0 != .control })
    func staleReportsIgnored(_ purpose: Purpose) throws {
        for outcome in Outcome.allCases {
            var (core, produced) = Self.setUp(purpose)
            let event = try #require(Self.delivery(of: produced, outcome))
            _ = core.revoked([Self.input])
            produced = core.delivered(event, now: Self.now)
            #expect(produced.isEmpty, "\(purpose) × \(outcome): \(produced.map(Self.describe))")
        }
    }

    @Test("records purged by a fence of another partition are sent again for the partitions still owned")
    func purgedRecordsRetried() throws {
        var core = Self.core()
        let handled = Self.handle(&core)
        let purge = KafkaError(code: -152, name: "_PURGE_QUEUE", message: "purged", isRetriable: false, isFatal: false)
        let event = try #require(Self.delivery(of: handled, .ok))
        let actions = core.delivered(DeliveryEvent(purpose: event.purpose, record: event.record, attempt: 1, result: .failure(purge)), now: Self.now)
        #expect(actions.map(Self.describe) == ["retrying out", "pause in[0]"])
    }

    @Test("inputs in flight at the cap: reading pauses with the reason, and resumes at half")
    func boundedInFlight() throws {
        var core = Self.core(maxInputs: 4)
        var produced: [[Core.Action]] = []
        for offset in 0..<3 { produced.append(Self.handle(&core, Int64(offset))) }
        #expect(!produced.joined().contains { if case .pause = $0 { true } else { false } })
        let fourth = Self.handle(&core, 3)
        #expect(fourth.map(Self.describe).prefix(2) == ["backpressure on", "pause in[0]"])
        // Outputs and changelog of the first two inputs delivered: 2 in flight, half the cap.
        var after: [String] = []
        for actions in produced.prefix(2) {
            let changelog = core.delivered(try #require(Self.delivery(of: actions, .ok)), now: Self.now)
            after += core.delivered(try #require(Self.delivery(of: changelog.filter { if case .produce = $0 { true } else { false } }, .ok)),
                                    now: Self.now).map(Self.describe)
        }
        #expect(after.suffix(2) == ["backpressure off", "resume in[0]"])
    }

    @Test("bytes in flight at the cap pause reading too")
    func boundedBytes() {
        var core = Self.core(maxBytes: 1_000)
        let (_, actions) = core.received(Self.record(0, bytes: 1_200))
        #expect(actions.map(Self.describe) == ["backpressure on", "pause in[0]"])
    }

    @Test("a record at or behind one already seen is skipped, not handled")
    func outOfOrder() {
        var core = Self.core()
        _ = Self.handle(&core, 5)
        let (ticket, actions) = core.received(Self.record(5))
        #expect(ticket == nil)
        #expect(actions.map(Self.describe) == ["outOfOrder in[0]@5"])
    }

    @Test("a drain sends what is held and every pending retry at once")
    func drainSendsEverything() throws {
        var core = Self.core()
        let (ticket, _) = core.received(Self.record(0))
        let held = core.handled(try #require(ticket), .handled([.init(record: Self.output, coalescingKey: .init(topic: "out", key: "k"))], changes: []),
                                now: Self.now)
        #expect(held.isEmpty, "a latest-wins output is held")
        #expect(core.draining().map(Self.describe) == ["produce out#1"])
    }

    @Test("the injected fault stores an input's offset before its outputs are acknowledged, and only then")
    func injectedFaultStoresEarly() throws {
        var healthy = Self.core()
        #expect(Self.handle(&healthy).map(Self.describe) == ["produce out#1"], "healthy: nothing stored before the acknowledgement")

        var faulty = Self.core(storesOffsetsEarly: true)
        let handled = Self.handle(&faulty)
        #expect(handled.map(Self.describe) == ["store in[0]=1", "produce out#1"])
        let changelog = faulty.delivered(try #require(Self.delivery(of: handled, .ok)), now: Self.now)
        #expect(changelog.map(Self.describe) == ["delivered t", "produce bus.w.state#1"])
        let producedChangelog = changelog.filter { if case .produce = $0 { true } else { false } }
        let done = faulty.delivered(try #require(Self.delivery(of: producedChangelog, .ok)), now: Self.now)
        #expect(done.map(Self.describe) == ["delivered t"], "the low-water mark is not stored again (it could only move back)")
        #expect(faulty.tick(now: Self.now).map(Self.describe) == ["commit"], "the early store is committed like any other")
    }

    static func describe(_ action: Core.Action) -> String {
        switch action {
        case .produce(let record, _, let attempt): "produce \(record.topic)#\(attempt)"
        case .storeOffsets(let offsets): offsets.sorted { $0.key < $1.key }.map { "store \($0.key)=\($0.value)" }.joined(separator: ",")
        case .pause(let partitions): "pause \(partitions.map(\.description).joined(separator: ","))"
        case .resume(let partitions): "resume \(partitions.map(\.description).joined(separator: ","))"
        case .commit(let wait): wait ? "commit wait" : "commit"
        case .setState(let partition, let key, let value): "setState \(partition)/\(key)=\(value.map(String.init) ?? "nil")"
        case .stop(let error): "stop \(error.code.rawValue)"
        case .wake(let partition, let timers): "wake \(partition) \(timers.map(\.key).joined(separator: ","))"
        case .report(let report):
            switch report {
            case .delivered(let topic): "delivered \(topic)"
            case .deadLettered(_, let code, _): "deadLettered \(code)"
            case .deadLetterTruncated: "deadLetterTruncated"
            case .deadLetterLost(_, let code): "deadLetterLost \(code)"
            case .retrying(let topic, _, _, _): "retrying \(topic)"
            case .refused(let topic, _): "refused \(topic)"
            case .outOfOrder(let partition, let offset): "outOfOrder \(partition)@\(offset)"
            case .backpressure(let reason): reason == nil ? "backpressure off" : "backpressure on"
            case .timerFailed(_, let key, _): "timerFailed \(key)"
            }
        }
    }
}

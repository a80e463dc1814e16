import BusKafka
@testable import BusRuntime
import BusSchema
import Foundation
import Testing

/// Work tied to no input (an operator's command, a timer's firing, a table change) in the
/// processing core, on actions alone: its state is written in its partition's order with the
/// inputs, and an operator's answer goes only once that state is written.
@Suite("Processing core: work tied to no input, in the partition's order")
struct ProcessingCoreWorkTests {
    typealias Core = ProcessingCore<Int>
    static let answer = ProducerRecord(topic: Topics.controlReplies, key: "w", value: Data("done".utf8))
    static let now = ProcessingCoreTests.now

    static func describe(_ actions: [Core.Action]) -> [String] { actions.map(ProcessingCoreTests.describe) }

    /// Delivers the last record `actions` produce, as Kafka acknowledging it on its topic.
    static func deliver(_ actions: [Core.Action], _ core: inout Core) throws -> [Core.Action] {
        let produced = actions.compactMap { action -> DeliveryEvent? in
            guard case .produce(let record, let purpose, let attempt) = action else { return nil }
            return DeliveryEvent(purpose: purpose, record: record, attempt: attempt,
                                 result: .success(DeliveryReport(topic: record.topic, partition: 0, offset: 0)))
        }
        return core.delivered(try #require(produced.last, "nothing produced in \(describe(actions))"), now: now)
    }

    /// The "operator" finding: a release answered "done" while its state was not written; a
    /// kill then lost the release, and the operator, told done, never sent it again.
    @Test("a command's answer goes once its state is written, not when its outputs are delivered")
    func answerAfterState() throws {
        var core = ProcessingCoreTests.core()
        let sent = core.admitWork(partition: 0, outputs: [ProcessingCoreTests.output], changes: [("WEB-1", 2)], answers: [Self.answer])
        #expect(Self.describe(sent) == ["produce out#1"], "the answer is held")
        let written = try Self.deliver(sent, &core)
        #expect(Self.describe(written) == ["delivered out", "produce bus.w.state#1"], "the state, and still no answer")
        #expect(core.inFlight(of: [ProcessingCoreTests.input]) == 1, "a drain waits for the work")
        let answered = try Self.deliver(written, &core)
        #expect(Self.describe(answered) == ["delivered bus.w.state", "produce bus.control-replies#1"])
        #expect(core.inFlight(of: [ProcessingCoreTests.input]) == 0)
    }

    /// The "credit limit" finding: the hold's exception still retried when the release's state
    /// was written; a kill then restored "sent", and the replayed hold raised nothing.
    @Test("work's state waits for an earlier input's outputs; both are written in one batch, the later value winning; the input's offset and the answer follow")
    func workBehindInput() throws {
        var core = ProcessingCoreTests.core()
        let held = ProcessingCoreTests.handle(&core, 0, value: 1)
        let released = core.admitWork(partition: 0, outputs: [ProcessingCoreTests.output], changes: [("k", 2)], answers: [Self.answer])
        #expect(Self.describe(try Self.deliver(released, &core)) == ["delivered out"], "the hold's output is not delivered: nothing is written")
        let written = try Self.deliver(held, &core)
        #expect(Self.describe(written) == ["delivered out", "produce bus.w.state#1"], "one record for the key: the release's value")
        guard case .produce(let record, _, _)? = written.last else { Issue.record("no changelog record"); return }
        #expect(record.value.map { String(decoding: $0, as: UTF8.self) } == "2")
        #expect(Self.describe(try Self.deliver(written, &core)) == ["delivered bus.w.state", "store in[0]=1", "produce bus.control-replies#1"])
    }

    @Test("a later input's state waits for the work before it")
    func inputBehindWork() throws {
        var core = ProcessingCoreTests.core()
        let fired = core.admitWork(partition: 0, outputs: [ProcessingCoreTests.output], changes: [("k", nil)])
        let handled = ProcessingCoreTests.handle(&core, 0, value: 3)
        #expect(Self.describe(try Self.deliver(handled, &core)) == ["delivered out"], "the firing's output is not delivered yet")
        let written = try Self.deliver(fired, &core)
        #expect(Self.describe(written) == ["delivered out", "produce bus.w.state#1"])
        #expect(Self.describe(try Self.deliver(written, &core)) == ["delivered bus.w.state", "store in[0]=1"])
    }

    @Test("a stateless flow's answer goes once the command's outputs are delivered")
    func statelessAnswer() throws {
        var core = ProcessingCoreTests.core(stateful: false)
        let sent = core.admitWork(partition: 0, outputs: [ProcessingCoreTests.output], changes: [("k", 1)], answers: [Self.answer])
        #expect(Self.describe(try Self.deliver(sent, &core)) == ["delivered out", "produce bus.control-replies#1"])
    }

    @Test("a partition given up forgets its work: no state written here, no answer sent (the operator sends the command again)")
    func revokeForgetsWork() throws {
        var core = ProcessingCoreTests.core()
        let sent = core.admitWork(partition: 0, outputs: [ProcessingCoreTests.output], changes: [("k", 1)], answers: [Self.answer])
        _ = core.revoked([ProcessingCoreTests.input])
        #expect(core.pendingWork == 0)
        #expect(try Self.deliver(sent, &core).isEmpty)
    }
}

import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import OrderIngestFlow
import Testing

/// An operator's release when a kill comes before its state is written, on the embedded
/// cluster: one topic on a broker taken down holds the write back, the worker is killed (no
/// drain, no commit), and the successor meets the release again. The chaos run found both
/// (`ChaosTests`, "operator" and "credit limit"): a release answered "done" and then lost, the
/// order left held and out of the ERP; and a release's "sent" written while the hold before it
/// still waited for its exception, so the replayed hold raised nothing.
@Suite("order-ingest: an operator's command killed before its state is written", .serialized)
struct OperatorCommandCrashTests {
    static let number = "WEB-DURABLE-1"

    /// Every topic the worker writes here, created so that `isolate` places each: a topic left
    /// to the cluster's auto-creation may land on the broker taken down, and hold back what
    /// the test means to let through.
    static let outputs = [Topics.erpSalesOrders, Topics.orderAcceptance, Topics.controlReplies, Topics.stockClaims, Topics.accountExposure]

    /// A mug at 5.00 where the catalogue sells it at 6.99, by a guest: held price_mismatch.
    static func mispriced(_ number: String) -> ProducerRecord {
        let now = Instant(Date())
        let order = Shop.order(number, lines: [Shop.line(1, "MUG", "1", 500, "20")], account: nil, placedAt: now)
        return Shop.record(order, topic: Topics.shopOrders, key: number, id: "order-\(number)", time: now)
    }

    /// The operator's release, as `bus orders release` publishes it; sent again with the same
    /// id until answered, as the demo's operator does.
    static func release(_ number: String, id: String) -> ProducerRecord {
        let command = OrderCommand(commandID: EventID(id), orderNumber: OrderNumber(number), action: .release, requestedBy: "ops-anna",
                                   reason: "price agreed with the customer by phone", requestedAt: Instant(Date()))
        return Shop.record(command, topic: Topics.control, key: WorkerName.orderIngest.rawValue, id: id, time: command.requestedAt)
    }

    static func decoded<M: BusMessage>(_ type: M.Type, _ records: [ConsumedRecord], key: String? = nil) -> [M] {
        records.filter { key == nil || $0.keyString == key }
            .filter { $0.headers.string("ce_type") == M.messageType }
            .compactMap { $0.value.flatMap { try? Shop.codec.decode(M.self, from: $0) } }
    }

    static func answers(_ harness: FlowHarness<OrderIngest>, id: String) throws -> [OrderCommandOutcome] {
        decoded(OrderCommandOutcome.self, try harness.readAll(Topics.controlReplies)).filter { $0.commandID.rawValue == id }
    }

    /// The distinct ce_ids of `type` records keyed `key` on `topic`: what a consumer deduplicating by id sees.
    static func distinctIDs(_ harness: FlowHarness<OrderIngest>, _ topic: String, key: String, type: String) throws -> Set<String> {
        Set(try harness.readAll(topic).filter { $0.keyString == key && $0.headers.string("ce_type") == type }.compactMap { $0.headers.string("ce_id") })
    }

    /// Two brokers, `topic` alone on broker 2 (to be taken down), the catalogue published and
    /// the worker started.
    static func start(isolating topic: String) throws -> (FlowHarness<OrderIngest>, RunningWorker<OrderIngest>) {
        let harness = try FlowHarness(flow: OrderIngest(), topics: outputs, brokers: 2)
        harness.isolate([topic])
        try harness.publish(OrderTraffic.tableRecords(accounts: 0))
        return (harness, harness.start(OrderIngest()))
    }

    /// With broker 2 down: the release, its ERP order delivered (broker 1) and no answer (what it
    /// waits for is on broker 2); then the kill, broker 2 back, and a successor sent the same
    /// release again, every 3 s, until it answers.
    static func releaseKilledUnanswered(_ harness: FlowHarness<OrderIngest>, _ worker: RunningWorker<OrderIngest>, id: String,
                                        _ answeredTooSoon: Comment) throws -> (RunningWorker<OrderIngest>, [OrderCommandOutcome]) {
        try harness.publish([Self.release(Self.number, id: id)])
        let sent = try harness.read(Topics.erpSalesOrders, timeout: .seconds(60)) { !Self.decoded(ERPSalesOrder.self, $0, key: Self.number).isEmpty }
        try #require(!Self.decoded(ERPSalesOrder.self, sent, key: Self.number).isEmpty, "the release's ERP order, on a broker that is up")
        Thread.sleep(forTimeInterval: 2)
        #expect(try Self.answers(harness, id: id).isEmpty, answeredTooSoon)
        worker.crash()
        harness.cluster.setBrokerUp(2)
        let successor = harness.start(OrderIngest())
        var answers: [OrderCommandOutcome] = []
        _ = try waitUntil(timeout: .seconds(120)) {
            try harness.publish([Self.release(Self.number, id: id)])
            _ = try waitUntil(timeout: .seconds(3)) {
                answers = try Self.answers(harness, id: id)
                return !answers.isEmpty
            }
            return !answers.isEmpty
        }
        return (successor, answers)
    }

    @Test("the changelog unreachable: the release's outputs go, its answer does not; killed, the successor releases it again, the ERP gets it once (by ce_id)",
          .timeLimit(.minutes(5)))
    func answerWaitsForState() throws {
        let (harness, worker) = try Self.start(isolating: OrderIngest().changelogTopic)
        try harness.publish([Self.mispriced(Self.number)])
        let held = try harness.read(Topics.orderAcceptance, timeout: .seconds(60)) { !Self.decoded(OrderAcceptance.self, $0, key: Self.number).isEmpty }
        try #require(Self.decoded(OrderAcceptance.self, held, key: Self.number).map(\.status) == [.held])
        Thread.sleep(forTimeInterval: 1.5)  // the hold's state written and committed

        harness.cluster.setBrokerDown(2)
        let (successor, answers) = try Self.releaseKilledUnanswered(harness, worker, id: "cmd-durable-1",
                                                                     "answered while its state could not be written: a kill now loses a release the operator was told is done")
        defer { successor.stopCleanly() }
        #expect(answers.map(\.outcome) == [.done], "the successor restored the order held and released it")
        #expect(try Self.distinctIDs(harness, Topics.erpSalesOrders, key: Self.number, type: ERPSalesOrder.messageType).count == 1,
                "the same release redone makes the same ERP order, with the same id")
        let told = Self.decoded(OrderAcceptance.self, try harness.readAll(Topics.orderAcceptance), key: Self.number)
        #expect(told.last?.status == .accepted)
    }

    @Test("the hold's exception unreachable: the release waits behind it; killed, the successor raises the exception again and releases the order once",
          .timeLimit(.minutes(5)))
    func releaseWaitsForTheHold() throws {
        let (harness, worker) = try Self.start(isolating: Topics.exceptions)
        // The worker is in its group and reading: a first order, held, its exception delivered.
        try harness.publish([Self.mispriced("WEB-DURABLE-0")])
        _ = try harness.read(Topics.exceptions, timeout: .seconds(60)) { records in records.contains { $0.keyString == "WEB-DURABLE-0" } }

        harness.cluster.setBrokerDown(2)
        try harness.publish([Self.mispriced(Self.number)])
        _ = try harness.read(Topics.orderAcceptance, timeout: .seconds(60)) { !Self.decoded(OrderAcceptance.self, $0, key: Self.number).isEmpty }
        let (successor, answers) = try Self.releaseKilledUnanswered(harness, worker, id: "cmd-durable-2", "answered while the hold before it was not written")
        defer { successor.stopCleanly() }
        #expect(answers.map(\.outcome) == [.done])
        let exceptions = Self.decoded(BusinessException.self, try harness.readAll(Topics.exceptions), key: Self.number)
        #expect(!exceptions.isEmpty, "the hold's exception, raised again when the order was replayed")
        #expect(try Self.distinctIDs(harness, Topics.erpSalesOrders, key: Self.number, type: ERPSalesOrder.messageType).count == 1)
    }
}

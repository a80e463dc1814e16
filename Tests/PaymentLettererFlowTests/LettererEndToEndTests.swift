import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import PaymentLettererFlow
import Testing

/// The worker on the embedded cluster, its inputs published by a plain producer as the site
/// and the ERP would. Serialized: each test owns a cluster, and two at once would only
/// compete for the machine's two cores.
@Suite("payment-letterer: end to end", .serialized)
struct LettererEndToEndTests {
    static let outputs = [Topics.erpReceipts, Topics.erpLettering]

    @Test("500 orders with payments and invoices in random interleavings: every invoice fully lettered to the cent, no receipt twice")
    func fiveHundredOrders() throws {
        let traffic = try LettererTraffic(count: 500, seed: 7)
        let flow = PaymentLetterer()
        let harness = try FlowHarness(flow: flow, topics: Self.outputs)
        try harness.publish(traffic.records(seed: 11))
        let worker = harness.start(flow)

        var entries: [LetteringEntry] = []
        var seen = 0
        _ = try harness.read(Topics.erpLettering, timeout: .seconds(300)) { records in
            entries += records[seen...].compactMap { $0.message(LetteringEntry.self) }
            seen = records.count
            return traffic.fullyLettered(LettererTraffic.latestEntries(entries))
        }
        let receipts = try harness.readAll(Topics.erpReceipts).compactMap { $0.message(Receipt.self) }
        let exceptions = try harness.readAll(Topics.exceptions)
        let letters = try harness.readAll(flow.deadLetterTopic)
        worker.stopCleanly()

        #expect(worker.failure == nil)
        traffic.check(receipts: receipts, entries: entries)
        #expect(receipts.count == traffic.paymentCount, "no receipt twice, repeats included")
        #expect(exceptions.isEmpty, "nothing for a person")
        #expect(letters.isEmpty, "nothing refused")
        let committed = try harness.committed()
        for (partition, end) in try harness.inputEnds() {
            #expect(committed[partition] == end, "\(partition) committed to its end after the clean stop")
        }
    }

    @Test("a payment carrying a card number is dead-lettered masked and appears nowhere else")
    func cardNumber() throws {
        let flow = PaymentLetterer()
        let harness = try FlowHarness(flow: flow, topics: Self.outputs)
        let order = "WEB-300001"
        var carded = Pay.payment("pay_card", order: order, .card, 5050, reference: "pi_ok")
        carded.providerReference = "4111-1111-1111-1111"
        var value = String(decoding: Pay.codec.encode(carded), as: UTF8.self)
        value = "{\"note\":\"paid with 4111 1111 1111 1111\"," + value.dropFirst()
        var record = Pay.record(carded, key: order, id: "evt-card")
        record.value = Data(value.utf8)
        record.headers.append(KafkaHeader(key: "x-debug", string: "card 4111111111111111"))
        try harness.publish([
            Pay.record(try Pay.salesOrder(order: order, 5050, account: "C300001"), key: order),
            record,
            Pay.record(Pay.payment("pay_good", order: order, .card, 5050), key: order),
            Pay.record(Pay.invoice("FA-300001", order: order, 5050, account: "C300001"), key: order),
        ])
        let worker = harness.start(flow)
        let letters = try harness.read(flow.deadLetterTopic, timeout: .seconds(30)) { $0.count >= 1 }
        _ = try harness.read(Topics.erpLettering, timeout: .seconds(30)) { !$0.isEmpty }
        worker.stopCleanly()

        let letter = try #require(letters.first)
        #expect(letters.count == 1)
        #expect(letter.keyString == order)
        #expect(letter.headers.string("bus_error_code") == "forbidden_content")
        #expect(letter.headers.string("bus_original_topic") == Topics.shopPayments)
        let text = String(decoding: letter.value ?? Data(), as: UTF8.self)
        #expect(text.contains("4111-11**-****-1111") && text.contains("4111 11** **** 1111"), "masked, first 6 and last 4 kept")
        #expect(letter.headers.string("x-debug") == "card 411111******1111", "headers masked too")

        let numbers = ["4111-1111-1111-1111", "4111 1111 1111 1111", "4111111111111111"]
        var everywhere: [ConsumedRecord] = letters
        for topic in Self.outputs + [Topics.exceptions, flow.changelogTopic] { everywhere += try harness.readAll(topic) }
        for record in everywhere {
            let bytes = String(decoding: (record.key ?? Data()) + (record.value ?? Data()), as: UTF8.self)
                + record.headers.map { "\($0.key)=\($0.stringValue ?? "")" }.joined()
            #expect(!numbers.contains { bytes.contains($0) }, "no full number on \(record.topic)")
        }
        let receipts = try harness.readAll(Topics.erpReceipts).compactMap { $0.message(Receipt.self) }
        #expect(receipts.map(\.paymentID) == ["pay_good"], "the refused payment was never booked")
        let entries = try harness.readAll(Topics.erpLettering).compactMap { $0.message(LetteringEntry.self) }
        #expect(entries.map(\.payments) == [[LetteredPayment(receiptID: "rcpt-pay_good", amount: Pay.euros(5050))]])
    }

    @Test("kill and restart: a crashed worker's successor letters the same, posts the same receipts, sends no id with two contents")
    func killAndRestart() throws {
        let traffic = try LettererTraffic(count: 200, seed: 23)
        let expectedEntries = traffic.invoiceCount
        let settled: (KillAndRestart.Outcome) -> Bool = { outcome in
            let entries = outcome.byID.values.compactMap { Self.decode(LetteringEntry.self, $0) }
            let receipts = Set(outcome.byID.values.compactMap { Self.decode(Receipt.self, $0)?.receiptID })
            let latest = LettererTraffic.latestEntries(entries)
            return receipts.count == traffic.paymentCount && latest.count == expectedEntries && latest.values.allSatisfy { $0.status == .fullyLettered }
        }
        let (reference, crashed) = try KillAndRestart.run(
            flow: PaymentLetterer(), topics: [], inputs: traffic.records(seed: 5), outputs: Self.outputs + [Topics.exceptions],
            crashAfter: 350, settled: settled)

        for (name, outcome) in [("reference", reference), ("crashed", crashed)] {
            #expect(outcome.conflicting.isEmpty, "\(name): one id, one content: \(outcome.conflicts.prefix(2))")
            let receipts = outcome.byID.values.compactMap { Self.decode(Receipt.self, $0) }
            let entries = outcome.byID.values.compactMap { Self.decode(LetteringEntry.self, $0) }
            traffic.check(receipts: receipts, entries: entries)
            let byLetteringID = Dictionary(grouping: entries, by: \.letteringID)
            #expect(byLetteringID.values.allSatisfy { Set($0.map { Pay.codec.encode($0) }).count == 1 }, "\(name): a lettering id always carries the same entry")
            #expect(!outcome.byID.values.contains { $0.topic == Topics.exceptions }, "\(name): nothing for a person")
        }
        #expect(Self.final(reference) == Self.final(crashed), "the same receipts and the same final lettering of every invoice")
    }

    /// Receipts by id and each invoice's final entry, as bytes.
    static func final(_ outcome: KillAndRestart.Outcome) -> [String: Data] {
        var result: [String: Data] = [:]
        let entries = outcome.byID.values.compactMap { decode(LetteringEntry.self, $0) }
        for (invoice, entry) in LettererTraffic.latestEntries(entries) { result["entry \(invoice)"] = Pay.codec.encode(entry) }
        for receipt in outcome.byID.values.compactMap({ decode(Receipt.self, $0) }) { result["receipt \(receipt.receiptID)"] = Pay.codec.encode(receipt) }
        return result
    }

    static func decode<M: BusMessage>(_ type: M.Type, _ record: KillAndRestart.OutputRecord) -> M? {
        record.value.flatMap { try? Pay.codec.decode(type, from: $0) }
    }
}

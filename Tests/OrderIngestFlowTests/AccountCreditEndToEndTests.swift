import BusKafka
import BusSchema
import BusTestKit
import Foundation
import OrderIngestFlow
import PaymentLettererFlow
import Testing

/// B2B on account on the embedded cluster: the company's identity links (as customer-sync
/// writes them, with the account's terms, limit and status, written by hand) and the site's
/// orders are published with kcat, another client in another process; order-ingest runs as
/// its worker. One cluster and one worker for the whole story (a group's first join costs 3 s).
@Suite("order-ingest: B2B on account, end to end")
struct AccountCreditEndToEndTests {
    static func link(_ site: String, _ code: String, limitCents: Int, status: String = "active") -> Data {
        Data(#"""
        {"site_account_id": "\#(site)", "erp_account_code": "\#(code)", "erp_contact_id": "CT-1", "status": "linked", "matched_by": "email",
         "changed_at": "\#(Instant(Date()))", "payment_terms": "NET30", "credit_limit": {"amount": \#(limitCents), "currency": "EUR"},
         "account_status": "\#(status)"}
        """#.utf8)
    }

    @Test("on account: accepted without capture on NET30; over the limit held with both figures, sent once when the limit is raised; a card order prepaid; a blocked account held until unblocked")
    func onAccount() throws {
        let story = try AccountStory()
        defer { story.worker.stopCleanly() }
        // One partition for the company's orders (acrossPartitions spreads them over two).
        let partitions = Int32(story.harness.partitions)
        let numbers = (1...2000).map { "WEB-B2B-\($0)" }.filter { Murmur2Partitioner.partition(of: $0, partitions: partitions) == 0 }
        let (first, second, card, blocked) = (numbers[0], numbers[1], numbers[2], numbers[3])

        // The company: NET30, a limit of 1,000.00.
        try story.kcat(Topics.customerIdentity, "acc-b2b-e2e", IdentityLink.messageType, "link-b2b-1", Self.link("acc-b2b-e2e", "C000880", limitCents: 100_000))
        Thread.sleep(forTimeInterval: 2)

        // 699.00 by bank transfer, not paid: in the ERP at once, on NET30.
        try story.publish(AccountStory.mugs(first, 100, "acc-b2b-e2e", .bankTransfer, .pending))
        _ = try story.waitFor(first, [.accepted])
        #expect(try story.salesOrders(first).map(\.paymentTerms) == ["NET30"])

        // 349.50 more: 1,048.50 open beyond 1,000.00, held with both figures.
        try story.publish(AccountStory.mugs(second, 50, "acc-b2b-e2e", .bankTransfer, .pending))
        let held = try story.waitFor(second, [.held])
        let reason = try #require(held.first?.reasons.first)
        #expect(reason.code == .creditLimitExceeded)
        #expect(reason.message.contains("1048.50 EUR") && reason.message.contains("1000.00 EUR"), "\(reason.message)")
        #expect(try story.salesOrders(second).isEmpty)

        // The same company by card, authorised: the payment rules, prepaid, whatever the limit.
        try story.publish(AccountStory.mugs(card, 200, "acc-b2b-e2e", .card, .authorised))
        _ = try story.waitFor(card, [.accepted])
        #expect(try story.salesOrders(card).map(\.paymentTerms) == ["PREPAID"])

        // The ERP raises the limit to 2,000.00: customer-sync writes the link again; the held order goes, once.
        try story.kcat(Topics.customerIdentity, "acc-b2b-e2e", IdentityLink.messageType, "link-b2b-2", Self.link("acc-b2b-e2e", "C000880", limitCents: 200_000))
        _ = try story.waitFor(second, [.held, .accepted])
        #expect(try story.salesOrders(second).map(\.paymentTerms) == ["NET30"])

        // A blocked company: held blocked_account; unblocked, sent.
        try story.kcat(Topics.customerIdentity, "acc-b2b-blocked", IdentityLink.messageType, "link-blocked-1",
                 Self.link("acc-b2b-blocked", "C000881", limitCents: 100_000, status: "blocked"))
        Thread.sleep(forTimeInterval: 2)
        try story.publish(AccountStory.mugs(blocked, 1, "acc-b2b-blocked", .bankTransfer, .pending))
        #expect(try story.waitFor(blocked, [.held]).first?.reasons.map(\.code) == [.blockedAccount])
        try story.kcat(Topics.customerIdentity, "acc-b2b-blocked", IdentityLink.messageType, "link-blocked-2", Self.link("acc-b2b-blocked", "C000881", limitCents: 100_000))
        _ = try story.waitFor(blocked, [.held, .accepted])

        // The links read again (a restart, a resync) send nothing more.
        try story.kcat(Topics.customerIdentity, "acc-b2b-e2e", IdentityLink.messageType, "link-b2b-3", Self.link("acc-b2b-e2e", "C000880", limitCents: 200_000))
        Thread.sleep(forTimeInterval: 1.5)
        #expect(try [first, second, card, blocked].map { try story.salesOrders($0).count } == [1, 1, 1, 1], "each order reaches the ERP exactly once")
        #expect(try story.harness.readAll(story.flow.deadLetterTopic).isEmpty, "nothing dead-lettered")
        #expect(story.worker.failure == nil)
    }

    @Test("one account, two partitions: the second order, over the limit with the first, is held; the first's invoice paid (payment-letterer's open item) frees it on the other partition, once")
    func acrossPartitions() throws {
        let story = try AccountStory()
        defer { story.worker.stopCleanly() }
        // Two order numbers of the company that murmur2 puts on two partitions of shop.orders.
        let partitions = Int32(story.harness.partitions)
        let partition = { (number: String) in Murmur2Partitioner.partition(of: number, partitions: partitions) }
        let candidates = (1...2000).map { "WEB-SPLIT-\($0)" }
        let first = try #require(candidates.first { partition($0) == 0 })
        let second = try #require(candidates.first { partition($0) == 1 })

        // The company: NET30, a limit of 1,000.00.
        try story.kcat(Topics.customerIdentity, "acc-split", IdentityLink.messageType, "link-split-1", Self.link("acc-split", "C000890", limitCents: 100_000))
        Thread.sleep(forTimeInterval: 2)

        // 699.00 on partition 0: sent; its exposure is published for every partition.
        try story.publish(AccountStory.mugs(first, 100, "acc-split", .bankTransfer, .pending))
        _ = try story.waitFor(first, [.accepted])
        let exposures = try story.harness.read(Topics.accountExposure, timeout: .seconds(30)) { $0.contains { $0.keyString == first } }
        let entry = try #require(exposures.first { $0.keyString == first }?.value.flatMap { try? Shop.codec.decode(AccountOrderExposure.self, from: $0) })
        #expect(entry.accountCode == "C000890" && entry.open.amount == 69_900)
        Thread.sleep(forTimeInterval: 1)  // the table reader of the worker reads it back (its own write)

        // 349.50 on partition 1, which holds no order of the company: 1,048.50 with the first, held.
        try story.publish(AccountStory.mugs(second, 50, "acc-split", .bankTransfer, .pending))
        let held = try story.waitFor(second, [.held])
        let reason = try #require(held.first?.reasons.first)
        #expect(reason.code == .creditLimitExceeded)
        #expect(reason.message.contains("1048.50 EUR") && reason.message.contains("1000.00 EUR"), "\(reason.message)")
        #expect(try story.salesOrders(second).isEmpty)

        // The first order's invoice, paid in full, as payment-letterer publishes it: the second goes by itself.
        let invoice = AccountInvoice(invoiceNumber: "INV-SPLIT-1", accountCode: "C000890", orderNumber: OrderNumber(first), total: Shop.money(69_900),
                                     paid: Shop.money(69_900), open: Shop.money(0), status: .fullyLettered, updatedAt: Instant(Date()))
        try story.kcat(Topics.shopAccountInvoices, "INV-SPLIT-1", AccountInvoice.messageType, "invoice-split-1", Shop.codec.encode(invoice))
        _ = try story.waitFor(second, [.held, .accepted])
        #expect(try story.salesOrders(second).map(\.paymentTerms) == ["NET30"])

        // Read again (a restart, a resync): nothing more.
        try story.kcat(Topics.shopAccountInvoices, "INV-SPLIT-1", AccountInvoice.messageType, "invoice-split-2", Shop.codec.encode(invoice))
        Thread.sleep(forTimeInterval: 1.5)
        #expect(try [first, second].map { try story.salesOrders($0).count } == [1, 1], "each order reaches the ERP exactly once")
        #expect(try story.harness.readAll(story.flow.deadLetterTopic).isEmpty, "nothing dead-lettered")
        #expect(story.worker.failure == nil)
    }

    @Test("the whole chain, order-ingest and payment-letterer on one cluster: the ERP invoices the first order, the site's transfer pays it, the site sees the open item go from open to fully_lettered, and the company's order held on another partition goes by itself")
    func paidThroughTheLetterer() throws {
        let catalogue = try TopicCatalogue.load(from: Data(contentsOf: OrderChangeEndToEndTests.repository.appendingPathComponent("topics/topics.json")))
        let story = try AccountStory(topics: catalogue.topics.map(\.name))
        defer { story.worker.stopCleanly() }
        let letterer = story.harness.start(other: PaymentLetterer())
        defer { letterer.stopCleanly() }
        let partitions = Int32(story.harness.partitions)
        let candidates = (1...2000).map { "WEB-CHAIN-\($0)" }
        let first = try #require(candidates.first { Murmur2Partitioner.partition(of: $0, partitions: partitions) == 2 })
        let second = try #require(candidates.first { Murmur2Partitioner.partition(of: $0, partitions: partitions) == 3 })

        try story.kcat(Topics.customerIdentity, "acc-chain", IdentityLink.messageType, "link-chain-1", Self.link("acc-chain", "C000895", limitCents: 100_000))
        Thread.sleep(forTimeInterval: 2)
        try story.publish(AccountStory.mugs(first, 100, "acc-chain", .bankTransfer, .pending))
        _ = try story.waitFor(first, [.accepted])
        Thread.sleep(forTimeInterval: 1)  // its exposure read back by the worker's table
        try story.publish(AccountStory.mugs(second, 50, "acc-chain", .bankTransfer, .pending))
        #expect(try story.waitFor(second, [.held]).first?.reasons.map(\.code) == [.creditLimitExceeded])

        // The ERP invoices the first order (699.00 on NET30): still owed, the second stays held.
        let now = Instant(Date())
        let invoice = ERPInvoice(invoiceNumber: "FA-CHAIN-1", orderNumber: OrderNumber(first), accountCode: "C000895", currency: .eur,
                                 totalExclTax: Shop.money(58_250), totalTax: Shop.money(11_650), totalInclTax: Shop.money(69_900),
                                 issuedAt: now, dueOn: now.adding(days: 30).utcDate)
        try story.kcat(Topics.erpInvoices, first, ERPInvoice.messageType, "erp-invoice-chain-1", Shop.codec.encode(invoice))
        #expect(waitUntil(timeout: .seconds(60)) { ((try? story.kcatRead(Topics.shopAccountInvoices)) ?? []).count >= 1 }, "the open item is published")
        Thread.sleep(forTimeInterval: 1)
        #expect(try story.salesOrders(second).isEmpty, "invoiced, not paid: still over the limit")

        // The company's transfer for the invoice, as the site records it.
        let transfer = SitePayment(paymentID: "pay-chain-1", orderNumber: OrderNumber(first), kind: .capture, method: .bankTransfer,
                                   amount: Shop.money(69_900), providerReference: "SEPA-CHAIN-1", occurredAt: Instant(Date()))
        try story.kcat(Topics.shopPayments, first, SitePayment.messageType, "site-pay-chain-1", Shop.codec.encode(transfer))
        _ = try story.waitFor(second, [.held, .accepted])
        #expect(try story.salesOrders(second).map(\.paymentTerms) == ["NET30"])

        let items = try story.kcatRead(Topics.shopAccountInvoices).compactMap { try? Shop.codec.decode(AccountInvoice.self, from: $0) }
        #expect(items.map { "\($0.invoiceNumber) \($0.status.rawValue) \($0.paid.amount)/\($0.open.amount)" } == ["FA-CHAIN-1 open 0/69900", "FA-CHAIN-1 fully_lettered 69900/0"],
                "the site sees the company's open item and its lettering")
        #expect(items.allSatisfy { $0.accountCode == "C000895" })
        #expect(try [first, second].map { try story.salesOrders($0).count } == [1, 1], "each order reaches the ERP exactly once")
        #expect(try story.harness.readAll(story.flow.deadLetterTopic).isEmpty, "nothing dead-lettered")
        #expect(story.worker.failure == nil && letterer.failure == nil)
    }
}

/// One order-ingest worker on its own embedded cluster, and the site's and the other systems'
/// side of a B2B story: records published with kcat, outputs read back.
final class AccountStory {
    let flow = OrderIngest()
    let harness: FlowHarness<OrderIngest>
    let worker: RunningWorker<OrderIngest>

    /// `topics` besides order-ingest's own: its outputs by default.
    init(topics: [String] = [Topics.erpSalesOrders, Topics.orderAcceptance, Topics.accountExposure]) throws {
        harness = try FlowHarness(flow: flow, topics: topics)
        try harness.publish(OrderTraffic.tableRecords(accounts: 0))
        worker = harness.start(flow)
    }

    /// Publishes `value` with kcat, another client in another process.
    func kcat(_ topic: String, _ key: String, _ type: String, _ id: String, _ value: Data) throws {
        try OrderChangeEndToEndTests.kcat(harness.cluster.bootstrapServers, topic: topic, key: key, type: type, id: id, value: value)
    }

    /// The values of `topic` from its beginning, read with kcat as the site would.
    func kcatRead(_ topic: String) throws -> [Data] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/kcat")
        process.arguments = ["-C", "-b", harness.cluster.bootstrapServers, "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%s\\n"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "kcat read \(topic)")
        return data.split(separator: UInt8(ascii: "\n")).map { Data($0) }
    }

    /// The site places `order`.
    func publish(_ order: SiteOrder) throws {
        try kcat(Topics.shopOrders, order.orderNumber.rawValue, SiteOrder.messageType, "site-\(order.orderNumber)", Shop.codec.encode(order))
    }

    /// `count` mugs at 6.99 for `account`, placed now.
    static func mugs(_ number: String, _ count: Int, _ account: String, _ method: PaymentMethod, _ status: PaymentStatus) -> SiteOrder {
        Shop.order(number, lines: [Shop.line(1, "MUG", "\(count)", 699, "20")], account: account, payment: method, paymentStatus: status, placedAt: Instant(Date()))
    }

    /// The acceptances of `number` among `records`, each under the current schema version.
    func acceptances(_ number: String, _ records: [ConsumedRecord]) -> [OrderAcceptance] {
        records.filter { $0.keyString == number }.compactMap { record -> OrderAcceptance? in
            #expect(record.headers.string("ce_dataschema") == "urn:commerce-bus:schema:shop.order-acceptance.v3")
            return record.value.flatMap { try? Shop.codec.decode(OrderAcceptance.self, from: $0) }
        }
    }

    /// Waits until the site has been told exactly `statuses` about `number`.
    func waitFor(_ number: String, _ statuses: [AcceptanceStatus]) throws -> [OrderAcceptance] {
        acceptances(number, try harness.read(Topics.orderAcceptance, timeout: .seconds(60)) { self.acceptances(number, $0).map(\.status) == statuses })
    }

    /// The sales orders the ERP received for `number`.
    func salesOrders(_ number: String) throws -> [ERPSalesOrder] {
        try harness.readAll(Topics.erpSalesOrders).filter { $0.keyString == number }
            .compactMap { $0.value.flatMap { try? Shop.codec.decode(ERPSalesOrder.self, from: $0) } }
    }
}

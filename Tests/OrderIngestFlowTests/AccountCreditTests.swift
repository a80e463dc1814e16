import BusSchema
import Foundation
import OrderIngestFlow
import Testing

/// B2B on account, as the README's order-ingest rules say it: an account whose ERP payment
/// terms are not the prepaid ones pays a bank transfer on its invoice, so its order goes to the
/// ERP at once on those terms; over the credit limit (open amount plus this order) or on a
/// blocked account it is held, and judged again when the account's link says otherwise or an
/// operator releases it; a card-paid order of the same company follows the payment rules.
@Suite("order-ingest: B2B orders on account, credit limit and blocked accounts")
struct AccountCreditTests {
    static let limit = Shop.money(100_000)

    /// A company's link as customer-sync writes it, with the account's terms.
    static func company(_ site: String, _ code: String, terms: Code? = "NET30", limit: Money? = AccountCreditTests.limit,
                        status: AccountStatus = .active) -> IdentityLink {
        IdentityLink(siteAccountID: SiteAccountID(site), erpAccountCode: ERPAccountCode(code), erpContactID: "CT-1", status: .linked, matchedBy: .email,
                     changedAt: Shop.at(minutes: 0), paymentTerms: terms, creditLimit: limit, accountStatus: status)
    }

    static let links: [IdentityLink] = [
        company("acc-net30", "C000800"), company("acc-net30-bis", "C000800"),
        company("acc-blocked", "C000801", status: .blocked), company("acc-closed", "C000804", status: .closed),
        company("acc-prepaid", "C000802", terms: "PREPAID"), company("acc-nolimit", "C000803", limit: nil),
        company("acc-exact", "C000805", limit: Shop.money(139_800)),
        Shop.link("acc-1", "C000001"),
    ]

    static var tables: StaticTables {
        var tables = Shop.tables
        for link in links { tables = tables.adding(link, in: Topics.customerIdentity, key: link.siteAccountID.rawValue) }
        return tables
    }

    static func bench() -> OrderBench { OrderBench(tables: tables) }

    /// `mugs` mugs at 6.99 for `account`, paid by `payment`.
    static func order(_ number: String, mugs: Int = 100, account: String = "acc-net30", payment: PaymentMethod = .bankTransfer,
                      status: PaymentStatus? = .pending) -> SiteOrder {
        Shop.order(number, lines: [Shop.line(1, "MUG", "\(mugs)", 699, "20")], account: account, payment: payment, paymentStatus: status)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// Orders placed first (all sent on account).
        var before: [SiteOrder] = []
        var order: SiteOrder
        var status: AcceptanceStatus
        var reasons: [AcceptanceReasonCode] = []
        /// The payment terms the ERP order carries, when sent.
        var terms: Code? = nil
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a company on NET30 paying by bank transfer: accepted at once, no capture awaited, on its terms",
             order: order("WEB-1"), status: .accepted, terms: "NET30"),
        Case(name: "the same company paying by card (authorised): the payment rules apply, prepaid",
             order: order("WEB-1", payment: .card, status: .authorised), status: .accepted, terms: "PREPAID"),
        Case(name: "the same company paying by card not yet authorised: waits for its payment like any card order",
             order: order("WEB-1", payment: .card, status: .pending), status: .awaitingPayment),
        Case(name: "a card order counts nothing against the limit: 1,398.00 by card, then 699.00 on account, accepted",
             before: [order("WEB-0", mugs: 200, payment: .card, status: .authorised)], order: order("WEB-1"), status: .accepted, terms: "NET30"),
        Case(name: "a company on prepaid terms paying by bank transfer: waits for the transfer (B2C rules)",
             order: order("WEB-1", account: "acc-prepaid"), status: .awaitingPayment),
        Case(name: "a private customer (no terms) paying by bank transfer: waits for the transfer",
             order: order("WEB-1", account: "acc-1"), status: .awaitingPayment),
        Case(name: "open 699.00 plus 699.00 exactly at a limit of 1,398.00: accepted",
             before: [order("WEB-0", account: "acc-exact")], order: order("WEB-1", account: "acc-exact"), status: .accepted, terms: "NET30"),
        Case(name: "open 1,398.00 at the limit of 1,398.00, plus 6.99: held",
             before: [order("WEB-0", account: "acc-exact"), order("WEB-2", account: "acc-exact")], order: order("WEB-1", mugs: 1, account: "acc-exact"),
             status: .held, reasons: [.creditLimitExceeded]),
        Case(name: "an order alone beyond the limit: held credit_limit_exceeded",
             order: order("WEB-1", mugs: 144), status: .held, reasons: [.creditLimitExceeded]),
        Case(name: "open orders plus this one beyond the limit, from another contact of the same company: held",
             before: [order("WEB-0", mugs: 100)], order: order("WEB-1", mugs: 50, account: "acc-net30-bis"), status: .held,
             reasons: [.creditLimitExceeded]),
        Case(name: "an account with no credit limit: accepted whatever the amount",
             order: order("WEB-1", mugs: 1000, account: "acc-nolimit"), status: .accepted, terms: "NET30"),
        Case(name: "a blocked account on account: held blocked_account",
             order: order("WEB-1", account: "acc-blocked"), status: .held, reasons: [.blockedAccount]),
        Case(name: "a blocked account paying by card: held blocked_account too",
             order: order("WEB-1", account: "acc-blocked", payment: .card, status: .paid), status: .held, reasons: [.blockedAccount]),
        Case(name: "a closed account: held blocked_account",
             order: order("WEB-1", account: "acc-closed"), status: .held, reasons: [.blockedAccount]),
    ]

    @Test("an order of a company…", arguments: cases)
    func placement(_ c: Case) throws {
        let bench = Self.bench()
        for earlier in c.before {
            #expect(try bench.place(earlier).messages(OrderAcceptance.self).map(\.status) == [.accepted], "\(earlier.orderNumber) goes first")
        }
        let outputs = try bench.place(c.order)
        let acceptance = try #require(outputs.messages(OrderAcceptance.self).last)
        #expect(acceptance.status == c.status)
        #expect(acceptance.reasons.map(\.code) == c.reasons)
        #expect(acceptance.validate().isEmpty)
        let sent = outputs.messages(ERPSalesOrder.self)
        #expect(sent.count == (c.status == .accepted ? 1 : 0))
        #expect(sent.first?.paymentTerms == c.terms)
        #expect(sent.first?.validate().isEmpty ?? true)
    }

    @Test("the hold names both figures: the open amount with this order and the credit limit")
    func holdFigures() throws {
        let bench = Self.bench()
        try bench.place(Self.order("WEB-0", mugs: 100))
        let outputs = try bench.place(Self.order("WEB-1", mugs: 50, account: "acc-net30-bis"))
        let reason = try #require(outputs.messages(OrderAcceptance.self).first?.reasons.first)
        #expect(reason.message.contains("1048.50 EUR") && reason.message.contains("1000.00 EUR"), "\(reason.message)")
        let exception = try #require(outputs.messages(BusinessException.self).first)
        #expect(exception.details["credit_limit"] == "1000.00 EUR")
        #expect(exception.details["open_amount"] == "1048.50 EUR")
        #expect(exception.details["open_before"] == "699.00 EUR")
        #expect(exception.details["account_code"] == "C000800")
    }

    @Test("held over the limit, sent when the ERP raises the limit (a new link from customer-sync), once")
    func limitRaised() throws {
        let bench = Self.bench()
        try bench.place(Self.order("WEB-0", mugs: 100))
        #expect(try bench.place(Self.order("WEB-1", mugs: 50)).messages(OrderAcceptance.self).map(\.status) == [.held])
        let same = try bench.publish(Self.company("acc-net30", "C000800"), in: Topics.customerIdentity, key: "acc-net30")
        #expect(same.isEmpty, "the same limit again frees nothing and says nothing")
        let raised = try bench.publish(Self.company("acc-net30", "C000800", limit: Shop.money(200_000)), in: Topics.customerIdentity, key: "acc-net30")
        #expect(raised.messages(ERPSalesOrder.self).map(\.externalReference) == ["WEB-1"])
        #expect(raised.messages(ERPSalesOrder.self).first?.paymentTerms == "NET30")
        #expect(raised.messages(OrderAcceptance.self).map(\.status) == [.accepted])
        #expect(try bench.publish(Self.company("acc-net30", "C000800", limit: Shop.money(200_000)), in: Topics.customerIdentity, key: "acc-net30")
            .messages(ERPSalesOrder.self).isEmpty, "read again: nothing more")
    }

    @Test("a blocked account's order is sent when the ERP unblocks the account")
    func unblocked() throws {
        let bench = Self.bench()
        #expect(try bench.place(Self.order("WEB-1", account: "acc-blocked")).messages(OrderAcceptance.self).map(\.status) == [.held])
        let still = try bench.publish(Self.company("acc-blocked", "C000801", status: .blocked), in: Topics.customerIdentity, key: "acc-blocked")
        #expect(still.messages(ERPSalesOrder.self).isEmpty)
        let open = try bench.publish(Self.company("acc-blocked", "C000801"), in: Topics.customerIdentity, key: "acc-blocked")
        #expect(open.messages(ERPSalesOrder.self).map(\.paymentTerms) == ["NET30"])
        #expect(bench.record("WEB-1")?.stage == .sent)
    }

    @Test("an operator's release sends an order held over the limit, and its amount then counts against the limit")
    func released() throws {
        let bench = Self.bench()
        try bench.place(Self.order("WEB-1", mugs: 150))
        let (outcome, outputs) = try OperatorDecisionTests.run(OperatorDecisionTests.command(.release), on: bench)
        #expect(outcome?.outcome == .done)
        #expect(outputs.messages(ERPSalesOrder.self).map(\.paymentTerms) == ["NET30"])
        #expect(bench.record("WEB-1")?.decisions?.first?.overrides == [.creditLimitExceeded])
        let next = try bench.place(Self.order("WEB-2", mugs: 1))
        #expect(next.messages(OrderAcceptance.self).first?.reasons.map(\.code) == [.creditLimitExceeded], "1048.50 already open")
    }

    static func invoice(_ number: String = "INV-1", order: String = "WEB-0", total: Int64 = 69_900, paid: Int64, minutes: Int = 650) -> AccountInvoice {
        AccountInvoice(invoiceNumber: InvoiceNumber(number), accountCode: "C000800", orderNumber: OrderNumber(order), total: Shop.money(total), paid: Shop.money(paid),
                       open: Shop.money(total - paid), status: InvoiceSettlement(paid: paid, open: total - paid), updatedAt: Shop.at(minutes: minutes))
    }

    @Test("what an order owes follows its invoice: partly paid it still counts, fully paid it no longer does; each payment that lowers it judges the held orders again")
    func invoicePaid() throws {
        let bench = Self.bench()
        try bench.place(Self.order("WEB-0", mugs: 100))
        // Before any payment: 699.00 open + 594.15 is beyond 1,000.00.
        #expect(try bench.place(Self.order("WEB-1", mugs: 85)).messages(OrderAcceptance.self).first?.status == .held)
        let invoiced = try bench.publish(Self.invoice(paid: 0), in: Topics.shopAccountInvoices, key: "INV-1")
        #expect(bench.record("WEB-0")?.onAccount?.open == Shop.money(69_900), "invoiced, nothing paid: still owed")
        #expect(invoiced.isEmpty, "what is owed did not change: nothing published, nothing judged")
        // 300.00 paid: 399.00 open + 594.15 fits: the held order goes, with no person and no re-send.
        let paid = try bench.publish(Self.invoice(paid: 30_000, minutes: 651), in: Topics.shopAccountInvoices, key: "INV-1")
        #expect(paid.messages(ERPSalesOrder.self).map(\.externalReference) == ["WEB-1"])
        #expect(paid.messages(OrderAcceptance.self).map(\.status) == [.accepted])
        #expect(paid.messages(AccountOrderExposure.self).map { "\($0.orderNumber) \($0.open)" } == ["WEB-0 399.00 EUR", "WEB-1 594.15 EUR"])
        #expect(try bench.place(Self.order("WEB-3", mugs: 2)).messages(OrderAcceptance.self).first?.status == .held, "993.15 open: 13.98 more is beyond")
        // Paid in full: WEB-0 owes nothing; 594.15 open + 13.98 fits.
        let settled = try bench.publish(Self.invoice(paid: 69_900, minutes: 652), in: Topics.shopAccountInvoices, key: "INV-1")
        #expect(settled.messages(ERPSalesOrder.self).map(\.externalReference) == ["WEB-3"])
        #expect(settled.messages(AccountOrderExposure.self).first.map { "\($0.orderNumber) \($0.open)" } == "WEB-0 0.00 EUR", "zero: the fall is told")
        guard case .accountExposure(let exposure)? = bench.store[AccountExposure.stateKey] else { Issue.record("no exposure"); return }
        #expect(exposure.accounts == ["C000800": ["WEB-1": Shop.money(59_415), "WEB-3": Shop.money(1_398)]])
        // Another account's invoice for an order number this partition holds changes nothing.
        let other = AccountInvoice(invoiceNumber: "INV-9", accountCode: "C000999", orderNumber: "WEB-1", total: Shop.money(59_415), paid: Shop.money(59_415),
                                   open: Shop.money(0), status: .fullyLettered, updatedAt: Shop.at(minutes: 660))
        #expect(try bench.publish(other, in: Topics.shopAccountInvoices, key: "INV-9").isEmpty)
        #expect(bench.record("WEB-1")?.onAccount?.open == Shop.money(59_415))
    }

    @Test("an invoice paid while no instance read the partition is lettered when it is restored: the order owes nothing, the held order goes")
    func invoicePaidBeforeRestore() throws {
        let bench = Self.bench()
        try bench.place(Self.order("WEB-0", mugs: 100))
        #expect(try bench.place(Self.order("WEB-1", mugs: 85)).messages(OrderAcceptance.self).first?.status == .held)
        // Loaded with the tables at start, as a successor loads them: the flow is not told.
        bench.tables = bench.tables.adding(Self.invoice(paid: 69_900), in: Topics.shopAccountInvoices, key: "INV-1")
        let restored = try bench.restore()
        #expect(restored.messages(AccountOrderExposure.self).map { "\($0.orderNumber) \($0.open)" } == ["WEB-0 0.00 EUR", "WEB-1 594.15 EUR"])
        #expect(restored.messages(ERPSalesOrder.self).map(\.externalReference) == ["WEB-1"])
        #expect(bench.record("WEB-0")?.onAccount?.open == Shop.money(0))
        #expect(try bench.restore().isEmpty, "restored again: nothing new")
    }

    @Test("an order sent again by a replay after its invoice was paid owes nothing: the table's invoice counts at once")
    func replayedAfterPaid() throws {
        let bench = Self.bench()
        bench.tables = bench.tables.adding(Self.invoice(paid: 69_900), in: Topics.shopAccountInvoices, key: "INV-1")
        let sent = try bench.place(Self.order("WEB-0", mugs: 100))
        #expect(sent.messages(ERPSalesOrder.self).map(\.externalReference) == ["WEB-0"])
        #expect(bench.record("WEB-0")?.onAccount?.open == Shop.money(0))
        #expect(sent.messages(AccountOrderExposure.self).map { "\($0.orderNumber) \($0.open)" } == ["WEB-0 0.00 EUR"])
    }

    @Test("a payment that lowers the exposure too little judges again and holds still, saying nothing new")
    func paidTooLittle() throws {
        let bench = Self.bench()
        try bench.place(Self.order("WEB-0", mugs: 100))
        #expect(try bench.place(Self.order("WEB-1", mugs: 85)).messages(OrderAcceptance.self).first?.status == .held)
        let little = try bench.publish(Self.invoice(paid: 10_000), in: Topics.shopAccountInvoices, key: "INV-1")
        #expect(little.messages(ERPSalesOrder.self).isEmpty, "599.00 + 594.15 is still beyond 1,000.00")
        #expect(little.messages(OrderAcceptance.self).isEmpty && little.messages(BusinessException.self).isEmpty, "held for the same reason: told once")
        #expect(bench.record("WEB-1")?.stage == .held)
        #expect(bench.record("WEB-1")?.creditHeldFor == "C000800")
        #expect(bench.record("WEB-1")?.heldReasons.first?.message.contains("1193.15 EUR") == true, "the figures kept are today's, for bus orders show")
    }

    @Test("an order cancelled in the ERP owes nothing: the next order fits")
    func cancelledInERP() throws {
        let bench = Self.bench()
        try bench.place(Self.order("WEB-0", mugs: 100))
        try bench.handle(ERPOrderStatus(orderNumber: "WEB-0", erpOrderReference: "SO-1", status: .cancelled, sequence: 1, statusAt: Shop.at(minutes: 610),
                                        shipments: [], problems: [], documents: []), key: "WEB-0")
        #expect(bench.store[AccountExposure.stateKey] == nil, "nothing is owed any more: the index is gone")
        #expect(try bench.place(Self.order("WEB-1", mugs: 100)).messages(OrderAcceptance.self).map(\.status) == [.accepted])
    }
}

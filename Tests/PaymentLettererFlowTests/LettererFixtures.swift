import BusKafka
import BusSchema
import Foundation
import PaymentLettererFlow

/// Messages and records for the payment-letterer's tests, in EUR cents.
enum Pay {
    static let codec = MessageCodec()
    static let start = Instant(Date(timeIntervalSince1970: 1_714_730_000))
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func euros(_ cents: Int64) -> Money { Money(amount: cents, currency: .eur) }

    static func at(_ second: Int) -> Instant {
        Instant(Date(timeIntervalSince1970: 1_714_730_000 + Double(second)))
    }

    static func payment(
        _ id: String, order: String = "WEB-1", _ method: PaymentMethod = .card, _ cents: Int64, kind: PaymentKind = .capture,
        reference: String? = nil, provider: Code? = nil, currency: Currency = .eur, at second: Int = 0
    ) -> SitePayment {
        SitePayment(paymentID: PaymentID(id), orderNumber: OrderNumber(order), kind: kind, method: method,
                    amount: Money(amount: cents, currency: currency), provider: provider,
                    providerReference: reference ?? "ref_\(id)", cardBrand: method == .card ? .visa : nil, occurredAt: at(second))
    }

    static func invoice(_ number: String, order: String = "WEB-1", _ cents: Int64, account: String = "C000001", currency: Currency = .eur, at second: Int = 0) -> ERPInvoice {
        let tax = cents / 6
        return ERPInvoice(invoiceNumber: InvoiceNumber(number), orderNumber: OrderNumber(order), accountCode: ERPAccountCode(account),
                          currency: currency, totalExclTax: Money(amount: cents - tax, currency: currency),
                          totalTax: Money(amount: tax, currency: currency), totalInclTax: Money(amount: cents, currency: currency),
                          issuedAt: at(second), dueOn: at(second).utcDate)
    }

    static func creditNote(
        _ number: String, order: String = "WEB-1", invoice: String = "FA-1", _ cents: Int64, refund: RefundMethod,
        reason: CreditReason = .return, account: String = "C000001", at second: Int = 0
    ) -> ERPCreditNote {
        let tax = cents / 6
        return ERPCreditNote(creditNoteNumber: CreditNoteNumber(number), invoiceNumber: InvoiceNumber(invoice), orderNumber: OrderNumber(order),
                             accountCode: ERPAccountCode(account), currency: .eur, totalExclTax: euros(cents - tax), totalTax: euros(tax),
                             totalInclTax: euros(cents), reason: reason, refundMethod: refund, issuedAt: at(second))
    }

    /// The catalogue's example sales order, made to be `order`'s, sold to `account`, for `cents` in all.
    static func salesOrder(order: String = "WEB-1", _ cents: Int64, account: String = "C000001", revision: Int = 1) throws -> ERPSalesOrder {
        let data = FileManager.default.contents(atPath: repository.appendingPathComponent("topics/examples/erp.sales-order.v1.json").path) ?? Data()
        var salesOrder = try codec.decode(ERPSalesOrder.self, from: data)
        let tax = cents / 6
        salesOrder.externalReference = OrderNumber(order)
        salesOrder.soldTo = ERPAccountCode(account)
        salesOrder.revision = revision
        salesOrder.lines = [salesOrder.lines[0]]
        salesOrder.lines[0].totalExclTax = euros(cents - tax)
        salesOrder.charges = []
        salesOrder.discounts = []
        salesOrder.roundingLine = nil
        salesOrder.taxLines = [ERPTaxLine(vatRate: salesOrder.lines[0].vatRate, baseExclTax: euros(cents - tax), tax: euros(tax), totalInclTax: euros(cents))]
        salesOrder.payments = [PaymentSummary(method: .card, amount: euros(cents))]
        salesOrder.totals = ERPOrderTotals(totalExclTax: euros(cents - tax), totalTax: euros(tax), totalInclTax: euros(cents))
        return salesOrder
    }

    static func topic(of message: any BusMessage) -> String {
        switch message {
        case is SitePayment: Topics.shopPayments
        case is ERPSalesOrder, is ERPSalesOrderCancellation: Topics.erpSalesOrders
        case is StoreCreditSpend, is StoreCreditDecision, is StoreCreditIssued, is GiftCardIssued: CreditRoute.topic
        default: Topics.erpInvoices
        }
    }

    /// The input the runtime would hand the flow for `message`, keyed by `key`.
    static func input<M: BusMessage>(_ message: M, key: String, id: String) -> FlowInput {
        FlowInput(envelope: Envelope(for: M.self, id: id, source: "test/producer", time: start), message: message, key: key, topic: topic(of: message))
    }

    /// The record an outside system would publish for `message`.
    static func record<M: BusMessage>(_ message: M, key: String, id: String = UUID().uuidString) -> ProducerRecord {
        let envelope = Envelope(for: M.self, id: id, source: "test/producer", time: start)
        return ProducerRecord(topic: topic(of: message), key: key, value: codec.encode(message),
                              headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
    }
}

/// The flow with a state store, called as the runtime calls it.
final class LettererBench {
    let flow: PaymentLetterer
    let store = StateStore<LettererState>()
    private(set) var outputs: [FlowOutput] = []
    private(set) var count = 0
    /// The partition's clock, once `wait(minutes:)` moved it past the inputs' time.
    private(set) var clock: Instant?
    private var forwardedUpTo = 0

    init(_ rules: PaymentLettererRules = .defaults, secret: CreditCodeSecret? = nil) {
        flow = PaymentLetterer(rules: rules, creditCodeSecret: secret)
    }

    /// Hands `message` to the flow as a fresh input (or as `id` again, for a redelivery).
    @discardableResult
    func send<M: BusMessage>(_ message: M, key: String? = nil, id: String? = nil) throws -> [FlowOutput] {
        count += 1
        let input = Pay.input(message, key: key ?? Self.orderKey(of: message), id: id ?? "in-\(count)")
        var state = FlowState(store: store, clock: clock)
        let produced = try flow.handle(input, state: &state, tables: StaticTables())
        store.apply(state.changes)
        outputs += produced
        return produced
    }

    static func orderKey(of message: any BusMessage) -> String {
        switch message {
        case let payment as SitePayment: payment.orderNumber.rawValue
        case let invoice as ERPInvoice: invoice.orderNumber.rawValue
        case let note as ERPCreditNote: note.orderNumber.rawValue
        case let order as ERPSalesOrder: order.externalReference.rawValue
        case let cancellation as ERPSalesOrderCancellation: cancellation.externalReference.rawValue
        default: "?"
        }
    }

    /// Hands every output sent to the internal topic since the last call back to the flow, as
    /// the runtime would (with its key), until none is left: the round trip to a code's
    /// balance and back to the paying order.
    func deliverForwarded() throws {
        while let index = outputs[forwardedUpTo...].firstIndex(where: { $0.topic == CreditRoute.topic }) {
            forwardedUpTo = index + 1
            let forwarded = outputs[index]
            guard let message = forwarded.message else { continue }
            count += 1
            let input = FlowInput(envelope: Self.envelope(of: message, id: "fwd-\(count)"),
                                  message: message, key: forwarded.key, topic: CreditRoute.topic)
            var state = FlowState(store: store, clock: clock)
            let produced = try flow.handle(input, state: &state, tables: StaticTables())
            store.apply(state.changes)
            outputs += produced
        }
    }

    /// Lets the partition's clock reach `minutes` after the inputs' time (`Pay.start`), as
    /// later inputs or an idle tick would: fires every timer due by then, earliest first, as
    /// the runtime does, and keeps their outputs.
    func wait(minutes: Int) throws {
        let moment = Pay.start.adding(seconds: Int64(minutes) * 60)
        clock = max(clock ?? moment, moment)
        var fired: Set<FlowTimer> = []
        while let timer = store.snapshot.compactMap({ key, value in flow.wakeTime(key: key, value: value).map { FlowTimer(key: key, due: $0) } })
            .filter({ $0.due <= moment && !fired.contains($0) }).min(by: { $0.due < $1.due }) {
            fired.insert(timer)
            var state = FlowState(store: store, clock: timer.due)
            let produced = try flow.wake(timer, state: &state, tables: StaticTables())
            store.apply(state.changes)
            outputs += produced
        }
    }

    /// The wait before an overpayment is raised, in the bench's rules, and a minute more.
    var pastTheOverpaymentWait: Int { flow.rules.overpaymentWaitMinutes + 1 }

    private static func envelope<M: BusMessage>(of message: M, id: String) -> Envelope {
        Envelope(for: M.self, id: id, source: "bus/payment-letterer", time: Pay.start)
    }

    /// The account of `order` as the state holds it.
    func account(_ order: String = "WEB-1") -> OrderAccount? {
        if case .account(let account)? = store[order] { return account } else { return nil }
    }

    var receipts: [Receipt] { outputs.compactMap { $0.message as? Receipt } }
    var entries: [LetteringEntry] { outputs.compactMap { $0.message as? LetteringEntry } }
    var storeCredits: [StoreCreditIssued] { outputs.filter { $0.topic == Topics.erpLettering }.compactMap { $0.message as? StoreCreditIssued } }
    var exceptions: [BusinessException] { outputs.compactMap { $0.message as? BusinessException } }
    var decisions: [StoreCreditDecision] { outputs.filter { $0.topic == Topics.shopStoreCredits }.compactMap { $0.message as? StoreCreditDecision } }
    var giftCards: [GiftCardIssued] { outputs.filter { $0.topic == Topics.erpLettering }.compactMap { $0.message as? GiftCardIssued } }
    var offsets: [PaymentOffset] { outputs.compactMap { $0.message as? PaymentOffset } }
    var proposals: [RefundProposal] { outputs.compactMap { $0.message as? RefundProposal } }
    var accountInvoices: [AccountInvoice] { outputs.compactMap { $0.message as? AccountInvoice } }

    /// Every lettering entry sent, in order, as "FA-1 ← p1 3000, p2 2050 = 0" (a credit note
    /// against refunds: "AV-1 ⇄ r1 1990 = 0"); the number after "=" is the remainder.
    var lettering: [String] { entries.map(Self.line) }

    static func line(_ entry: LetteringEntry) -> String {
        let isNote = entry.invoices.isEmpty
        let document = entry.invoices.first?.invoiceNumber.rawValue ?? entry.creditNotes.first?.creditNoteNumber.rawValue ?? "?"
        let pieces = (isNote ? entry.refunds ?? [] : entry.payments).map { "\($0.receiptID.rawValue.dropFirst(5)) \($0.amount.amount)" }
        return "\(document) \(isNote ? "⇄" : "←") \(pieces.joined(separator: ", ")) = \(entry.remainder.amount)"
    }
}

/// One thing happening to order WEB-1, for scenario tables.
enum Step: Sendable, CustomStringConvertible {
    /// The site captures a payment.
    case pay(String, PaymentMethod, Int64)
    /// The site refunds a payment.
    case refund(String, Int64)
    /// The ERP invoices.
    case invoice(String, Int64)
    /// The ERP issues a credit note against FA-1.
    case creditNote(String, Int64, RefundMethod)
    /// order-ingest sends the sales order (revision, total).
    case order(revision: Int, Int64)
    /// The partition's clock reaches this many minutes after the inputs' time (timers fire).
    case wait(minutes: Int)

    var description: String {
        switch self {
        case let .pay(id, method, cents): "pay \(id) \(method.rawValue) \(cents)"
        case let .refund(id, cents): "refund \(id) \(cents)"
        case let .invoice(number, cents): "invoice \(number) \(cents)"
        case let .creditNote(number, cents, refund): "credit note \(number) \(cents) \(refund.rawValue)"
        case let .order(revision, cents): "sales order r\(revision) \(cents)"
        case let .wait(minutes): "\(minutes) minutes later"
        }
    }
}

extension LettererBench {
    /// Plays `steps` on order WEB-1, one second apart.
    func play(_ steps: [Step]) throws {
        for (second, step) in steps.enumerated() {
            switch step {
            case let .pay(id, method, cents): try send(Pay.payment(id, method, cents, at: second))
            case let .refund(id, cents): try send(Pay.payment(id, .card, cents, kind: .refund, at: second))
            case let .invoice(number, cents): try send(Pay.invoice(number, cents, at: second))
            case let .creditNote(number, cents, refund): try send(Pay.creditNote(number, cents, refund: refund, at: second))
            case let .order(revision, cents): try send(Pay.salesOrder(cents, revision: revision))
            case let .wait(minutes): try wait(minutes: minutes)
            }
        }
    }
}

extension LettererState {
    /// Whether an account is settled; nil for a credit balance.
    var isSettled: Bool? {
        if case .account(let account) = self { account.isSettled } else { nil }
    }
}

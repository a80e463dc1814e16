import BusKafka
import BusSchema
import Foundation
import StatusNotifierFlow

/// Messages and records for the status-notifier's tests.
enum Status {
    static let codec = MessageCodec()
    static let start = Instant(Date(timeIntervalSince1970: 1_714_730_000))
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func at(_ hour: Int) -> Instant {
        Instant(Date(timeIntervalSince1970: 1_714_730_000 + Double(hour) * 3600))
    }

    static func shipment(_ id: String, lines: [(Int, String, String)] = [(1, "TSHIRT-BLU-M", "2")], carrier: Code = "colissimo", at hour: Int = 30) -> Shipment {
        Shipment(shipmentID: EventID(id), carrier: carrier, trackingNumber: "6A\(id.filter(\.isNumber))00",
                 trackingURL: "https://track.example.com/\(id)", shippedAt: at(hour),
                 lines: lines.map { OrderLineQuantity(lineNumber: $0.0, sku: SKU($0.1), quantity: Quantity($0.2) ?? .zero) })
    }

    static func stockOut(line: Int = 2, sku: SKU = "MUG-CERAMIC-WHT", expected: String? = "2024-05-20") -> OrderProblem {
        OrderProblem(kind: .stockOut, lineNumber: line, sku: sku, expectedOn: expected.flatMap(LocalDate.init), message: "Waiting for supplier")
    }

    static let acknowledgement = OrderDocument(kind: .acknowledgement, number: "CV-2024-044120", url: "https://erp.example.com/documents/CV-2024-044120.pdf", issuedAt: at(1))

    /// An ERP status of order `order`; shipped statuses get a parcel unless given some.
    static func status(
        _ sequence: Int, _ status: OrderStatus, order: String = "WEB-1", shipments: [Shipment]? = nil,
        problems: [OrderProblem] = [], documents: [OrderDocument] = []
    ) -> ERPOrderStatus {
        let parcels = shipments ?? ([.partiallyShipped, .shipped, .delivered].contains(status) ? [shipment("SHP-1")] : [])
        return ERPOrderStatus(orderNumber: OrderNumber(order), erpOrderReference: "CV-2024-044120", status: status, sequence: sequence,
                              statusAt: at(sequence * 10), shipments: parcels, problems: problems, documents: documents)
    }

    static func invoice(_ number: String, order: String = "WEB-1", at hour: Int = 40) -> ERPInvoice {
        ERPInvoice(invoiceNumber: InvoiceNumber(number), orderNumber: OrderNumber(order), accountCode: "C000001", currency: .eur,
                   totalExclTax: Money(amount: 4208, currency: .eur), totalTax: Money(amount: 842, currency: .eur),
                   totalInclTax: Money(amount: 5050, currency: .eur), issuedAt: at(hour), dueOn: at(hour).utcDate,
                   documentURL: "https://erp.example.com/documents/\(number).pdf")
    }

    /// The catalogue's example site order, made to be `order`'s, in `language`, by `account` (nil: a guest).
    static func siteOrder(_ order: String = "WEB-1", language: String = "fr", account: String? = "acc_8f3k2m9q") throws -> SiteOrder {
        let data = FileManager.default.contents(atPath: repository.appendingPathComponent("topics/examples/shop.order.v1.json").path) ?? Data()
        var siteOrder = try codec.decode(SiteOrder.self, from: data)
        siteOrder.orderNumber = OrderNumber(order)
        siteOrder.language = LanguageCode(language) ?? siteOrder.language
        siteOrder.customer.siteAccountID = account.map { SiteAccountID($0) }
        return siteOrder
    }

    /// The catalogue's example site account, as `account`, in `language`.
    static func customer(_ account: String = "acc_8f3k2m9q", language: String) throws -> SiteCustomerAccount {
        let data = FileManager.default.contents(atPath: repository.appendingPathComponent("topics/examples/shop.customer-account.v1.json").path) ?? Data()
        var customer = try codec.decode(SiteCustomerAccount.self, from: data)
        customer.siteAccountID = SiteAccountID(account)
        customer.language = LanguageCode(language) ?? customer.language
        return customer
    }

    static func topic(of message: any BusMessage) -> String {
        switch message {
        case is ERPOrderStatus: Topics.erpOrderStatus
        case is ERPInvoice, is ERPCreditNote: Topics.erpInvoices
        case is SiteCustomerAccount: Topics.shopCustomers
        case is StoreCreditIssued, is GiftCardIssued, is LetteringEntry, is PaymentOffset, is RefundProposal: Topics.erpLettering
        case is OrderAcceptance: Topics.orderAcceptance
        default: Topics.shopOrders
        }
    }

    /// The record an outside system would publish for `message`.
    static func record<M: BusMessage>(_ message: M, key: String, id: String = UUID().uuidString) -> ProducerRecord {
        let envelope = Envelope(for: M.self, id: id, source: "test/producer", time: start)
        return ProducerRecord(topic: topic(of: message), key: key, value: codec.encode(message),
                              headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
    }
}

/// The flow with a state store and tables, called as the runtime calls it.
final class NotifierBench {
    let flow: StatusNotifier
    let store = StateStore<OrderProgress>()
    var tables = StaticTables()
    private(set) var outputs: [FlowOutput] = []
    private var count = 0

    /// A bench applying `rules`, its notifications waiting `siteOrderWait` minutes for the site
    /// order (none by default: the rule tables send no site order, they test what a
    /// notification says; when it may go is `SiteOrderWaitTests`').
    init(_ rules: StatusNotifierRules = .defaults, siteOrderWait: Int = 0) {
        var rules = rules
        rules.siteOrderWaitMinutes = siteOrderWait
        flow = StatusNotifier(rules: rules)
    }

    /// Hands `message` to the flow under `key` (default: WEB-1).
    @discardableResult
    func send<M: BusMessage>(_ message: M, key: String = "WEB-1", id: String? = nil) throws -> [FlowOutput] {
        count += 1
        let input = FlowInput(envelope: Envelope(for: M.self, id: id ?? "in-\(count)", source: "test/producer", time: Status.start),
                              message: message, key: key, topic: Status.topic(of: message))
        var state = FlowState(store: store)
        let produced = try flow.handle(input, state: &state, tables: tables)
        store.apply(state.changes)
        outputs += produced
        return produced
    }

    var tracking: [TrackingUpdate] { outputs.compactMap { $0.message as? TrackingUpdate } }
    var notifications: [CustomerNotification] { outputs.compactMap { $0.message as? CustomerNotification } }

    /// Each tracking update as "shipped", "in_preparation delay=stock_out expected=2024-05-20",
    /// "partially_shipped parcels=2".
    var trackingLines: [String] { tracking.map(Self.line) }

    static func line(_ update: TrackingUpdate) -> String {
        var words = [update.status.rawValue]
        if let delay = update.delay { words.append("delay=\(delay.rawValue)") }
        if !update.shipments.isEmpty { words.append("parcels=\(update.shipments.count)") }
        if let expected = update.expectedDeliveryOn { words.append("expected=\(expected)") }
        return words.joined(separator: " ")
    }
}

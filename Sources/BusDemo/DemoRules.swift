import ArticlePublisherFlow
import BusRuntime
import BusSchema
import CustomerSyncFlow
import Foundation
import OrderIngestFlow
import PaymentLettererFlow
import StatusNotifierFlow
import StockBroadcasterFlow

/// The flows' rules in the demo: each worker's defaults, except where a rules file
/// (`BUS_CONFIG`) in production would say otherwise to show a feature. Written as the JSON an
/// operator would put in that file, decoded the same way.
enum DemoRules {
    /// customer-sync: the phone is shared, so both sides may change it and a person decides
    /// when they do so at once.
    static let customerSyncFile = #"{"owners": {"phone": "shared"}}"#
    /// stock-broadcaster: the site shows quantities, so the day's final figures can be
    /// checked to the unit.
    static let stockBroadcasterFile = #"{"mode": "quantity"}"#
    /// status-notifier: carrier names customers read, and a transit time for expected dates;
    /// and the longest wait for a site order. The demo's day plays 12 hours in a minute, and
    /// the partition clock is the latest input time across its topics: a worker that restarts
    /// (the chaos run) reads the ERP's statuses of orders days ahead before a site order still
    /// behind, so a day's wait would run out in seconds of the demo's time for an order whose
    /// site order is on its way (the production default, a day of real time, has no such race).
    static let statusNotifierFile = #"{"carrier_names": {"colissimo": "Colissimo", "chronopost": "Chronopost", "mondialrelay": "Mondial Relay"}, "transit_days": {"colissimo": 2, "chronopost": 1, "mondialrelay": 3}, "site_order_wait_minutes": 43200}"#

    /// payment-letterer: the longest wait before an overpayment is raised, for the same race:
    /// a restarted worker (the chaos run) reads the ERP's invoices ahead of the site's refunds
    /// dated before them, and the partition clock runs hours of the demo's day in seconds, so
    /// the production default, an hour, would run out before the refund of a lowered order
    /// is read. The partial cancellations' real overpayments are then owed within the wait
    /// through the day (the money check says so), not raised.
    static let paymentLettererFile = #"{"overpayment_wait_minutes": 43200}"#

    static var orderIngest: OrderIngestRules { .defaults }

    /// Each worker's name and the topics it reads as streams.
    static let flows: [(name: String, inputs: [String])] = [
        (CustomerSyncFlow().name, CustomerSyncFlow().inputs), (ArticlePublisherFlow().name, ArticlePublisherFlow().inputs),
        (StockBroadcaster().name, StockBroadcaster().inputs), (OrderIngest().name, OrderIngest().inputs),
        (PaymentLetterer().name, PaymentLetterer().inputs), (StatusNotifier().name, StatusNotifier().inputs),
    ]

    static func customerSync() throws -> CustomerSyncRules {
        try JSONDecoder().decode(CustomerSyncRules.self, from: Data(customerSyncFile.utf8))
    }

    static func stockBroadcaster() throws -> StockBroadcasterRules {
        try JSONDecoder().decode(StockBroadcasterRules.self, from: Data(stockBroadcasterFile.utf8))
    }

    static func paymentLetterer() throws -> PaymentLettererRules {
        try JSONDecoder().decode(PaymentLettererRules.self, from: Data(paymentLettererFile.utf8))
    }

    static func statusNotifier() throws -> StatusNotifierRules {
        try JSONDecoder().decode(StatusNotifierRules.self, from: Data(statusNotifierFile.utf8))
    }

    /// The rule files that differ from the defaults, for the report's header.
    static var summary: [(worker: String, file: String)] {
        [("customer-sync", customerSyncFile), ("stock-broadcaster", stockBroadcasterFile), ("payment-letterer", paymentLettererFile),
         ("status-notifier", statusNotifierFile)]
    }
}

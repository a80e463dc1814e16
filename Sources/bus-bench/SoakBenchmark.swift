import BusRuntime
import BusSchema
import BusTestKit
import CHeapStats
import Foundation
import OrderIngestFlow
import PaymentLettererFlow
import StatusNotifierFlow

/// `bus-bench soak`: orders' whole lives through the three order flows (order-ingest,
/// payment-letterer, status-notifier), in process, on simulated time, with their retention
/// timers. Prints, per simulated day, each flow's state keys and the process RSS.
///
/// Each order: placed, paid by card a minute later (order-ingest's ERP sales order goes on to
/// the payment-letterer), validated ten minutes later, shipped and invoiced the next day,
/// delivered the day after. Orders are spread evenly over `days` days. Each flow runs as one
/// state partition (`FlowTimeline`: the worker's per-partition logic without Kafka, its
/// timers driven by input time), so days pass in seconds and nothing bounds the run but memory.
struct SoakBenchmark {
    let orders: Int
    let days: Int
    /// Days kept after an order is finished; 0: no retention.
    let retentionDays: Int

    /// The moments of an order's inputs after its placement, in seconds.
    private enum Step: Int, CaseIterable {
        case placed, paid, validated, shipped, delivered
        var offset: Int64 {
            switch self {
            case .placed: 0
            case .paid: 60
            case .validated: 600
            case .shipped: 86_400
            case .delivered: 2 * 86_400
            }
        }
    }

    func run() throws {
        let retention = Retention(days: retentionDays)
        var ingestRules = OrderIngestRules.defaults
        ingestRules.retention = retention
        var lettererRules = PaymentLettererRules.defaults
        lettererRules.retention = retention
        var notifierRules = StatusNotifierRules.defaults
        notifierRules.retention = retention
        var ingest = FlowTimeline(flow: OrderIngest(rules: ingestRules), recording: false)
        var letterer = FlowTimeline(flow: PaymentLetterer(rules: lettererRules), recording: false)
        var notifier = FlowTimeline(flow: StatusNotifier(rules: notifierRules), recording: false)
        let tables = OrderLives.tables
        let start = OrderLives.start
        let spacing = Double(days * 86_400) / Double(max(orders, 1))
        func placedAt(_ index: Int) -> Int64 { Int64(Double(index) * spacing) }

        say("Soak: \(orders) orders over \(days) simulated days, retention \(retention) (order-ingest, payment-letterer, status-notifier)")
        say("day  order-ingest  payment-letterer  status-notifier  total_keys  rss_mib  heap_mib  timers_fired  inputs")
        // One cursor per step: each walks the orders in placement order, so each stream is in
        // time order and merging them gives every input in time order.
        var cursors = Array(repeating: 0, count: Step.allCases.count)
        var inputs = 0
        var salesOrders = 0
        var day = 0
        let began = ContinuousClock.now
        /// order-ingest's ERP sales orders are payment-letterer inputs.
        func forward(_ outputs: [FlowOutput], index: Int, at time: Instant) throws {
            for case let salesOrder as ERPSalesOrder in outputs.compactMap(\.message) {
                salesOrders += 1
                let key = salesOrder.externalReference.rawValue
                try letterer.feed(OrderLives.input(salesOrder, topic: Topics.erpSalesOrders, key: key, name: "so-\(index)", at: time), tables: tables)
                inputs += 1
            }
        }
        while true {
            var next: (step: Step, at: Int64)?
            for step in Step.allCases where cursors[step.rawValue] < orders {
                let at = placedAt(cursors[step.rawValue]) + step.offset
                if next.map({ at < $0.at }) ?? true { next = (step, at) }
            }
            let moment = next.map { $0.at } ?? Int64(days + retentionDays + 3) * 86_400
            while moment >= Int64(day + 1) * 86_400 {
                day += 1
                // A quiet night: each partition's clock reaches the day's end (an idle tick).
                let endOfDay = start.adding(seconds: Int64(day) * 86_400)
                try ingest.advance(to: endOfDay, tables: tables)
                try letterer.advance(to: endOfDay, tables: tables)
                try notifier.advance(to: endOfDay, tables: tables)
                let keys = [ingest.store.count, letterer.store.count, notifier.store.count]
                let fired = ingest.timersFired + letterer.timersFired + notifier.timersFired
                say(String(format: "%3d  %12d  %16d  %15d  %10d  %7.1f  %8.1f  %12d  %d", day, keys[0], keys[1], keys[2], keys.reduce(0, +),
                             Double(residentKiB()) / 1024, Double(bus_heap_bytes_in_use()) / 1_048_576, fired, inputs))
            }
            guard let (step, at) = next else { break }
            let index = cursors[step.rawValue]
            cursors[step.rawValue] += 1
            let time = start.adding(seconds: at)
            let key = OrderLives.number(index).rawValue
            switch step {
            case .placed:
                let order = OrderLives.siteOrder(index, at: time)
                let outputs = try ingest.feed(OrderLives.input(order, topic: Topics.shopOrders, key: key, name: "o-\(index)", at: time), tables: tables)
                try forward(outputs, index: index, at: time)
                try notifier.feed(OrderLives.input(order, topic: Topics.shopOrders, key: key, name: "o-\(index)", at: time), tables: tables)
                inputs += 2
            case .paid:
                let payment = OrderLives.payment(index, at: time)
                let outputs = try ingest.feed(OrderLives.input(payment, topic: Topics.shopPayments, key: key, name: "p-\(index)", at: time), tables: tables)
                try letterer.feed(OrderLives.input(payment, topic: Topics.shopPayments, key: key, name: "p-\(index)", at: time), tables: tables)
                inputs += 2
                try forward(outputs, index: index, at: time)
            case .validated, .shipped, .delivered:
                let status: OrderStatus = step == .validated ? .validated : step == .shipped ? .shipped : .delivered
                let message = OrderLives.status(index, status, sequence: step.rawValue - 1, at: time)
                let name = "s-\(index)-\(step.rawValue)"
                try ingest.feed(OrderLives.input(message, topic: Topics.erpOrderStatus, key: key, name: name, at: time), tables: tables)
                try notifier.feed(OrderLives.input(message, topic: Topics.erpOrderStatus, key: key, name: name, at: time), tables: tables)
                inputs += 2
                if step == .shipped {
                    let invoice = OrderLives.invoice(index, account: ingestRules.guestAccount, at: time)
                    try letterer.feed(OrderLives.input(invoice, topic: Topics.erpInvoices, key: key, name: "i-\(index)", at: time), tables: tables)
                    try notifier.feed(OrderLives.input(invoice, topic: Topics.erpInvoices, key: key, name: "i-\(index)", at: time), tables: tables)
                    inputs += 2
                }
            }
        }
        let seconds = Double((ContinuousClock.now - began).components.seconds)
        say("sales orders sent: \(salesOrders) of \(orders); inputs: \(inputs) in \(Int(seconds)) s")
    }
}

/// The process's resident memory in KiB, from /proc/self/statm (-1 when unreadable).
func residentKiB() -> Int {
    // /proc/self/statm: size resident shared … in pages.
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return -1 }
    let fields = statm.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return -1 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
}

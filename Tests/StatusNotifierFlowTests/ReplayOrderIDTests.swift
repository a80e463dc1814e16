import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import StatusNotifierFlow
import Testing

/// A crashed worker's successor replays the uncommitted inputs of different topics sharing a
/// partition number in whatever order its fetches bring them: here an order's "shipped" status
/// and its invoice, which come at the same moment, met in the other order.
@Suite("status-notifier: replay across topics in another order")
struct ReplayOrderIDTests {
    static let topics: Set<String> = [Topics.shopOrders, Topics.erpOrderStatus, Topics.erpInvoices]

    /// Order 0's life, its invoice swapped with the status just before it when `swapped`.
    static func life(swapped: Bool) throws -> [FlowInput] {
        var inputs = OrderLives.life(0, placedAt: OrderLives.start, topics: topics)
        let invoice = try #require(inputs.firstIndex { $0.topic == Topics.erpInvoices })
        if swapped { inputs.swapAt(invoice, invoice - 1) }
        return inputs
    }

    static func outputs(swapped: Bool) throws -> [FlowTimeline<StatusNotifier>.Written] {
        var timeline = FlowTimeline(flow: StatusNotifier())
        for input in try life(swapped: swapped) { try timeline.feed(input, tables: StaticTables([:])) }
        return timeline.outputs
    }

    @Test("the two orders: no id carried by two contents; the page ends the same; the same notifications")
    func oneIDOneContent() throws {
        let straight = try Self.outputs(swapped: false)
        let swapped = try Self.outputs(swapped: true)
        let tracking = { (outputs: [FlowTimeline<StatusNotifier>.Written]) in outputs.filter { $0.topic == Topics.shopOrderTracking } }
        #expect(Set(tracking(straight).map(\.value)) != Set(tracking(swapped).map(\.value)), "the order changes what the updates say")

        var contents: [String: Set<Data?>] = [:]
        for output in straight + swapped {
            contents[try #require(output.id), default: []].insert(output.value)
        }
        #expect(contents.filter { $0.value.count > 1 }.keys.sorted() == [], "one id, one content")
        #expect(tracking(straight).last?.value == tracking(swapped).last?.value, "the page's last value is the same state")
        let notifications = { (outputs: [FlowTimeline<StatusNotifier>.Written]) in
            Set(outputs.filter { $0.topic == Topics.shopNotifications }.map(\.id))
        }
        #expect(!notifications(straight).isEmpty)
        #expect(notifications(straight) == notifications(swapped), "a notification keeps its id whatever the order")
    }
}

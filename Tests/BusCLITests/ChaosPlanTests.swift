@testable import BusDemo
import BusSchema
import Foundation
import Testing

/// The chaos run's schedule, a value drawn from the seed: what the issue asks of a run holds
/// for every seed tried, before any process is started.
@Suite("chaos plan")
struct ChaosPlanTests {
    static let workers = ["customer-sync", "article-publisher", "stock-broadcaster", "order-ingest", "payment-letterer", "status-notifier"]

    @Test("at least 10 kills, each worker once during a 10 s outage (its latest time inside it) and the rest after it, each restarted; a second replica of two workers added then removed; all within the day",
          arguments: [UInt64(20_250_612), 1, 2, 3, 42, 999])
    func planHoldsTheRules(seed: UInt64) {
        let day = Duration.seconds(60)
        let plan = ChaosPlan(workers: Self.workers, kills: 10, day: day, brokers: 3, seed: seed)
        var kills: [String: Int] = [:], restarts: [String: Int] = [:], windowKills: [String: Int] = [:]
        var down: Duration?, up: Duration?
        var added: [String] = [], removed: [String] = []
        var killTimes: [Duration] = [], windows: [ClosedRange<Duration>] = []
        for action in plan.actions {
            #expect(action.at <= day, "\(action) after the day")
            switch action.kind {
            case .kill(let worker, _): kills[worker, default: 0] += 1; killTimes.append(action.at)
            case .killWhileOutputsWait(let worker, _, let by): windowKills[worker, default: 0] += 1; windows.append(action.at...by)
            case .restart(let worker): restarts[worker, default: 0] += 1
            case .brokerDown(let broker): down = action.at; #expect(broker == plan.downBroker)
            case .brokerUp: up = action.at
            case .addReplica(let worker): added.append(worker)
            case .removeReplica(let worker): removed.append(worker)
            }
        }
        #expect(plan.kills >= 10)
        #expect((1...3).contains(plan.downBroker))
        #expect(windowKills == Dictionary(uniqueKeysWithValues: Self.workers.map { ($0, 1) }), "every worker once in the outage")
        #expect(kills == restarts, "every random kill restarted (a window kill's restart follows its kill)")
        #expect(kills.values.reduce(0, +) + windowKills.values.reduce(0, +) == plan.kills)
        let outage = try? #require(down.flatMap { start in up.map { start..<$0 } })
        #expect(outage.map { $0.upperBound - $0.lowerBound } == .seconds(10))
        for window in windows {
            #expect(outage?.contains(window.lowerBound) == true && outage?.contains(window.upperBound) == true, "window \(window) outside the outage \(String(describing: outage))")
        }
        // Random kills come after the outage: a worker killed before it could still be
        // restoring its state there and miss its window.
        for time in killTimes {
            #expect(outage.map { time >= $0.upperBound + .seconds(2) } == true && time <= day * 85 / 100, "random kill at \(time) not after the outage")
        }
        // Never a worker killed again while it may still be down from its previous kill.
        var downUntil: [String: Duration] = [:]
        for action in plan.actions {
            if case .kill(let worker, let down) = action.kind {
                #expect(action.at > downUntil[worker, default: .zero], "\(worker) killed at \(action.at) while still down")
                downUntil[worker] = action.at + down
            }
        }
        #expect(added.count == 2 && Set(added) == Set(removed) && Set(added).count == 2)
        #expect(plan == ChaosPlan(workers: Self.workers, kills: 10, day: day, brokers: 3, seed: seed), "same seed, same plan")
    }

    /// With leaders spread, whichever broker goes down, every worker has input partitions it
    /// can still read whose outputs (or changelog) wait for that broker: the outage kills can
    /// always meet the window. Inputs on the down broker, or whose outputs are all led by
    /// brokers that are up, do not open it.
    @Test("leaders spread: every worker has inputs whose outputs wait, for every broker down", arguments: [Int32(1), 2, 3])
    func everyWorkerHasAWindow(down: Int32) throws {
        let catalogue = try TopicCatalogue.load(from: Data(contentsOf: DemoOptions().catalogue))
        let layout = LeaderLayout.spread(catalogue, brokers: 3)
        let window = OutputWindow(catalogue: catalogue, flows: DemoRules.flows, layout: layout, downBroker: down)
        for flow in DemoRules.flows {
            let opening = flow.inputs.flatMap { topic in
                (0..<Int32(layout.leaders[topic]?.count ?? 0)).filter { window.holdsOutputs(of: flow.name, topic: topic, partition: $0) }.map { "\(topic)[\($0)]" }
            }
            #expect(!opening.isEmpty, "\(flow.name): no input partition whose outputs wait for broker \(down)")
            for topic in flow.inputs {
                for partition in 0..<Int32(layout.leaders[topic]?.count ?? 0) where layout.leader(of: topic, partition: partition) == down {
                    #expect(!window.holdsOutputs(of: flow.name, topic: topic, partition: partition), "\(topic)[\(partition)] is on the down broker: unreadable")
                }
            }
        }
        // order-ingest's orders on a partition of shop.orders led by an up broker, whose
        // erp.sales-orders partition (the next topic: leader one further) is on the down one.
        let orders = try #require(catalogue.topics.firstIndex { $0.name == "shop.orders" })
        let partition = Int32((0..<6).first { ($0 + orders + 1) % 3 + 1 == Int(down) } ?? -1)
        #expect(window.holdsOutputs(of: "order-ingest", topic: "shop.orders", partition: partition))
        #expect(!window.holdsOutputs(of: "article-publisher", topic: "shop.orders", partition: partition), "not an input of article-publisher")
    }

    @Test("a run id fits every identifier it is appended to; bad ones are refused", arguments: ["A", "ZZZZZZZZ", "R2D2"])
    func runTags(id: String) throws {
        let run = try #require(RunTag(id))
        let day = try BusinessDay(seed: 7, orderCount: 30, run: run)
        #expect(day.catalogue.items.allSatisfy { $0.sku.rawValue.count <= 40 && $0.sku.rawValue.hasSuffix("-\(id)") || $0.sku.rawValue.contains("-\(id)-") })
        #expect(day.customers.erpAccounts.allSatisfy { $0.accountCode.rawValue.count <= 20 && $0.accountCode.rawValue.hasSuffix("-\(id)") })
        #expect(day.orders.allSatisfy { $0.number.rawValue.count <= 32 && $0.number.rawValue.hasSuffix("-\(id)") })
        #expect(RunTag("lower") == nil && RunTag("") == nil && RunTag("NINECHARS") == nil && RunTag("A-B") == nil)
    }
}

@testable import BusDemo
import Testing

/// The chaos run's schedule, a value drawn from the seed: what the issue asks of a run holds
/// for every seed tried, before any process is started.
@Suite("chaos plan")
struct ChaosPlanTests {
    static let workers = ["customer-sync", "article-publisher", "stock-broadcaster", "order-ingest", "payment-letterer", "status-notifier"]

    @Test("at least 10 kills, each worker at least once and each restarted; 3 kills during a 10 s outage; a second replica of two workers added then removed; all within the day",
          arguments: [UInt64(20_250_612), 1, 2, 3, 42, 999])
    func planHoldsTheRules(seed: UInt64) {
        let day = Duration.seconds(60)
        let plan = ChaosPlan(workers: Self.workers, kills: 10, day: day, brokers: 3, seed: seed)
        var kills: [String: Int] = [:], restarts: [String: Int] = [:]
        var down: Duration?, up: Duration?
        var added: [String] = [], removed: [String] = []
        var killTimes: [Duration] = []
        for action in plan.actions {
            #expect(action.at <= day, "\(action) after the day")
            switch action.kind {
            case .kill(let worker, _): kills[worker, default: 0] += 1; killTimes.append(action.at)
            case .restart(let worker): restarts[worker, default: 0] += 1
            case .brokerDown(let broker): down = action.at; #expect((1...3).contains(broker))
            case .brokerUp: up = action.at
            case .addReplica(let worker): added.append(worker)
            case .removeReplica(let worker): removed.append(worker)
            }
        }
        #expect(plan.kills >= 10)
        #expect(Set(kills.keys) == Set(Self.workers))
        #expect(kills == restarts)
        let outage = try? #require(down.flatMap { start in up.map { start..<$0 } })
        #expect(outage.map { $0.upperBound - $0.lowerBound } == .seconds(10))
        #expect(killTimes.filter { outage?.contains($0) == true }.count >= 3)
        #expect(added.count == 2 && Set(added) == Set(removed) && Set(added).count == 2)
        #expect(plan == ChaosPlan(workers: Self.workers, kills: 10, day: day, brokers: 3, seed: seed), "same seed, same plan")
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

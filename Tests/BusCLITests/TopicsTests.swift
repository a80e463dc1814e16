import BusKafka
import Foundation
import Testing

/// `bus topics list|apply` on the embedded cluster, which has no admin API.
@Suite("bus topics")
struct TopicsTests {
    @Test("apply is idempotent: on a cluster with the catalogue, nothing to do, twice")
    func applyIdempotent() throws {
        let cluster = try Clusters.withCatalogue()
        let count = try Clusters.catalogue().topics.count
        for _ in 0..<2 {
            let result = try Bus.run(["topics", "apply", "--timeout", "2"], brokers: cluster.bootstrapServers)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("nothing to do: all \(count) catalogue topics exist"), "\(result)")
            #expect(!result.stdout.contains("created"), "\(result)")
            // What could not be checked is said, not hidden: the mock answers no DescribeConfigs.
            #expect(result.stderr.contains("were not checked"), "\(result)")
        }
    }

    @Test("apply reports a topic it cannot create and partition drift, within its timeout, exit 1")
    func applyReportsMissingAndDrift() throws {
        let cluster = try Clusters.withCatalogue(leaving: ["erp.receipts"], partitions: ["erp.stock": 4])
        let started = ContinuousClock.now
        let result = try Bus.run(["topics", "apply", "--timeout", "2"], brokers: cluster.bootstrapServers)
        #expect(ContinuousClock.now - started < .seconds(15), "bounded by --timeout")
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.contains("missing  erp.receipts  not created"), "\(result)")
        #expect(result.stdout.contains("has no admin API"), "\(result)")
        #expect(result.stdout.contains("drift    erp.stock  4 partitions, the catalogue says 6"), "\(result)")
    }

    @Test("list shows each catalogue topic's settings and state on the cluster")
    func list() throws {
        let cluster = try Clusters.withCatalogue(leaving: ["erp.receipts"], partitions: ["erp.stock": 4])
        try cluster.createTopic("legacy.orders", partitions: 1)
        let result = try Bus.run(["topics", "list"], brokers: cluster.bootstrapServers)
        #expect(result.status == 0, "\(result)")
        let rows = result.lines.map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.contains(["shop.orders", "6", "3", "delete", "90d", "ok"]) || rows.contains { $0.first == "shop.orders" && $0.last == "ok" }, "\(result)")
        #expect(rows.contains { $0.first == "erp.receipts" && $0.last == "missing" }, "\(result)")
        #expect(rows.contains { $0.first == "erp.stock" && $0.suffix(2) == ["4", "partitions"] }, "\(result)")
        #expect(result.stdout.contains("\(try Clusters.catalogue().topics.count) catalogue topics, 1 missing on the cluster"), "\(result)")
        #expect(result.stdout.contains("not in the catalogue: legacy.orders"), "\(result)")
    }
}

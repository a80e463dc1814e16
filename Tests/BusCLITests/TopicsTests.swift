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

    @Test("apply caps the catalogue's replication at the brokers the cluster has, and says so; --replication overrides")
    func replicationCapped() throws {
        let cluster = try EmbeddedCluster(brokers: 1)
        try cluster.createTopic("keeps.the.cluster.awake", partitions: 1)
        let total = try Clusters.catalogue().topics.count
        let capped = try Bus.run(["topics", "apply", "--timeout", "1"], brokers: cluster.bootstrapServers)
        #expect(capped.stdout.contains("note: the cluster has 1 broker; replication capped at 1 for \(total) of the topics (the catalogue asks 3)"), "\(capped)")
        let explicit = try Bus.run(["topics", "apply", "--timeout", "1", "--replication", "1"], brokers: cluster.bootstrapServers)
        #expect(!explicit.stdout.contains("capped"), "\(explicit)")

        let three = try EmbeddedCluster(brokers: 3)
        try three.createTopic("keeps.the.cluster.awake", partitions: 1)
        let enough = try Bus.run(["topics", "apply", "--timeout", "1"], brokers: three.bootstrapServers)
        #expect(!enough.stdout.contains("capped"), "three brokers hold replication 3: \(enough)")
    }
}

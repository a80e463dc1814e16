import BusKafka
import BusSchema
import Foundation
import Testing

/// `bus exceptions list` and `bus resync`.
@Suite("bus exceptions and resync")
struct ExceptionsResyncTests {
    @Test("exceptions are listed, and filtered by kind")
    func exceptions() throws {
        let cluster = try Clusters.withCatalogue()
        let brokers = cluster.bootstrapServers
        let overpayment = try Clusters.example("bus.business-exception.v1.json") { exception in
            exception["kind"] = "overpayment"
            exception["exception_id"] = "exc-WEB-100236-overpayment"
            exception["worker"] = "payment-letterer"
            exception["reason"] = "The customer paid more than invoiced."
            exception["details"] = ["paid": "60.00 EUR", "invoiced": "50.50 EUR"]
            exception["entity"] = ["kind": "payment", "key": "WEB-100236"]
        }
        for (path, key) in [(try Clusters.example("bus.business-exception.v1.json"), "WEB-100235"), (overpayment, "WEB-100236")] {
            let result = try Bus.run(["publish", "bus.exceptions", path, "--key", key], brokers: brokers)
            try #require(result.status == 0, "\(result)")
        }
        let all = try Bus.run(["exceptions", "list"], brokers: brokers)
        #expect(all.status == 0, "\(all)")
        #expect(all.stdout.contains("2 exceptions of 2 records in bus.exceptions"), "\(all)")
        #expect(all.stdout.contains("unknown_sku") && all.stdout.contains("overpayment"), "\(all)")
        #expect(all.stdout.contains("sku=POSTER-A2-OLD"), "\(all)")

        let filtered = try Bus.run(["exceptions", "list", "--kind", "overpayment"], brokers: brokers)
        #expect(filtered.status == 0, "\(filtered)")
        let rows = filtered.lines.filter { $0.hasPrefix("20") }
        #expect(rows.count == 1, "\(filtered)")
        #expect(rows.first?.contains("payment-letterer  payment WEB-100236") == true, "\(filtered)")
    }

    @Test("resync publishes a valid bus.resync-request on bus.control keyed by the worker")
    func resync() throws {
        let cluster = try Clusters.withCatalogue()
        let result = try Bus.run(["resync", "stock-broadcaster", "--keys", "TSHIRT-BLU-M, TSHIRT-BLU-S", "--by", "ops-oncall"],
                                 brokers: cluster.bootstrapServers)
        #expect(result.status == 0, "\(result)")
        let record = try #require(try Clusters.readAll(cluster, Topics.control).first)
        #expect(record.keyString == "stock-broadcaster")
        let headers = record.headers.compactMap { header in header.stringValue.map { (key: header.key, value: $0) } }
        let envelope = try Envelope(headers: headers)
        let value = try #require(record.value)
        let request = try #require(try MessageRegistry.standard.decode(envelope, payload: value) as? ResyncRequest)
        #expect(request.worker == .stockBroadcaster)
        #expect(request.scope == .keys)
        #expect(request.keys == ["TSHIRT-BLU-M", "TSHIRT-BLU-S"])
        #expect(request.requestedBy == "ops-oncall")
        #expect(result.stdout.contains(request.requestID.rawValue), "\(result)")

        let everything = try Bus.run(["resync", "customer-sync"], brokers: cluster.bootstrapServers)
        #expect(everything.status == 0, "\(everything)")
        #expect(everything.stdout.contains("resync of customer-sync (everything) requested"), "\(everything)")
    }
}

import Foundation
import Testing

/// The hostile-input corpus (`scripts/hostile/corpus.py`, one entry per kind) against the six
/// worker executables running as processes on a `bus dev` cluster, published by outside clients
/// (confluent-kafka and kcat) and checked by them: each kind dead-lettered with its exact reason
/// or held as a business exception, counted in `/metrics`, the processes alive, the good records
/// around every kind processed in order; then the personal-data and secrets scan over every log
/// line and every record the bus wrote.
@Suite("Hostile input corpus")
struct HostileCorpusTests {
    @Test("every kind of hostile record on every input topic of the live workers: dead-lettered with its reason, counted, the workers alive, the good records around it processed in order, no personal data or secret where none may be")
    func corpusAgainstLiveWorkers() throws {
        try #require(Repository.hasPython, "run scripts/setup.sh first")
        for executable in ["bus", "customer-sync", "article-publisher", "stock-broadcaster", "order-ingest", "payment-letterer", "status-notifier"] {
            try #require(FileManager.default.isExecutableFile(atPath: Repository.binaries.appendingPathComponent(executable).path),
                         "build the executables first (swift build)")
        }
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: report) }
        let run = try Repository.python(["scripts/hostile/run.py", "--bin", Repository.binaries.path, "--report", report.path], timeout: 300)
        print(run.output)
        let data = try Data(contentsOf: report)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(results.count >= 60, "at least 60 kinds")
        for result in results {
            let problems = result["problems"] as? [String] ?? []
            #expect(result["ok"] as? Bool == true, "\(result["kind"] ?? "?") on \(result["topic"] ?? "?"): \(problems.joined(separator: "; "))")
        }
        let topics = Set(results.compactMap { $0["topic"] as? String })
        #expect(topics.isSuperset(of: ["erp.customers", "shop.customers", "erp.articles", "erp.stock", "shop.orders",
                                       "erp.order-status", "shop.payments", "erp.invoices", "erp.sales-orders"]),
                "every input topic a worker reads as a stream")
        #expect(Set(results.compactMap { $0["client"] as? String }) == ["python", "kcat"], "both outside clients")
        let goods = try #require(json["goods"] as? [String: Any])
        #expect((goods["count"] as? Int ?? 0) >= 2 * results.count, "a good record before and after each kind")
        #expect(goods["out_of_order"] as? Int == 0)
        let pii = try #require(json["pii"] as? [String: Any])
        #expect((pii["log_lines"] as? Int ?? 0) > 0 && (pii["records"] as? Int ?? 0) > 0, "the scan read logs and records")
        #expect((pii["findings"] as? [Any])?.isEmpty == true, "no personal data or secret where none may be: \(pii["findings"] ?? "")")
        let problems = json["problems"] as? [String] ?? []
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(run.status == 0)
    }
}

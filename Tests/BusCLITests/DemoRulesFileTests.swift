@testable import BusDemo
import Foundation
import Testing

/// deploy/demo-rules/ holds the rules the demo reconciles against (`DemoRules`), as the files
/// compose.demo.yaml mounts into the workers for `bus demo --workers none`: the same content,
/// a file for each worker whose demo rules differ from the defaults, and no other.
@Suite("deploy/demo-rules")
struct DemoRulesFileTests {
    static let directory = Bus.repository.appendingPathComponent("deploy/demo-rules")

    static func json(_ data: Data) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary, "not a JSON object")
    }

    @Test("each file equals the demo's rules of its worker, and there is one per worker the demo configures")
    func filesEqualDemoRules() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".json") }
        #expect(Set(names) == Set(DemoRules.summary.map { "\($0.worker).json" }), "\(names)")
        for (worker, text) in DemoRules.summary {
            let file = try Data(contentsOf: Self.directory.appendingPathComponent("\(worker).json"))
            #expect(try Self.json(file) == Self.json(Data(text.utf8)), "deploy/demo-rules/\(worker).json differs from DemoRules")
        }
    }
}

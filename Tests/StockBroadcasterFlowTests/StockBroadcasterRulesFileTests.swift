import BusRuntime
import BusSchema
import Foundation
import StockBroadcasterFlow
import Testing

extension StockBroadcasterRules: FlowRules {}

/// The rules file: documented defaults, a file lists only what it changes.
@Suite("stock-broadcaster: rules file")
struct StockBroadcasterRulesFileTests {
    static func decode(_ json: String) throws -> StockBroadcasterRules {
        try RulesFile.decode(StockBroadcasterRules.self, from: Data(json.utf8), path: "stock.json")
    }

    @Test("an empty file gives the documented defaults")
    func defaults() throws {
        let rules = try Self.decode("{}")
        #expect(rules == .defaults)
        #expect(rules.warehouses.isEmpty)
        #expect(rules.mode == .status)
        #expect(rules.limitedThreshold == Quantity(5))
        #expect(rules.safetyStock == .zero)
    }

    @Test("the defaults documented in the README's stock-broadcaster section are the code's")
    func documentedDefaults() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let page = try #require(readme.components(separatedBy: "### stock-broadcaster (").dropFirst().first)
        let block = try #require(page.components(separatedBy: "```json\n").dropFirst().first?.components(separatedBy: "```").first)
        #expect(try Self.decode(block) == StockBroadcasterRules.defaults)
    }

    @Test("a file lists only what it changes")
    func partial() throws {
        let rules = try Self.decode(#"{"mode": "quantity", "safety_stock": "2", "warehouses": ["PAR", "LYO"]}"#)
        #expect(rules.mode == .quantity)
        #expect(rules.safetyStock == Quantity(2))
        #expect(rules.warehouses == ["PAR", "LYO"])
        #expect(rules.limitedThreshold == Quantity(5))
    }

    struct BadFile: Sendable, CustomTestStringConvertible {
        let json: String
        let field: String
        var testDescription: String { json }
    }

    @Test("a wrong value names its field and never falls back to the default", arguments: [
        BadFile(json: #"{"mode": "percent"}"#, field: "mode"),
        BadFile(json: #"{"mode": null}"#, field: "mode"),
        BadFile(json: #"{"limited_threshold": "-1"}"#, field: "limited_threshold"),
        BadFile(json: #"{"safety_stock": 3}"#, field: "safety_stock"),
    ])
    func invalid(_ row: BadFile) {
        #expect {
            _ = try Self.decode(row.json)
        } throws: { error in
            (error as? RuntimeError)?.context["field"] == row.field
        }
    }
}

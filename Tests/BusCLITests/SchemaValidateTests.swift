import BusKafka
import BusSchema
import Foundation
import Testing

/// `bus schema validate` reads standard input and is exactly as strict as `bus publish`:
/// for each input, both accept it or both refuse it with the same problems.
@Suite("bus schema validate")
struct SchemaValidateTests {
    static let order = (try? Data(contentsOf: Bus.examples.appendingPathComponent("shop.order.v1.json"))) ?? Data()

    /// A structured CloudEvent as the CloudEvents SDK writes it (no dataschema), with `attributes` added.
    static func structured(_ attributes: String) -> Data {
        Data(#"{"specversion":"1.0","id":"e-1","source":"site/checkout","type":"shop.order",\#(attributes)"data":\#(String(decoding: order, as: UTF8.self))}"#.utf8)
    }

    static func withMember(_ name: String) -> Data {
        var text = String(decoding: order, as: UTF8.self)
        text.insert(contentsOf: "\"\(name)\": \"blue\", ", at: text.index(after: text.startIndex))
        return Data(text.utf8)
    }

    @Test("validate and publish agree", arguments: [
        ("plain example", order, true, nil),
        ("undeclared member", withMember("colour"), false, "$.colour: unknown field"),
        ("SDK structured event, offset time, null attribute", structured(#""time":"2026-12-01T08:20:18+01:00","subject":null,"#), true, nil),
        ("partitionkey not the record key", structured(#""time":"2026-12-01T08:20:18Z","partitionkey":"WEB-9","#), false, "ce_partitionkey"),
        ("time not RFC 3339", structured(#""time":"yesterday","#), false, "$.time: invalid format"),
        ("schema-registry framing", Data([0, 0, 0, 0, 7]) + order, false, "schema-registry frame"),
    ] as [(String, Data, Bool, String?)])
    func validateIsAsStrictAsPublish(_ name: String, _ input: Data, _ valid: Bool, _ problem: String?) throws {
        let validated = try Bus.run(["schema", "validate", "--type", "shop.order", "--key", "WEB-100234"], input: input)
        let cluster = try Clusters.withCatalogue()
        let published = try Bus.run(["publish", "shop.orders", "-", "--key", "WEB-100234", "--type", "shop.order"],
                                    brokers: cluster.bootstrapServers, input: input)
        #expect(validated.status == (valid ? 0 : 1), "\(name): \(validated)")
        #expect(published.status == validated.status, "\(name): \(published)")
        if let problem {
            #expect(validated.stderr.contains(problem), "\(name): \(validated)")
            #expect(published.stderr.contains(problem), "\(name): \(published)")
        }
        // The same lines, but for publish's "not published:" and each command's own name.
        let lines = { (result: Bus.Result) in
            ["not published: ", "bus publish: ", "bus schema: "].reduce(result.stderr) { $0.replacingOccurrences(of: $1, with: "") }
        }
        #expect(lines(validated) == lines(published), "\(name)")
        #expect(try Clusters.readAll(cluster, "shop.orders").count == (valid ? 1 : 0))
    }

    @Test("a file named <type>.v<N>.json validates without --type; no argument reads standard input")
    func fileAndStandardInput() throws {
        let file = try Bus.run(["schema", "validate", Bus.examples.appendingPathComponent("erp.stock-level.v1.json").path])
        #expect(file.status == 0 && file.stdout.contains("valid erp.stock-level v1"), "\(file)")
        let standardInput = try Bus.run(["schema", "validate", "--type", "erp.stock-level"],
                                        input: try Data(contentsOf: Bus.examples.appendingPathComponent("erp.stock-level.v1.json")))
        #expect(standardInput.status == 0 && standardInput.stdout.contains("standard input: valid erp.stock-level v1"), "\(standardInput)")
        let unknownVersion = try Bus.run(["schema", "validate", "--type", "erp.stock-level", "--version", "9", "-"],
                                         input: try Data(contentsOf: Bus.examples.appendingPathComponent("erp.stock-level.v1.json")))
        #expect(unknownVersion.status == 1 && unknownVersion.stderr.contains("no schema version 9"), "\(unknownVersion)")
    }
}

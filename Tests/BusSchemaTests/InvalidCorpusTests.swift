import Foundation
import Testing
@testable import BusSchema

/// Each file under Invalid/ is a message that must fail with exactly the problems it lists.
@Suite struct InvalidCorpusTests {
    struct Expectation: Decodable, Equatable, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "\(path): \(reason)" }
    }

    static let files = TestFiles.names(in: TestFiles.invalid)

    /// The decoding error, or nil when the bytes decode.
    static func failure(_ type: String, _ version: Int, _ bytes: Data) -> SchemaError? {
        let result: Result<any BusMessage, SchemaError> = Result { () throws(SchemaError) -> any BusMessage in
            try MessageRegistry.standard.decode(messageType: type, version: version, from: bytes)
        }
        if case let .failure(error) = result { return error }
        return nil
    }

    @Test func corpusHasAtLeastFortyMessages() {
        #expect(Self.files.count >= 40)
    }

    @Test(arguments: files)
    func failsWithExactlyTheExpectedProblems(_ name: String) throws {
        let document = try JSONParser().parse(TestFiles.read(TestFiles.invalid.appendingPathComponent(name)))
        let type = try #require(document["message_type"]?.stringValue)
        let version = try #require(document["version"].flatMap { if case let .number(n) = $0 { Int(n) } else { nil } })
        let bytes: Data
        if let raw = document["raw"]?.stringValue {
            bytes = Data(raw.utf8)
        } else if let encoded = document["raw_base64"]?.stringValue {
            bytes = try #require(Data(base64Encoded: encoded))
        } else {
            bytes = JSONWriter.compact(try #require(document["message"]))
        }
        let expectations = try JSONDecoder().decode([Expectation].self, from: JSONWriter.compact(try #require(document["expect"])))
        guard let error = Self.failure(type, version, bytes) else {
            Issue.record("\(name) decoded but should fail with \(expectations)")
            return
        }
        do {
            let found = error.problems.map { Expectation(path: $0.path, reason: $0.reason.code) }
            #expect(found == expectations, "\(name): \(error.problems)")
            #expect(error.field == expectations.first?.path)
            if expectations.contains(where: { $0.reason == "forbidden_content" }) { #expect(error.code == .forbiddenContent) }
        }
    }
}

import BusSchema
import Foundation
import Testing

/// HMAC-SHA256, which makes credit codes unguessable: RFC 4231's test vectors, and Python's
/// `hmac` module (another implementation, in another process) over messages and keys of every
/// length around SHA-256's 64-byte block and its 56-byte padding limit.
@Suite("HMAC-SHA256")
struct HMACSHA256Tests {
    static func bytes(_ hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return result
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// RFC 4231 section 4: key, data, HMAC-SHA256 (test case 5 is truncated to 128 bits).
    static let vectors: [(name: String, key: [UInt8], data: [UInt8], mac: String)] = [
        ("4.2", [UInt8](repeating: 0x0B, count: 20), Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        ("4.3", Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ("4.4", [UInt8](repeating: 0xAA, count: 20), [UInt8](repeating: 0xDD, count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        ("4.5", Array(1...25), [UInt8](repeating: 0xCD, count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        ("4.6", [UInt8](repeating: 0x0C, count: 20), Array("Test With Truncation".utf8),
         "a3b6167473100ee06e0c796c2955552b"),
        ("4.7", [UInt8](repeating: 0xAA, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ("4.8", [UInt8](repeating: 0xAA, count: 131),
         Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test("RFC 4231 test cases 1 to 7", arguments: 0..<7)
    func rfc4231(_ index: Int) {
        let vector = Self.vectors[index]
        let mac = Self.hex(HMACSHA256.authenticate(vector.data, key: vector.key))
        #expect(mac.hasPrefix(vector.mac), "RFC 4231 \(vector.name)")
        #expect(mac.count == 64)
    }

    static let python = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".venv-test/bin/python3")

    @Test("the same codes as Python's hmac module for 400 keys and messages of 0 to 200 bytes",
          .enabled(if: FileManager.default.isExecutableFile(atPath: HMACSHA256Tests.python.path), "run scripts/setup.sh for .venv-test"))
    func sameAsPython() throws {
        var rng = SystemRandomNumberGenerator()
        var cases: [(key: [UInt8], data: [UInt8])] = []
        for index in 0..<400 {
            // Every length around the block (64) and the padding limit (55, 56) comes up.
            let dataLength = index < 201 ? index : Int.random(in: 0...200, using: &rng)
            let keyLength = Int.random(in: 0...150, using: &rng)
            cases.append(((0..<keyLength).map { _ in UInt8.random(in: 0...255, using: &rng) },
                          (0..<dataLength).map { _ in UInt8.random(in: 0...255, using: &rng) }))
        }
        let script = """
        import hashlib, hmac, sys
        for line in sys.stdin:
            key, _, data = line.rstrip("\\n").partition(" ")
            print(hmac.new(bytes.fromhex(key), bytes.fromhex(data), hashlib.sha256).hexdigest())
        """
        let process = Process()
        process.executableURL = Self.python
        process.arguments = ["-c", script]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let lines = cases.map { "\(Self.hex($0.key)) \(Self.hex($0.data))\n" }.joined()
        input.fileHandleForWriting.write(Data(lines.utf8))
        try input.fileHandleForWriting.close()
        let answer = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let theirs = String(decoding: answer, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(process.terminationStatus == 0)
        #expect(theirs.count == cases.count)
        for (index, pair) in zip(cases, theirs).enumerated() {
            #expect(Self.hex(HMACSHA256.authenticate(pair.0.data, key: pair.0.key)) == pair.1,
                    "case \(index): key \(pair.0.key.count) bytes, message \(pair.0.data.count) bytes")
        }
    }
}

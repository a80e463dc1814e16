import BusSchema
import Foundation

/// The codec's cost per message type, over each type's example in `topics/examples/`: decode +
/// validate, then encode, `rounds` times each, in µs per message. Run under callgrind with
/// `--only TYPE` to count one type's instructions per decode and per encode.
struct ExampleCodecProfile {
    let rounds: Int
    /// Message types to profile (`shop.order`); every registered type when empty.
    let only: Set<String>

    func run() throws {
        let registry = MessageRegistry.standard
        let codec = MessageCodec()
        let directory = URL(fileURLWithPath: "topics/examples")
        for type in registry.all {
            let reference = type.schemaReference
            guard only.isEmpty || only.contains(reference.messageType) else { continue }
            let bytes = try Data(contentsOf: directory.appendingPathComponent(reference.fileName))
            var message: (any BusMessage)?
            let decode = try KafkaBenchmark.measure {
                for _ in 0..<rounds {
                    message = try registry.decode(messageType: reference.messageType, version: reference.version, from: bytes, codec: codec)
                }
            }
            guard let message else { continue }
            var size = 0
            let encode = KafkaBenchmark.measure {
                for _ in 0..<rounds { size = codec.encode(anyMessage: message).count }
            }
            let n = Double(max(rounds, 1))
            say("\(reference.messageType) v\(reference.version)".padding(toLength: 36, withPad: " ", startingAt: 0)
                + String(format: "%6d bytes  decode %8.2f µs  encode %8.2f µs", size, decode / n * 1e6, encode / n * 1e6))
        }
    }
}

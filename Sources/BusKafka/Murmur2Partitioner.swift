import Foundation

/// The partition a key belongs to, as Kafka's Java client computes it: the bus's contract.
///
/// Java's default partitioner (and Kafka Connect, Spring, kafkajs, Kafka Streams) hashes a
/// key with murmur2 and keeps the positive 31 bits, modulo the partition count; librdkafka
/// does the same with `partitioner=murmur2_random`, which every bus producer uses (see
/// `KafkaProducer.defaults`). librdkafka's own default (`consistent_random`, CRC32) puts
/// most keys elsewhere, so this is what a worker checks a keyed input against.
public enum Murmur2Partitioner {
    /// The librdkafka property and value that make a librdkafka client partition as Java does.
    public static let property = (name: "partitioner", value: "murmur2_random")

    /// The setting, as written in a client's configuration: `partitioner=murmur2_random`.
    public static var setting: String { "\(property.name)=\(property.value)" }

    /// The partition of `key` among `partitions` (at least 1): `toPositive(murmur2(key)) % partitions`.
    public static func partition(of key: Data, partitions: Int32) -> Int32 {
        precondition(partitions > 0, "a topic has at least one partition")
        return (murmur2(key) & 0x7fff_ffff) % partitions
    }

    /// The partition of a UTF-8 key.
    public static func partition(of key: String, partitions: Int32) -> Int32 {
        partition(of: Data(key.utf8), partitions: partitions)
    }

    /// Kafka's `Utils.murmur2`: the 32-bit murmur2 hash with seed 0x9747b28c, as a signed
    /// Java `int` (arithmetic wraps, shifts are unsigned).
    public static func murmur2(_ data: Data) -> Int32 {
        let m: UInt32 = 0x5bd1_e995
        let r: UInt32 = 24
        let bytes = [UInt8](data)
        let length = bytes.count
        var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: length)
        let blocks = length / 4
        for block in 0..<blocks {
            let i = block * 4
            var k = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
            k &*= m
            k ^= k >> r
            k &*= m
            h &*= m
            h ^= k
        }
        let tail = length & ~3
        switch length % 4 {
        case 3:
            h ^= UInt32(bytes[tail + 2]) << 16
            h ^= UInt32(bytes[tail + 1]) << 8
            h ^= UInt32(bytes[tail])
            h &*= m
        case 2:
            h ^= UInt32(bytes[tail + 1]) << 8
            h ^= UInt32(bytes[tail])
            h &*= m
        case 1:
            h ^= UInt32(bytes[tail])
            h &*= m
        default:
            break
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }
}

import BusKafka
import Foundation
import Testing

/// The partition the bus computes for a key is Kafka's Java partitioner's, and the one
/// librdkafka's `murmur2_random` (every bus producer's partitioner) picks.
@Suite("Murmur2 partitioner")
struct Murmur2PartitionerTests {
    /// Kafka's own test vectors for `Utils.murmur2` (clients/src/test/java/org/apache/kafka/
    /// common/utils/UtilsTest.java, testMurmur2), covering every tail length (0 to 3 bytes).
    @Test("murmur2 gives Kafka's UtilsTest values", arguments: [
        ("21", -973_932_308),
        ("foobar", -790_332_482),
        ("a-little-bit-long-string", -985_981_536),
        ("a-little-bit-longer-string", -1_486_304_829),
        ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
        ("abc", 479_470_107),
    ] as [(String, Int32)])
    func kafkaVectors(_ key: String, _ hash: Int32) {
        #expect(Murmur2Partitioner.murmur2(Data(key.utf8)) == hash)
    }

    /// The keys of issue 11: where Kafka's Java partitioner puts them among 6 partitions.
    @Test("keys land where Java's partitioner puts them among 6 partitions", arguments: [
        ("TSHIRT-BLU-M", 2), ("A", 4), ("B", 4), ("SKU-1", 2), ("SKU-22", 3), ("ORDER-9", 0),
    ] as [(String, Int32)])
    func javaPartitions(_ key: String, _ partition: Int32) {
        #expect(Murmur2Partitioner.partition(of: key, partitions: 6) == partition)
    }

    @Test("the sign bit is dropped before the modulo, as Java's toPositive does")
    func toPositive() {
        // "21" hashes negative: -973932308 & 0x7fffffff = 1173551340, and 1173551340 % 7 = 5.
        #expect(Murmur2Partitioner.partition(of: "21", partitions: 7) == 1_173_551_340 % 7)
        #expect(Murmur2Partitioner.partition(of: "", partitions: 5) == (Murmur2Partitioner.murmur2(Data()) & 0x7fff_ffff) % 5)
    }

    @Test("a bus producer (no partitioner set) puts every key where murmur2 says, as librdkafka's murmur2_random does")
    func producerAgrees() async throws {
        let cluster = try Support.cluster(topics: ["murmur.six": 6, "murmur.five": 5])
        let producer = try KafkaProducer(config: cluster.clientConfig())
        defer { producer.close() }
        let keys = ["TSHIRT-BLU-M", "A", "B", "SKU-1", "SKU-22", "ORDER-9", "WEB-100234", "acc_8f3k2m9q", "", "é-ü-ß"] + (0..<40).map { "K-\($0)" }
        for topic in ["murmur.six", "murmur.five"] {
            let partitions: Int32 = topic == "murmur.six" ? 6 : 5
            for key in keys {
                let report = try await producer.send(ProducerRecord(topic: topic, key: key, value: Data("{}".utf8)))
                #expect(report.partition == Murmur2Partitioner.partition(of: key, partitions: partitions), "\(topic) \(key)")
            }
        }
    }

    @Test("kcat told partitioner=murmur2_random agrees; kcat's default (CRC32) does not",
          .enabled(if: Interop.kcat != nil, "kcat is not installed"))
    func kcatAgrees() throws {
        let cluster = try Support.cluster(topics: ["murmur.kcat": 6, "murmur.crc": 6])
        let keys = ["TSHIRT-BLU-M", "A", "B", "SKU-1", "SKU-22", "ORDER-9"]
        let input = keys.map { "\($0)|v" }.joined(separator: "\n") + "\n"
        let told = try Interop.run(["-b", cluster.bootstrapServers, "-t", "murmur.kcat", "-P", "-K", "|", "-X", Murmur2Partitioner.setting], stdin: input)
        let untold = try Interop.run(["-b", cluster.bootstrapServers, "-t", "murmur.crc", "-P", "-K", "|"], stdin: input)
        #expect(told.code == 0 && untold.code == 0, "\(told.stderr) \(untold.stderr)")
        let placed = try Support.readAll(cluster, topic: "murmur.kcat", partitions: 6, expected: keys.count)
        #expect(Dictionary(placed.map { ($0.keyString ?? "", $0.partition) }, uniquingKeysWith: { a, _ in a })
            == ["TSHIRT-BLU-M": 2, "A": 4, "B": 4, "SKU-1": 2, "SKU-22": 3, "ORDER-9": 0])
        let crc = try Support.readAll(cluster, topic: "murmur.crc", partitions: 6, expected: keys.count)
        // The partitions issue 11 measured for librdkafka's default partitioner.
        #expect(Dictionary(crc.map { ($0.keyString ?? "", $0.partition) }, uniquingKeysWith: { a, _ in a })
            == ["TSHIRT-BLU-M": 3, "A": 5, "B": 1, "SKU-1": 0, "SKU-22": 2, "ORDER-9": 5])
    }
}

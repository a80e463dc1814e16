import BusKafka
import Foundation
import Testing

@Suite("Round trip on the embedded cluster")
struct RoundTripTests {
    @Test("10,000 keyed records over 6 partitions come back byte-identical and in order")
    func roundTrip() throws {
        let cluster = try Support.cluster(topics: ["rt": 6])
        let producer = try KafkaProducer(config: cluster.clientConfig())
        var sent: [ProducerRecord] = []
        for i in 0..<10_000 {
            let key = "key-\(i % 97)"
            // Every 50th record is a tombstone; every 77th has an empty (not null) value.
            let value: Data? = i % 50 == 0 ? nil : i % 77 == 0 ? Data() : Data("value-\(i)-\u{e9}\u{1F600}".utf8) + Data([0, 255, UInt8(i % 256)])
            let headers = [
                KafkaHeader(key: "ce_id", string: "id-\(i)"),
                KafkaHeader(key: "binary", value: Data([UInt8(i % 256), 0, 1])),
                KafkaHeader(key: "null", value: nil),
                KafkaHeader(key: "ce_id", string: "repeated-\(i)"),
            ]
            sent.append(ProducerRecord(topic: "rt", key: key, value: value, headers: headers))
        }
        let results = Support.enqueueAll(producer, sent)
        #expect(results.count == sent.count)
        #expect(results.allSatisfy { $0.isSuccess })
        producer.close()

        let received = try Support.readAll(cluster, topic: "rt", partitions: 6, expected: sent.count)
        #expect(received.count == sent.count)

        // Per partition, offsets strictly increase and records follow send order.
        let sentIndex = Dictionary(uniqueKeysWithValues: sent.enumerated().map { ($0.element.headers[0].stringValue ?? "", $0.offset) })
        var byPartition: [Int32: [ConsumedRecord]] = [:]
        for record in received { byPartition[record.partition, default: []].append(record) }
        #expect(byPartition.count == 6)
        for (_, records) in byPartition {
            let indices = records.map { sentIndex[$0.headers.first?.stringValue ?? ""] ?? -1 }
            #expect(indices == indices.sorted(), "send order kept within a partition")
            #expect(records.map(\.offset) == records.map(\.offset).sorted())
        }
        // Every byte identical, keys always on one partition.
        var partitionOfKey: [Data: Int32] = [:]
        for record in received {
            let index = try #require(sentIndex[record.headers.first?.stringValue ?? ""])
            let original = sent[index]
            #expect(record.key == original.key)
            #expect(record.value == original.value)
            #expect(record.headers == original.headers)
            #expect(record.timestamp != nil)
            if let key = record.key {
                #expect(partitionOfKey[key, default: record.partition] == record.partition)
                partitionOfKey[key] = record.partition
            }
        }
        #expect(received.filter { $0.value == nil }.count == 200, "tombstones arrive as nil")
        #expect(received.filter { $0.value == Data() }.count == sent.filter { $0.value == Data() }.count, "empty values stay empty")
    }

    @Test("async send returns the partition and offset of each record")
    func asyncSend() async throws {
        let cluster = try Support.cluster(topics: ["async": 2])
        let producer = try KafkaProducer(config: cluster.clientConfig())
        let first = try await producer.send(ProducerRecord(topic: "async", partition: 1, key: "k", value: Data("a".utf8)))
        let second = try await producer.send(ProducerRecord(topic: "async", partition: 1, key: "k", value: Data("b".utf8)))
        #expect(first.topic == "async" && first.partition == 1)
        #expect(second.offset == first.offset + 1)
        let topics = try producer.topics()
        #expect(topics.contains(TopicMetadata(name: "async", partitions: 2)))
        producer.close()
    }
}

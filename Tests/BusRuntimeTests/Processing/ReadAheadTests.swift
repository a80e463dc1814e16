import BusKafka
@testable import BusRuntime
import Foundation
import Testing

/// The read-ahead queue alone, as a state machine: order kept; a pause holds a partition's
/// records, a resume hands them back first, a revoke forgets them; what a seek back takes out
/// says where each partition must be read again.
struct ReadAheadTests {
    static func record(_ topic: String, _ partition: Int32, _ offset: Int64) -> ConsumedRecord {
        ConsumedRecord(topic: topic, partition: partition, offset: offset, key: nil, value: Data(), headers: [], timestamp: nil)
    }

    @Test("records come back in the order read, each with what the decode stage attached")
    func order() {
        var queue = ReadAhead<Int>()
        let records = [Self.record("a", 0, 5), Self.record("a", 1, 9), Self.record("a", 0, 6)]
        records.forEach { queue.append($0) }
        #expect(queue.waiting == records)
        queue.attach([1, nil, 3])
        #expect(queue.next()?.decoded == 1)
        let second = queue.next()
        #expect(second?.record == records[1] && second?.decoded == nil)
        #expect(queue.next()?.record == records[2])
        #expect(queue.next() == nil && queue.isEmpty)
    }

    @Test("drop takes out only the partitions named, returns each one's first offset, and keeps the others' order", arguments: [
        // (dropped partitions, expected first offsets, expected offsets left in order)
        ([0], [0: 5], [9, 10]),
        ([1], [1: 9], [5, 6, 7]),
        ([0, 1], [0: 5, 1: 9], []),
        ([2], [:], [5, 9, 6, 10, 7]),
    ] as [([Int32], [Int32: Int64], [Int64])])
    func drop(partitions: [Int32], firstOffsets: [Int32: Int64], left: [Int64]) {
        var queue = ReadAhead<Int>()
        for (partition, offset) in [(0, 5), (1, 9), (0, 6), (1, 10), (0, 7)] as [(Int32, Int64)] {
            queue.append(Self.record("t", partition, offset))
        }
        let dropped = queue.drop(Set(partitions.map { TopicPartition(topic: "t", partition: $0) }))
        #expect(dropped == Dictionary(uniqueKeysWithValues: firstOffsets.map { (TopicPartition(topic: "t", partition: $0.key), $0.value) }))
        var offsets: [Int64] = []
        while let item = queue.next() { offsets.append(item.record.offset) }
        #expect(offsets == left)
    }

    @Test("a drop after some records were taken affects only those still waiting")
    func dropAfterTaking() {
        var queue = ReadAhead<Int>()
        for offset in Int64(0)..<4 { queue.append(Self.record("t", 0, offset)) }
        _ = queue.next()
        _ = queue.next()
        #expect(queue.drop([TopicPartition(topic: "t", partition: 0)]) == [TopicPartition(topic: "t", partition: 0): 2])
        #expect(queue.isEmpty)
    }

    static let p0 = TopicPartition(topic: "t", partition: 0)
    static let p1 = TopicPartition(topic: "t", partition: 1)

    /// Partition 0 at offsets 5, 6, 7 and partition 1 at 9, 10, interleaved as read.
    static func interleaved() -> ReadAhead<Int> {
        var queue = ReadAhead<Int>()
        for (partition, offset) in [(0, 5), (1, 9), (0, 6), (1, 10), (0, 7)] as [(Int32, Int64)] {
            queue.append(Self.record("t", partition, offset))
        }
        return queue
    }

    static func drain(_ queue: inout ReadAhead<Int>) -> [String] {
        var taken: [String] = []
        while let item = queue.next() { taken.append("\(item.record.partition)@\(item.record.offset)") }
        return taken
    }

    @Test("a pause holds the partition's records waiting, in order, with what was decoded; the others go on")
    func pauseHolds() {
        var queue = Self.interleaved()
        queue.attach([50, 90, 60, 100, 70])
        #expect(queue.next()?.record.offset == 5, "partition 0's first record is being handled when its pause comes")
        queue.pause([Self.p0])
        #expect(queue.paused == [Self.p0])
        #expect(queue.heldCount == 2 && queue.count == 2)
        #expect(Self.drain(&queue) == ["1@9", "1@10"], "partition 1 is not held up")
        #expect(queue.isEmpty && queue.heldCount == 2, "held records are not waiting")
        queue.resume([Self.p0])
        let first = queue.next()
        #expect(first?.record.offset == 6 && first?.decoded == 60, "handed back with what the decode stage made of it")
        #expect(queue.next()?.record.offset == 7)
        #expect(queue.paused.isEmpty && queue.heldCount == 0)
    }

    @Test("a resume hands the held records back ahead of everything waiting and everything read after it")
    func resumeFirst() {
        var queue = Self.interleaved()
        queue.pause([Self.p0])
        queue.append(Self.record("t", 1, 11))
        queue.resume([Self.p0])
        queue.append(Self.record("t", 0, 8))
        #expect(Self.drain(&queue) == ["0@5", "0@6", "0@7", "1@9", "1@10", "1@11", "0@8"])
    }

    @Test("a record read for a paused partition (a pause the client did not apply) is held behind the others, never handed out before the resume")
    func readWhilePaused() {
        var queue = Self.interleaved()
        queue.pause([Self.p0])
        queue.append(Self.record("t", 0, 8))
        #expect(queue.heldCount == 4)
        #expect(Self.drain(&queue) == ["1@9", "1@10"])
        queue.resume([Self.p0])
        #expect(Self.drain(&queue) == ["0@5", "0@6", "0@7", "0@8"])
    }

    @Test("pausing twice keeps what is held; resuming a partition not paused changes nothing")
    func pauseTwiceResumeUnpaused() {
        var queue = Self.interleaved()
        queue.pause([Self.p0])
        queue.pause([Self.p0, Self.p1])
        #expect(queue.heldCount == 5 && queue.isEmpty)
        queue.resume([TopicPartition(topic: "t", partition: 3)])
        #expect(queue.heldCount == 5 && queue.isEmpty)
        queue.resume([Self.p1, Self.p0])
        #expect(Self.drain(&queue) == ["1@9", "1@10", "0@5", "0@6", "0@7"], "each partition's records in the order read")
    }

    @Test("a revoke while held forgets the partition's records, held and waiting, and its pause; the partitions kept keep theirs", arguments: [
        // (revoked, forgotten, left after resuming both)
        ([0], 3, ["1@9", "1@10", "1@11"]),
        ([1], 3, ["0@5", "0@6", "0@7"]),
        ([0, 1], 6, []),
    ] as [([Int32], Int, [String])])
    func revokeWhileHeld(revoked: [Int32], forgotten: Int, left: [String]) {
        var queue = Self.interleaved()
        queue.pause([Self.p0])
        queue.append(Self.record("t", 1, 11))
        let partitions = revoked.map { TopicPartition(topic: "t", partition: $0) }
        #expect(queue.revoke(partitions) == forgotten)
        #expect(queue.paused == (revoked.contains(0) ? [] : [Self.p0]), "a revoked partition is no longer paused here")
        // The partition assigned again later is read from the commit: nothing of before comes back.
        queue.resume([Self.p0, Self.p1])
        #expect(Self.drain(&queue) == left)
        queue.append(Self.record("t", 0, 5))
        #expect(Self.drain(&queue) == ["0@5"], "a record of the partition assigned again is not held")
    }

    @Test("the parallel map keeps the batch's order whatever the threads", arguments: [1, 2, 3, 8])
    func parallelMap(threads: Int) {
        let input = Array(0..<1_000)
        #expect(ParallelMap(threads: threads).map(input) { $0 * 2 } == input.map { $0 * 2 })
        #expect(ParallelMap(threads: threads).map([Int]()) { $0 } == [])
    }
}

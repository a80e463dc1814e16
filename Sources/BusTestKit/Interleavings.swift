/// Every merge of `streams` that keeps each stream's order: the orders in which a successor
/// may read co-partitioned topics (each partition in its order, the topics in any), for
/// replay-order tests.
public func interleavings<T>(_ streams: [[T]]) -> [[T]] {
    guard streams.contains(where: { !$0.isEmpty }) else { return [[]] }
    var result: [[T]] = []
    for (index, stream) in streams.enumerated() where !stream.isEmpty {
        var rest = streams
        rest[index] = Array(stream.dropFirst())
        result += interleavings(rest).map { [stream[0]] + $0 }
    }
    return result
}

import BusKafka
import BusSchema
import Foundation
import Synchronization

/// The latest message per key of whole compacted topics, kept current in the background:
/// state every instance needs whatever partitions it owns (the customer identity table,
/// the published catalogue).
///
/// One reader thread follows every partition of every table from the beginning. Each record
/// is decoded as it is read and only the decoded message is kept, one per key (no bytes, no
/// headers), so a table's memory is its keys and values and nothing else; a record that does
/// not decode, and a tombstone, delete the key. `waitUntilCaughtUp` returns once everything
/// that was in the tables when reading started has been read, so a worker does not judge inputs against a half-loaded table.
public final class GlobalTables: TableLookup, @unchecked Sendable {
    private let topics: [String]
    private let registry: MessageRegistry
    private let consumer: KafkaConsumer
    private let logger: Logger
    private let entries = Mutex(TableEntries())
    private let feed = Mutex(TableFeed())
    private let stopped = Atomic<Bool>(false)
    private let caughtUp = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts reading `topics` whole with a group-less reader built from `config`.
    ///
    /// Throws `RuntimeError` (`tablesUnavailable`) when a table's topic does not exist: a
    /// worker must not start with a table it believes loaded and empty. A partition whose end
    /// cannot be read now counts as behind until the reader reaches its end: the tables are
    /// caught up only when every partition truly is.
    public init(topics: [String], config: KafkaConfig, registry: MessageRegistry, logger: Logger) throws {
        self.topics = topics
        self.registry = registry
        self.logger = logger
        var readerConfig = config
        readerConfig.groupID = nil
        readerConfig.set("enable.partition.eof", "true")
        let reader = try KafkaConsumer(config: readerConfig, onEvent: KafkaSettings.clientLog(logger, config: readerConfig))
        let known = Dictionary(uniqueKeysWithValues: try reader.topics().map { ($0.name, $0.partitions) })
        let missing = topics.filter { known[$0] == nil }
        // Thrown before `self` is whole, so no deinit waits for a reader thread never started.
        guard missing.isEmpty else {
            reader.close()
            throw RuntimeError(.tablesUnavailable, "the table topic(s) \(missing.joined(separator: ", ")) do not exist; create them before starting",
                               context: ["topics": missing.joined(separator: ",")])
        }
        consumer = reader
        var start: [TopicPartition: StartOffset] = [:]
        var remaining = Set<TopicPartition>()
        for topic in topics {
            for partition in 0..<Int32(known[topic] ?? 0) {
                let tp = TopicPartition(topic: topic, partition: partition)
                start[tp] = .beginning
                // Only a partition known to be empty is caught up from the start.
                if let (low, high) = try? consumer.watermarks(tp), high <= low { continue }
                remaining.insert(tp)
            }
        }
        try consumer.assign(start)
        if remaining.isEmpty { caughtUp.signal() }
        let behind = remaining
        let thread = Thread { [self] in follow(initiallyBehind: behind) }
        thread.name = "bus-tables"
        thread.start()
    }

    deinit {
        stop()
    }

    /// Waits until the tables hold everything they held when reading started.
    /// Returns false when `timeout` passed first.
    public func waitUntilCaughtUp(timeout: Duration) -> Bool {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        guard caughtUp.wait(timeout: .now() + seconds) == .success else { return false }
        caughtUp.signal()  // let later callers through too
        return true
    }

    /// Stops the reader thread. Idempotent.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
        consumer.close()
    }

    public func latest<M: BusMessage>(_ type: M.Type, in table: String, key: String) -> M? {
        entries.withLock { $0.messages[table]?[key] as? M }
    }

    public func keys(in table: String) -> [String] {
        entries.withLock { ($0.messages[table]?.keys).map { $0.sorted() } ?? [] }
    }

    public func keys(in table: String, group: String) -> [String] {
        entries.withLock { ($0.groups[table]?[group]).map { $0.sorted() } ?? [] }
    }

    /// The records read after `cursor` (0: since the start), oldest first, and the cursor to
    /// ask from next time. Only the latest `TableFeed.capacity` records are kept: a reader
    /// further behind gets those and `missed` counts the others.
    func changes(after cursor: UInt64) -> (records: [FlowInput], cursor: UInt64, missed: UInt64) {
        feed.withLock { $0.records(after: cursor) }
    }

    /// The cursor of the latest record read: a reader starting now asks from here.
    var feedCursor: UInt64 { feed.withLock { $0.end } }

    /// How many keys `table` holds.
    public func count(in table: String) -> Int {
        entries.withLock { $0.messages[table]?.count ?? 0 }
    }

    private func follow(initiallyBehind: Set<TopicPartition>) {
        var behind = initiallyBehind
        while !stopped.load(ordering: .acquiring) {
            switch consumer.poll(timeout: .milliseconds(100)) {
            case .record(let record)?:
                apply(record)
            case .partitionEnd(let partition, _)?:
                if behind.remove(partition) != nil, behind.isEmpty { caughtUp.signal() }
            case .error(let error)?:
                logger.warn("table_read_error", .errorCode(error.name))
            case nil:
                break
            }
        }
        finished.signal()
    }

    private func apply(_ record: ConsumedRecord) {
        guard let key = record.keyString else { return }
        // Decoded here, on the reader's thread, outside the lock: lookups never decode.
        var message: (any BusMessage)?
        var envelope: Envelope?
        if let value = record.value {
            let headers = record.headers.compactMap { header in header.stringValue.map { (key: header.key, value: $0) } }
            if let (read, payload) = try? Envelope.read(headers: headers, value: value) {
                message = try? registry.decode(read, payload: payload)
                envelope = read
            }
            // A later record that does not decode hides the older value: a table never answers
            // with a value its topic no longer holds.
            if message == nil { logger.warn("table_record_undecodable", .topic(record.topic), .partition(record.partition), .offset(record.offset)) }
        }
        entries.withLock { $0.set(message, in: record.topic, key: key) }
        // Told after the table holds it, so a flow told of it finds it there.
        if let message, let envelope {
            feed.withLock { $0.append(FlowInput(envelope: envelope, message: message, key: key, topic: record.topic)) }
        }
    }
}

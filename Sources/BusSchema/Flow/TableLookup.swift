/// Read access to the global tables a flow declared: the latest message per key of a
/// compacted topic, as every instance sees it.
public protocol TableLookup: Sendable {
    /// The latest message for `key` in `table`, or nil when absent, deleted, or not a message
    /// of type `M`.
    func latest<M: BusMessage>(_ type: M.Type, in table: String, key: String) -> M?

    /// Every key of `table` with a message, sorted.
    func keys(in table: String) -> [String]

    /// The keys of `table` whose message is a `GroupedTableMessage` of `group`, sorted: an
    /// account's orders, found without a scan of the table.
    func keys(in table: String, group: String) -> [String]
}

/// A table message that belongs to a group of keys (an order's entry to its account), so that
/// a lookup finds a group's keys at once (`TableLookup.keys(in:group:)`).
public protocol GroupedTableMessage: BusMessage {
    /// The group the record belongs to.
    var tableGroup: String { get }
}


/// Tables given by hand: for tests and for flows without tables.
public struct StaticTables: TableLookup {
    private let tables: [String: [String: any BusMessage]]

    /// Tables holding the given messages by table name and key.
    public init(_ tables: [String: [String: any BusMessage]] = [:]) {
        self.tables = tables
    }

    public func latest<M: BusMessage>(_ type: M.Type, in table: String, key: String) -> M? {
        tables[table]?[key] as? M
    }

    public func keys(in table: String) -> [String] {
        (tables[table]?.keys).map { $0.sorted() } ?? []
    }

    /// A scan of the table: these tables are small, made by hand.
    public func keys(in table: String, group: String) -> [String] {
        (tables[table] ?? [:]).filter { ($0.value as? any GroupedTableMessage)?.tableGroup == group }.keys.sorted()
    }

    /// These tables with `message` as the latest of `key` in `table`: a record read.
    public func adding(_ message: any BusMessage, in table: String, key: String) -> StaticTables {
        var tables = tables
        tables[table, default: [:]][key] = message
        return StaticTables(tables)
    }
}

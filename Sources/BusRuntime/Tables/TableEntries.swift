import BusSchema

/// The latest message per key of each table, and for grouped messages (`GroupedTableMessage`)
/// each group's keys, kept in step: a group's keys are found without a scan of the table.
struct TableEntries {
    /// Table → key → its latest message.
    private(set) var messages: [String: [String: any BusMessage]] = [:]
    /// Table → group → the keys whose latest message is of that group.
    private(set) var groups: [String: [String: Set<String>]] = [:]

    /// `message` is now the latest of `key` in `table` (nil: the key is deleted); the key
    /// leaves the group of the message it replaces.
    mutating func set(_ message: (any BusMessage)?, in table: String, key: String) {
        if let old = (messages[table]?[key] as? any GroupedTableMessage)?.tableGroup {
            groups[table]?[old]?.remove(key)
            if groups[table]?[old]?.isEmpty == true { groups[table]?[old] = nil }
        }
        messages[table, default: [:]][key] = message
        if let group = (message as? any GroupedTableMessage)?.tableGroup {
            groups[table, default: [:]][group, default: []].insert(key)
        }
    }
}

import BusSchema

/// A flow hears of its watched tables' new records (`Flow.tableChanged`) a few times a
/// second, in every partition it owns, so what a state waits for (a held order's customer
/// link) acts as soon as it is read, not at the entity's next input.
extension ProcessingLoop {
    /// Tells the flow of the watched tables' records read since the last turn.
    func tellTableChanges() {
        let watched = Set(flow.watchedTables)
        guard !watched.isEmpty, let feed = tables as? GlobalTables else { return }
        let (records, cursor, missed) = feed.changes(after: tableCursor)
        tableCursor = cursor
        if missed > 0 { logger.warn("table_changes_missed", .count(Int(missed))) }
        for record in records where watched.contains(record.topic) {
            runOverPartitions(input: record) { [flow, tables] state in try flow.tableChanged(record, state: &state, tables: tables) }
        }
    }
}

/// The bus's records the ERP has imported, by `ce_id`: an ERP imports a document once.
///
/// At-least-once delivery means a worker killed between producing and committing produces
/// the same records again, with the same ids, when its successor replays the input (DESIGN,
/// "Output ids are deterministic ... any reader can deduplicate"). Without this, the ERP took
/// order-ingest's replayed cancellation of an order it had already cancelled as a second
/// request, and refused it (chaos short profile, lifecycles: "the ERP had to refuse a request
/// the bus passed on (cancellation ... arrived while cancelled)").
struct ERPImports {
    private var imported: Set<String> = []

    /// Whether `record` is new to the ERP: true the first time a bus record's id is seen,
    /// and for every record that is not the bus's or carries no id.
    mutating func takes(_ record: ObservedRecord) -> Bool {
        guard record.source?.hasPrefix("bus/") == true, let id = record.id else { return true }
        return imported.insert(id).inserted
    }
}

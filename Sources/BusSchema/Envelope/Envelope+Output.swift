import Foundation

extension Envelope {
    /// The envelope of an output record on `topic` (key `key`, value `value`, nil for a
    /// tombstone) produced by `worker` from this input, at `position` among its outputs.
    ///
    /// Why two derivations: after a crash, a successor replays the uncommitted inputs of the
    /// different topics sharing a partition number in the order its fetches bring them, which
    /// no one can make the first worker's. An output that describes state (a tracking page, an
    /// account's invoices) depends on that order, so under (input id, worker, position) alone
    /// one id could be carried by two contents and a reader deduplicating by id would keep the
    /// wrong one. On a "latest wins" topic (`Topics.latestWins`, compacted in the catalogue) the
    /// id also covers a digest of the key and value: the same replay gives the same id, another
    /// content another id, and the topic's last value is the later state. An output that causes
    /// an effect (an ERP order, a receipt, a notification) keeps `derived(worker:position:…)`
    /// alone, so readers still drop a replayed duplicate whatever its content, unless it names
    /// the effect it records (`effect`, `FlowOutput.effectID`): an effect that any of several
    /// inputs may bring about (a receipt, posted by whichever of the payment and the sales order
    /// came last) then takes its id from (effect, worker, topic, type), whichever input that was.
    public func derived(worker: String, position: Int, type: String, dataSchema: String?,
                        topic: String, key: String?, value: Data?, effect: EventID? = nil) -> Envelope {
        var envelope = derived(worker: worker, position: position, type: type, dataSchema: dataSchema)
        guard Topics.latestWins.contains(topic) else {
            guard let effect else { return envelope }
            let name = JSONWriter.compact(.array([.string("effect"), .string(worker), .string(topic), .string(type), .string(effect.rawValue)]))
            envelope.id = NameBasedUUID.v5(namespace: NameBasedUUID.busNamespace, name: String(decoding: name, as: UTF8.self))
            return envelope
        }
        let content = JSONWriter.compact(.array([key.map(JSONValue.string) ?? .null,
                                                 value.map { .string(String(decoding: $0, as: UTF8.self)) } ?? .null]))
        let digest = NameBasedUUID.v5(namespace: NameBasedUUID.busNamespace, name: String(decoding: content, as: UTF8.self))
        let name = JSONWriter.compact(.array([.string(id), .string(worker), .integer(position), .string(digest)]))
        envelope.id = NameBasedUUID.v5(namespace: NameBasedUUID.busNamespace, name: String(decoding: name, as: UTF8.self))
        return envelope
    }
}

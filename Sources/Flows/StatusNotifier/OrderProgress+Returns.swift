import BusSchema

/// Returns as the site's order page shows them: each with its status, from the site's request
/// (requested), the ERP's statuses (received, accepted, refused) and its credit note (refunded).
extension OrderProgress {
    /// Takes in what is known of returns: a return's status only moves forward (see
    /// `ReturnStatus.rank`; between accepted and refused, the later wins). Whether anything changed.
    @discardableResult
    public mutating func take(returns incoming: [ReturnProgress]) -> Bool {
        var known = returns ?? []
        var changed = false
        for update in incoming {
            if let index = known.firstIndex(where: { $0.returnNumber == update.returnNumber }) {
                let current = known[index]
                let forward = update.status.rank > current.status.rank
                    || (update.status.rank == current.status.rank && update.status != current.status && update.updatedAt > current.updatedAt)
                guard forward else { continue }
                known[index] = update
            } else {
                known.append(update)
            }
            changed = true
            updatedAt = max(updatedAt ?? update.updatedAt, update.updatedAt)
        }
        guard changed else { return false }
        returns = known.sorted { $0.returnNumber < $1.returnNumber }
        return true
    }

    /// Takes in the site's return request: the return is shown as requested. Nil when known.
    public mutating func take(_ request: ReturnRequest) -> [Happening]? {
        take(returns: [ReturnProgress(returnNumber: request.returnNumber, status: .requested, updatedAt: request.requestedAt)]) ? [] : nil
    }
}

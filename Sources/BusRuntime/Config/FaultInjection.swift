/// A fault a worker injects into itself when `BUS_FAULT_INJECTION` names it: for proving that
/// the kill-and-restart and chaos checks catch a broken delivery guarantee. Never set in
/// production; a worker started with one logs `fault_injection_enabled` as a warning.
public enum FaultInjection: String, Sendable, Hashable, CaseIterable {
    /// `store-offsets-before-ack`: offsets are stored before the outputs are acknowledged
    /// (`ProcessingOptions.storesOffsetsBeforeAcknowledgement`).
    case storeOffsetsBeforeAcknowledgement = "store-offsets-before-ack"

    /// The fault named by a `BUS_FAULT_INJECTION` value; an unknown name is refused, so a
    /// typo never runs a check without its fault (or production with one it did not mean).
    static func parse(_ raw: String) -> Result<FaultInjection?, EnvironmentReader.Reason> {
        let value = raw.trimmingCharacters(in: .whitespaces)
        guard let fault = FaultInjection(rawValue: value) else {
            let known = allCases.map(\.rawValue).joined(separator: ", ")
            return .failure(EnvironmentReader.Reason("not a known fault (known: \(known)); unset it in production"))
        }
        return .success(fault)
    }
}

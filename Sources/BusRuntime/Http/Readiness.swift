/// Whether the worker can do its job now: connected, assigned, state rebuilt.
public enum Readiness: Sendable, Hashable {
    /// Ready: `/readyz` answers 200.
    case ready
    /// Not ready, with a short, non-personal reason for operators (e.g. `rebuilding state`):
    /// `/readyz` answers 503 with it.
    case notReady(reason: String)
}

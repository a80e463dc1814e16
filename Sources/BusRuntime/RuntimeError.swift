import BusKafka

/// The one error type of the worker runtime.
///
/// Guarantees: `message` is written for the person who has to act on it (what is wrong and,
/// where it helps, what to do), and neither the message nor `context` ever carries a record
/// payload or personal data: only names, numbers, paths and codes.
public struct RuntimeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is; stable, so callers and alerts can match on it.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// One or more environment variables have bad values.
        case invalidConfiguration
        /// A flow's JSON rules file could not be read or decoded.
        case invalidRulesFile
        /// A metric was registered with a bad name, bad labels, or clashes with another metric.
        case invalidMetric
        /// The HTTP server could not open, bind or listen on its socket.
        case httpServerFailure
        /// Signal handlers could not be installed.
        case signalHandlingFailure
        /// The Kafka client raised a fatal error: the process must restart.
        case fatalClientError
        /// A state value could not be encoded for the changelog.
        case stateUnencodable
        /// A changelog value could not be decoded into the flow's state.
        case stateUndecodable
        /// The changelog could not be read to rebuild a partition's state.
        case stateRestoreFailed
        /// Kafka refused a record that has nowhere else to go (a changelog record).
        case recordRefused
        /// A global table's topic is missing.
        case tablesUnavailable
        /// The configuration could let one key's inputs reach two instances.
        case unsafeAssignment
    }

    /// What kind of failure this is.
    public var code: Code
    /// A sentence a person can act on.
    public var message: String
    /// Where it happened (variable, path, JSON field, topic, partition, offset…), never a payload.
    public var context: [String: String]

    /// An error with a code, an actionable message and optional context.
    public init(_ code: Code, _ message: String, context: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.context = context
    }

    /// A fatal client error, with librdkafka's code name as context.
    static func fatalClient(_ error: KafkaError) -> RuntimeError {
        RuntimeError(.fatalClientError, error.message, context: ["error": error.name])
    }

    /// `code: message [key=value, …]`, context keys sorted so the text is stable.
    public var description: String {
        guard !context.isEmpty else { return "\(code.rawValue): \(message)" }
        let pairs = context.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return "\(code.rawValue): \(message) [\(pairs.joined(separator: ", "))]"
    }
}

import BusKafka
import Foundation

/// A worker's own secret from its environment (`NAME`, or a file named by `NAME_FILE`), by the
/// same convention as the Kafka settings (`EnvironmentSecret`).
public enum WorkerSecret {
    /// The secret `name` gives, nil when neither variable is set. Throws `.invalidConfiguration`
    /// naming the variable, never the value, when both are set or the file cannot be read.
    public static func read(_ name: String, environment: [String: String],
                            readFile: (String) -> Data? = { FileManager.default.contents(atPath: $0) }) throws(RuntimeError) -> String? {
        switch EnvironmentSecret.read(name, from: environment, readFile: readFile) {
        case .success(let text): return text
        case .failure(let problem): throw RuntimeError(.invalidConfiguration, problem.description, context: [problem.variable: problem.reason])
        }
    }

    /// The variable a set secret `name` came from: `NAME_FILE` when that is set, else `NAME`.
    public static func source(of name: String, environment: [String: String]) -> String {
        environment[name + EnvironmentSecret.fileSuffix] != nil ? name + EnvironmentSecret.fileSuffix : name
    }
}

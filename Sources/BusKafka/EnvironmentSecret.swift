import Foundation

/// A secret from the environment by the container-secrets convention, for `KAFKA_*` settings
/// (`KafkaEnvironment`) and workers' own secrets alike: `NAME` holds it, or `NAME_FILE` names a
/// file holding it, one trailing newline trimmed (`KAFKA_SASL_PASSWORD_FILE=/run/secrets/kafka`).
/// Setting both, or naming an unreadable file, is a problem naming the variable, never the value.
public enum EnvironmentSecret {
    /// The `_FILE` suffix.
    public static let fileSuffix = "_FILE"

    /// The secret `name` gives (nil: neither variable set), or the problem with it.
    public static func read(_ name: String, from environment: [String: String],
                            readFile: (String) -> Data? = { FileManager.default.contents(atPath: $0) }) -> Result<String?, KafkaEnvironment.Problem> {
        let fileVariable = name + fileSuffix
        guard let path = environment[fileVariable] else { return .success(environment[name]) }
        guard environment[name] == nil else {
            return .failure(KafkaEnvironment.Problem(variable: fileVariable, reason: "\(name) is set too; set one of them"))
        }
        guard let contents = readFile(path) else {
            return .failure(KafkaEnvironment.Problem(variable: fileVariable, reason: "the file it names cannot be read"))
        }
        var text = String(decoding: contents, as: UTF8.self)
        // "\r\n" is one Character in Swift: one removeLast() trims either ending.
        if let last = text.last, last == "\n" || last == "\r\n" { text.removeLast() }
        return .success(text)
    }
}

import Foundation

/// How `bus` ends: 0 done, 1 the work failed (invalid file, check found differences), 2 wrong usage.
enum ExitCode: Int32 {
    case success = 0
    case failure = 1
    case usage = 2
}

/// A top-level command: `bus <name> ...`.
protocol BusCommand {
    /// The word after `bus`.
    var name: String { get }
    /// One line for `bus help`.
    var summary: String { get }
    /// The full usage text for `bus help <name>`.
    var usage: String { get }
    /// Runs with the arguments after the name; throws `UsageError` for wrong usage.
    func run(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode
}

/// Wrong usage, with a message naming what was wrong.
struct UsageError: Error {
    var message: String
}

/// Where commands write: results to standard output, diagnostics to standard error.
struct Output {
    func line(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
    func error(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
}

/// Dispatches `bus <command> ...` and answers `bus help`.
struct CommandRouter {
    let commands: [any BusCommand]
    let output = Output()

    func run(_ arguments: [String]) -> ExitCode {
        guard let first = arguments.first else {
            output.error(overview)
            return .usage
        }
        if ["help", "--help", "-h"].contains(first) {
            guard arguments.count > 1 else { output.line(overview); return .success }
            guard let command = commands.first(where: { $0.name == arguments[1] }) else {
                output.error("bus: unknown command '\(arguments[1])'\n\n\(overview)")
                return .usage
            }
            output.line(command.usage)
            return .success
        }
        guard let command = commands.first(where: { $0.name == first }) else {
            output.error("bus: unknown command '\(first)'\n\n\(overview)")
            return .usage
        }
        if arguments.dropFirst().contains(where: { $0 == "--help" || $0 == "-h" }) {
            output.line(command.usage)
            return .success
        }
        do throws(UsageError) {
            return try command.run(Array(arguments.dropFirst()), output: output)
        } catch {
            output.error("bus \(command.name): \(error.message)\n\n\(command.usage)")
            return .usage
        }
    }

    private var overview: String {
        let width = commands.map(\.name.count).max() ?? 0
        let lines = commands.map { "  \($0.name.padding(toLength: width, withPad: " ", startingAt: 0))  \($0.summary)" }
        return (["usage: bus <command> [arguments]", "", "commands:"] + lines
            + ["", "Run `bus help <command>` for a command's usage. Exit codes: 0 ok, 1 failed, 2 usage."]).joined(separator: "\n")
    }
}

/// Splits arguments into positionals, `--flag value` options and `--switch` booleans,
/// refusing flags not in `known` or `switches`.
struct ParsedArguments {
    var positionals: [String] = []
    var options: [String: String] = [:]
    var switches: Set<String> = []

    init(_ arguments: [String], known: Set<String>, switches knownSwitches: Set<String> = []) throws(UsageError) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument.hasPrefix("--") {
                var name = String(argument.dropFirst(2))
                var value: String?
                if let equals = name.firstIndex(of: "=") {
                    value = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                }
                if knownSwitches.contains(name) {
                    guard value == nil else { throw UsageError(message: "flag --\(name) takes no value") }
                    switches.insert(name)
                    index += 1
                    continue
                }
                guard known.contains(name) else {
                    let all = known.union(knownSwitches)
                    let list = all.isEmpty ? "none" : all.sorted().map { "--\($0)" }.joined(separator: ", ")
                    throw UsageError(message: "unknown flag --\(name) (known: \(list))")
                }
                if value == nil {
                    index += 1
                    guard index < arguments.count else { throw UsageError(message: "flag --\(name) needs a value") }
                    value = arguments[index]
                }
                options[name] = value
            } else {
                positionals.append(argument)
            }
            index += 1
        }
    }

    /// The positionals, refusing more than `names` (their names, for the message) and fewer than `required`.
    func positionals(_ names: [String], required: Int) throws(UsageError) -> [String] {
        guard positionals.count >= required else {
            throw UsageError(message: "missing \(names[positionals.count])")
        }
        guard positionals.count <= names.count else {
            throw UsageError(message: "unexpected argument '\(positionals[names.count])'")
        }
        return positionals
    }

    /// A positive integer option, or nil when absent.
    func positiveInteger(_ name: String) throws(UsageError) -> Int? {
        guard let text = options[name] else { return nil }
        guard let number = Int(text), number > 0 else { throw UsageError(message: "--\(name) must be a positive integer") }
        return number
    }
}

import BusSchema
import Foundation

/// Finds and reads the topic catalogue, `topics/topics.json`.
///
/// Looked for, unless `--catalogue FILE` names it, in the current directory and its parents,
/// then beside the `bus` executable and its parents (a build inside the repository).
enum CatalogueFile {
    /// The flag of the commands that read the catalogue.
    static let flag = "catalogue"
    /// Its usage line.
    static let usage = "  --catalogue FILE           the topic catalogue; default topics/topics.json of the repository"

    /// The catalogue, or a failure saying where it was looked for.
    static func load(_ parsed: ParsedArguments) throws -> TopicCatalogue {
        let path = try parsed.options[flag] ?? locate()
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("cannot read the topic catalogue \(path)")
        }
        return try TopicCatalogue.load(from: data)
    }

    private static func locate() throws -> String {
        let starts = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true),
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent(),
        ]
        for start in starts {
            var directory = start.standardizedFileURL
            while true {
                let candidate = directory.appendingPathComponent("topics/topics.json")
                if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        throw CommandFailure("cannot find topics/topics.json here or above; run from the repository or pass --catalogue FILE")
    }
}

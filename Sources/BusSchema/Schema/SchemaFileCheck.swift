import Foundation

/// Compares the committed schema files with a fresh export: what `bus schema check` and CI run.
///
/// Guarantees: every difference is reported, and a difference that would break readers of
/// a committed version (see `SchemaCompatibility`) is reported as such, with each breaking
/// change; a committed version that the code no longer has is breaking too.
public enum SchemaFileCheck {
    /// One finding about one file.
    public struct Finding: Sendable, Hashable, CustomStringConvertible {
        /// What was found.
        public enum Kind: Sendable, Hashable {
            /// The export has a file that is not committed: run `bus schema export` and commit it.
            case notCommitted
            /// The committed file differs from the export in a compatible way: re-export and commit.
            case outdated
            /// The export breaks readers of the committed version: make a new version instead.
            case breaking([CompatibilityProblem])
            /// A committed version is no longer produced by the code: readers of it would be stranded.
            case versionRemoved
            /// The committed file is not JSON.
            case unreadable
        }

        /// The file name under `topics/schemas/`.
        public var fileName: String
        /// What was found.
        public var kind: Kind

        /// Whether this finding is a breaking change (as opposed to a missing re-export).
        public var isBreaking: Bool {
            switch kind {
            case .breaking, .versionRemoved: true
            case .notCommitted, .outdated, .unreadable: false
            }
        }

        /// One or more lines for people.
        public var description: String {
            switch kind {
            case .notCommitted: "\(fileName): not committed (run `bus schema export` and commit it)"
            case .outdated: "\(fileName): differs from the export in a compatible way (run `bus schema export` and commit it)"
            case let .breaking(problems):
                (["\(fileName): breaks readers of the committed version; add a new schema version instead:"]
                    + problems.map { "  \($0)" }).joined(separator: "\n")
            case .versionRemoved: "\(fileName): committed but no longer in the code; readers of this version would be stranded"
            case .unreadable: "\(fileName): committed file is not valid JSON"
            }
        }
    }

    /// Every finding, by file name; empty when the committed files equal the export.
    /// `committed` maps file names (only `*.json`) to their bytes.
    public static func findings(committed: [String: Data], exported: [(fileName: String, contents: Data)]) -> [Finding] {
        var findings: [Finding] = []
        let exportedNames = Set(exported.map(\.fileName))
        for file in exported.sorted(by: { $0.fileName < $1.fileName }) {
            guard let old = committed[file.fileName] else {
                findings.append(Finding(fileName: file.fileName, kind: .notCommitted))
                continue
            }
            guard old != file.contents else { continue }
            guard let oldDocument = try? JSONParser().parse(old), let newDocument = try? JSONParser().parse(file.contents) else {
                findings.append(Finding(fileName: file.fileName, kind: .unreadable))
                continue
            }
            let problems = SchemaCompatibility.breakingChanges(from: oldDocument, to: newDocument)
            findings.append(Finding(fileName: file.fileName, kind: problems.isEmpty ? .outdated : .breaking(problems)))
        }
        for name in committed.keys.sorted() where !exportedNames.contains(name) {
            findings.append(Finding(fileName: name, kind: .versionRemoved))
        }
        return findings
    }
}

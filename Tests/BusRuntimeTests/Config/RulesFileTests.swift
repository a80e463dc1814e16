import Foundation
import Testing
import BusRuntime

/// A flow's rules as a flow would write them: every top-level field has a default.
struct LetteringRules: FlowRules, Equatable {
    struct Rounding: Decodable, Equatable, Sendable {
        var mode: String
        var places: Int

        enum CodingKeys: String, CodingKey { case mode, places }

        init(mode: String, places: Int) {
            self.mode = mode
            self.places = places
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            mode = try container.decode(String.self, forKey: .mode)
            places = try container.decode(Int.self, forKey: .places)
            guard places >= 0 else {
                throw DecodingError.dataCorruptedError(forKey: .places, in: container, debugDescription: "must be 0 or more")
            }
        }
    }

    var toleranceMinorUnits: Int
    var currencies: [String]
    var autoLetter: Bool
    var rounding: Rounding

    static let defaults = LetteringRules(
        toleranceMinorUnits: 1, currencies: ["EUR"], autoLetter: true, rounding: Rounding(mode: "half-even", places: 2))

    enum CodingKeys: String, CodingKey {
        case toleranceMinorUnits = "tolerance_minor_units", currencies, autoLetter = "auto_letter", rounding
    }

    init(toleranceMinorUnits: Int, currencies: [String], autoLetter: Bool, rounding: Rounding) {
        self.toleranceMinorUnits = toleranceMinorUnits
        self.currencies = currencies
        self.autoLetter = autoLetter
        self.rounding = rounding
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self.defaults
        toleranceMinorUnits = try container.decode(Int.self, forKey: .toleranceMinorUnits, default: defaults.toleranceMinorUnits)
        currencies = try container.decode([String].self, forKey: .currencies, default: defaults.currencies)
        autoLetter = try container.decode(Bool.self, forKey: .autoLetter, default: defaults.autoLetter)
        rounding = try container.decode(Rounding.self, forKey: .rounding, default: defaults.rounding)
    }
}

struct RulesFileTests {
    @Test("no path gives the defaults")
    func noPath() throws {
        #expect(try RulesFile.load(LetteringRules.self, from: nil) == .defaults)
        #expect(try WorkerConfig(workerName: "payment-letterer").loadRules(LetteringRules.self) == .defaults)
    }

    @Test("a file lists only what it changes", arguments: [
        ("{}", LetteringRules.defaults),
        (#"{"tolerance_minor_units": 5}"#,
         LetteringRules(toleranceMinorUnits: 5, currencies: ["EUR"], autoLetter: true, rounding: .init(mode: "half-even", places: 2))),
        (#"{"currencies": ["EUR", "CHF"], "auto_letter": false, "rounding": {"mode": "up", "places": 0}, "unused": 1}"#,
         LetteringRules(toleranceMinorUnits: 1, currencies: ["EUR", "CHF"], autoLetter: false, rounding: .init(mode: "up", places: 0))),
    ])
    func partialFiles(json: String, expected: LetteringRules) throws {
        let file = try TemporaryFile(contents: json)
        #expect(try RulesFile.load(LetteringRules.self, from: file.path) == expected)
        #expect(try WorkerConfig(workerName: "w", rulesPath: file.path).loadRules(LetteringRules.self) == expected)
    }

    @Test("an invalid file names the path and the JSON field", arguments: [
        (#"{"tolerance_minor_units": "five"}"#, "tolerance_minor_units", "at field 'tolerance_minor_units': expected an integer"),
        (#"{"auto_letter": null}"#, "auto_letter", "at field 'auto_letter': expected true or false"),
        (#"{"currencies": ["EUR", 5]}"#, "currencies[1]", "at field 'currencies[1]': expected a string"),
        (#"{"rounding": {"mode": "up"}}"#, "rounding.places", "at field 'rounding.places': missing; this field has no default"),
        (#"{"rounding": {"mode": "up", "places": -1}}"#, "rounding.places", "at field 'rounding.places': must be 0 or more"),
        (#"{"rounding": []}"#, "rounding", "at field 'rounding': expected an object"),
        ("[]", nil, ": expected an object"),
    ])
    func invalidContent(json: String, field: String?, problem: String) throws {
        let file = try TemporaryFile(contents: json)
        let error = #expect(throws: RuntimeError.self) { try RulesFile.load(LetteringRules.self, from: file.path) }
        #expect(error?.code == .invalidRulesFile)
        #expect(error?.message == "the flow rules file '\(file.path)' is invalid\(problem.hasPrefix(":") ? "" : " ")\(problem)")
        #expect(error?.context["path"] == file.path)
        #expect(error?.context["field"] == field)
    }

    @Test("a syntax error says the file is not valid JSON, without quoting it")
    func syntaxError() throws {
        let file = try TemporaryFile(contents: #"{"tolerance_minor_units": 5, secret-looking-value"#)
        let error = #expect(throws: RuntimeError.self) { try RulesFile.load(LetteringRules.self, from: file.path) }
        #expect(error?.message.hasPrefix("the flow rules file '\(file.path)' is invalid: not valid JSON") == true)
        #expect(error?.message.contains("secret-looking-value") == false)
    }

    @Test("an unreadable path says why", arguments: [
        ("/nonexistent/rules.json", "no such file"),
        ("/tmp", "it is a directory"),
    ])
    func unreadable(path: String, why: String) {
        let error = #expect(throws: RuntimeError.self) { try RulesFile.load(LetteringRules.self, from: path) }
        #expect(error?.message == "cannot read the flow rules file '\(path)': \(why)")
        #expect(error?.context == ["path": path])
    }

    @Test("a file without read permission is refused", .enabled(if: getuid() != 0, "root reads any file"))
    func noPermission() throws {
        let file = try TemporaryFile(contents: "{}", permissions: 0o000)
        let error = #expect(throws: RuntimeError.self) { try RulesFile.load(LetteringRules.self, from: file.path) }
        #expect(error?.message == "cannot read the flow rules file '\(file.path)': permission denied or I/O error")
        let configError = #expect(throws: RuntimeError.self) {
            try WorkerConfig.fromEnvironment(workerName: "w", environment: ["BUS_CONFIG": file.path])
        }
        #expect(configError?.context["BUS_CONFIG"] == "the file is not readable by this process (got '\(file.path)')")
    }
}

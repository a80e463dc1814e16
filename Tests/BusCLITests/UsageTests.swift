import Foundation
import Testing

/// Argument parsing: help, usage errors naming what is wrong, exit codes 0 / 1 / 2.
@Suite("bus: help and usage")
struct UsageTests {
    @Test("bus help lists every command; bus help COMMAND prints its usage")
    func help() throws {
        let overview = try Bus.run(["help"])
        #expect(overview.status == 0)
        for command in ["demo", "chaos", "dev", "topics", "publish", "tail", "dlq", "exceptions", "lag", "resync", "orders", "schema"] {
            #expect(overview.stdout.contains("\n  \(command) "), "\(command) missing from:\n\(overview)")
        }
        let dlq = try Bus.run(["help", "dlq"])
        #expect(dlq.status == 0)
        #expect(dlq.stdout.contains("bus dlq replay WORKER (--id ID | --all)"))
    }

    @Test("a wrong flag names itself and prints the command's usage, exit 2", arguments: [
        (["tail", "shop.orders", "--follow"], "--follow"),
        (["publish", "shop.orders", "x.json", "--kee", "K"], "--kee"),
        (["lag", "--grup", "g"], "--grup"),
        (["dlq", "list", "order-ingest", "--all"], "--all"),
    ])
    func wrongFlag(arguments: [String], flag: String) throws {
        let result = try Bus.run(arguments)
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("unknown flag \(flag)"), "\(result)")
        #expect(result.stderr.contains("usage: bus \(arguments[0])") || result.stderr.contains("  bus \(arguments[0]) "), "\(result)")
    }

    @Test("missing or contradictory arguments are usage errors, exit 2", arguments: [
        ["dlq", "replay", "order-ingest"],
        ["dlq", "replay", "order-ingest", "--id", "0/1", "--all"],
        ["dlq", "show", "order-ingest", "--id", "zero"],
        ["tail"],
        ["resync", "nobody"],
        ["exceptions", "list", "--kind", "mood"],
        ["topics", "apply", "--timeout", "-3"],
        ["frobnicate"],
        ["help", "frobnicate"],
    ])
    func usageErrors(arguments: [String]) throws {
        let result = try Bus.run(arguments)
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("usage:"), "\(result)")
    }

    @Test("an unreachable cluster fails with exit 1 within the bounded wait, naming the address")
    func unreachableCluster() throws {
        let started = ContinuousClock.now
        let result = try Bus.run(["topics", "list"], brokers: "127.0.0.1:1", timeout: .seconds(30))
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("127.0.0.1:1"), "\(result)")
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    @Test("no KAFKA_* secret is ever printed, even when the connection fails")
    func secretsStayHidden() throws {
        let result = try Bus.run(["lag", "--group", "g"], brokers: "127.0.0.1:1", environment: [
            "KAFKA_SECURITY_PROTOCOL": "sasl_plaintext", "KAFKA_SASL_MECHANISM": "PLAIN",
            "KAFKA_SASL_USERNAME": "ops", "KAFKA_SASL_PASSWORD": "hunter2-very-secret",
        ], timeout: .seconds(30))
        #expect(result.status == 1, "\(result)")
        #expect(!result.stdout.contains("hunter2") && !result.stderr.contains("hunter2"), "\(result)")
    }
}

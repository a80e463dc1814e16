import Foundation
import Testing

/// `bus demo --brokers` against a cluster it does not own: `bus dev` runs in one process,
/// `bus demo --workers processes` in another, which starts the six worker executables as its
/// children. Two runs with different run ids on the same cluster (the workers' groups,
/// offsets and state changelogs carrying over from the first) both reconcile.
@Suite("bus demo on an existing cluster")
struct DemoOnClusterTests {
    @Test("bus dev in one process, bus demo --brokers --workers processes in another: two runs reconcile", .timeLimit(.minutes(6)))
    func twoRunsOnOneDevCluster() throws {
        let dev = try Bus.start(["dev", "--port", "0"])
        defer { if dev.process.isRunning { dev.signal(SIGKILL) } }
        try #require(dev.waitForOutput("ready: KAFKA_BROKERS=", timeout: .seconds(60)), "\(dev.stdout)\(dev.stderr)")
        // The address `bus dev` prints for clients (it picked a free port).
        let line = try #require(dev.stdout.split(separator: "\n").first { $0.hasPrefix("ready: KAFKA_BROKERS=") })
        let brokers = try #require(line.split(separator: " ").dropFirst().first?.split(separator: "=").last.map(String.init))

        // The workers read these as any KAFKA_* setting: 6 s sessions, as the mock cluster needs.
        let environment = ["KAFKA_SESSION_TIMEOUT_MS": "6000", "KAFKA_FETCH_WAIT_MAX_MS": "10"]
        for run in ["CIRUN1", "CIRUN2"] {
            let demo = try Bus.run(["demo", "--orders", "30", "--brokers", brokers, "--workers", "processes", "--run-id", run],
                                   environment: environment, timeout: .seconds(150))
            #expect(demo.status == 0, "run \(run):\n\(demo)")
            #expect(demo.stdout.contains("bus demo report: run \(run), seed 20250612, workers processes"), "\(demo)")
            #expect(demo.stdout.contains("RECONCILED: every check holds."), "\(demo)")
            // Its own records only: the order numbers carry the run id.
            #expect(demo.stdout.contains("WEB-199999-\(run)"), "\(demo)")
        }
        dev.signal(SIGTERM)
        #expect(dev.wait(timeout: .seconds(15)).status == 0)
    }

    @Test("usage: --workers none needs --brokers; a bad run id names the rule")
    func usage() throws {
        let none = try Bus.run(["demo", "--workers", "none"])
        #expect(none.status == 2 && none.stderr.contains("--workers none needs --brokers"), "\(none)")
        let bad = try Bus.run(["demo", "--run-id", "lower"])
        #expect(bad.status == 2 && bad.stderr.contains("--run-id must be 1 to 8 upper-case letters or digits"), "\(bad)")
    }
}

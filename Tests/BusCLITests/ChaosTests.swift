import Foundation
import Testing

/// `bus chaos`, short profile (one minute of load, 60 orders): the six worker executables as
/// child processes of `bus chaos`, SIGKILLed at least 10 times (each once while a broker is
/// down), a broker down for 10 s, a second replica of two workers added and removed; then the
/// reconciliation. And the same run with workers that store their offsets before their
/// outputs are acknowledged (`BUS_FAULT_INJECTION=store-offsets-before-ack`): the check must
/// report lost outputs, or it proves nothing.
@Suite("bus chaos")
struct ChaosTests {
    /// The report's `chaos figures:` line as numbers.
    struct Figures {
        var kills = 0, lost = 0, duplicates = 0, inputs = 0, windowKills = 0
        var outageSeconds = 0.0

        init(_ report: String) throws {
            let line = try #require(report.split(separator: "\n").first { $0.hasPrefix("chaos figures:") }.map(String.init), "no figures in:\n\(report)")
            func number(after label: String) -> Double? {
                guard let range = line.range(of: label) else { return nil }
                return Double(line[range.upperBound...].prefix { $0.isNumber || $0 == "." })
            }
            kills = Int(number(after: "kills ") ?? -1)
            windowKills = Int(number(after: "kills while outputs wait ") ?? -1)
            lost = Int(number(after: "lost ") ?? -1)
            duplicates = Int(number(after: "duplicates after dedup ") ?? -1)
            inputs = Int(number(after: "inputs ") ?? -1)
            outageSeconds = number(after: "outage ") ?? -1
        }
    }

    static let shortProfile = ["chaos", "--minutes", "1", "--orders", "60"]

    @Test("short profile: every input has its outputs, nothing duplicated after dedup, offsets at the end, compacted topics as a clean run",
          .timeLimit(.minutes(6)))
    func shortProfileReconciles() throws {
        // Leaders aligned, as CI has always run it; leaders spread (the default) are the fault
        // test's below, whose window needs them.
        let chaos = try Bus.run(Self.shortProfile + ["--leaders", "aligned"], timeout: .seconds(300))
        let figures = try Figures(chaos.stdout)
        #expect(figures.kills >= 10, "\(chaos)")
        #expect(figures.outageSeconds >= 10, "\(chaos)")
        #expect(figures.inputs > 500, "\(chaos)")
        for check in ["catalogue", "customers", "partitions", "faults", "offsets"] {
            #expect(chaos.stdout.contains("ok   \(check)"), "no passing '\(check)' line in:\n\(chaos)")
        }
        for worker in ["customer-sync", "article-publisher", "stock-broadcaster", "order-ingest", "payment-letterer", "status-notifier"] {
            #expect(chaos.stdout.contains("SIGKILL \(worker)") && chaos.stdout.contains("restart \(worker)"), "\(worker) not killed and restarted:\n\(chaos)")
        }
        #expect(chaos.stdout.contains("second replica of") && chaos.stdout.contains("(SIGTERM)"), "\(chaos)")
        // Every check must pass but those with open findings (`openFindings`). Fixed in the
        // runtime (changelog writes ordered per state partition across co-partitioned input
        // topics, `InputLedgerTests`): outputs lost around the outage, an order in the ERP whose
        // acceptance, receipt and later steps never came (orders, lifecycles, run), an
        // availability off by one (availability). Fixed in the flows: payment-letterer's false
        // overpayment after a kill (nothing else), a replay reading a lowered order's invoice
        // before the site's refund that preceded it (an overpayment now waits,
        // `OverpaymentWait`, `ReplayOrderTests`); one payment booked under two receipt ids
        // (invoices, duplicates: ids from facts, `ReplayOrderTests`); status-notifier's
        // confirmation in the fallback language when erp.order-status came before shop.orders
        // (notifications: it waits for the site order, `SiteOrderWait`); a price query answered
        // twice after order-ingest was killed between its answer and the changelog's
        // "answered" (price query: every answer to one query has one ce_id,
        // `PriceQueryRuleTests.oneAnswerID`); claims of orders the ERP had reserved still
        // counted in flight at closing, order-ingest's successor having read the ERP's statuses
        // before the order it replayed (stock query: a status-only record, `ClaimReplayTests`).
        // The check was wrong, fixed: a first order's page
        // showing "held" then the ERP's progress, status-notifier having read the ERP's status
        // before order-ingest's "accepted" (orders, first orders: `pageSaysAccepted`).
        let failed = Self.failedChecks(chaos.stdout)
        print("chaos short profile: failed checks \(failed.sorted()), lost \(figures.lost), duplicates \(figures.duplicates)")
        // The checks an open finding's failure takes down with it, tolerated only with it.
        let open = failed.intersection(Self.openFindings)
        let tolerated = Self.openFindings.union(open.flatMap { Self.consequences[$0] ?? [] })
        for check in ["orders", "first orders", "lifecycles", "availability", "run", "invoices", "notifications", "nothing else", "compacted", "duplicates",
                      "price query", "stock query", "bad inputs", "on account", "blocked", "corrections", "exchanges"] where !tolerated.contains(check) {
            #expect(chaos.stdout.contains("ok   \(check)"), "no passing '\(check)' line in:\n\(chaos)")
        }
        #expect(figures.duplicates == 0, "\(chaos)")
        #expect(failed.subtracting(tolerated).isEmpty, "\(chaos)")
        if open.isEmpty {
            #expect(figures.lost == 0, "\(chaos)")
            #expect(chaos.status == 0, "\(chaos)")
        }
        withKnownIssue("chaos findings still open: \(Self.openFindings.sorted().joined(separator: ", "))", isIntermittent: true) {
            #expect(open.isEmpty, "\(chaos)")
        }
    }

    /// The checks whose findings are open, not traced yet: they can fail without the fault.
    /// "clean run": the run without faults (inline workers, 2 decode threads) once with an
    /// order held unknown_customer, once with a B2B contact not told its account's new
    /// payment terms (main's `Flow.restored`, held orders judged again on restore, may be the
    /// first's cure; every settled run now waits for every group to commit its inputs to their
    /// end, `GroupDrain`, which would cure a customer-sync stopped mid-chain). Not seen in the
    /// 8 short-profile runs that traced the others nor in the 4 after; a failing clean run
    /// leaves its journal and says what the contact was last told.
    /// "bad inputs" is strict again: its exception was not missing but read too late. On a
    /// partition led by the broker taken down it comes over 13 s after the "held" the day
    /// settles on, later after a kill and replay, and the journal read nothing once the day
    /// settled but 300 ms after the workers stopped (`JournalCatchUpTests`, `GroupDrainTests`).
    /// Fixed, no longer open: "credit limit" (the order over its account's limit held, released
    /// by the operator 15 ms later, its `credit_limit_exceeded` exception never on
    /// `bus.exceptions`) and "operator" (the blocked account's order cancelled by the operator,
    /// last shown "held" on the site; a release lost the same way left the order held, out of
    /// the ERP). Both were work tied to no input (a command) whose state write was not in
    /// `InputLedger`'s queue of its state partition, and whose answer went before that state
    /// was written: the release's "sent" reached the changelog while the hold's exception was
    /// still retried (a kill then restored "sent", and the replayed hold raised nothing), or
    /// the answer went out and a kill lost the state (the operator, told done, never sent the
    /// command again). Work now takes its place in the ledger's queue and its answer goes once
    /// its state is written (`OperatorCommandCrashTests`, `ProcessingCoreWorkTests`).
    static let openFindings: Set<String> = ["clean run"]

    /// The checks an open finding's failure fails too: tolerated only when it failed.
    static let consequences: [String: Set<String>] = [:]

    /// The checks the report's `NOT RECONCILED:` line names; empty when it reconciled.
    static func failedChecks(_ report: String) -> Set<String> {
        guard let line = report.split(separator: "\n").first(where: { $0.contains("NOT RECONCILED: ") }),
              let range = line.range(of: "NOT RECONCILED: ") else { return [] }
        return Set(line[range.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: ". ")).components(separatedBy: ", "))
    }

    /// Leaders spread (the default): outputs then wait during the outage while their inputs are
    /// read, the window this fault needs. The plan kills every worker once in that window (once
    /// it has read inputs whose outputs wait for the down broker, past the commit interval),
    /// and every group's coordinator stays up, so early commits stand. Without the fault the
    /// same profile passes every check (`shortProfileReconciles`, strict), so any check of
    /// the outputs that fails here is the fault's.
    @Test("offsets stored before the outputs are acknowledged: the chaos check reports lost outputs", .timeLimit(.minutes(6)))
    func storingOffsetsBeforeAcknowledgementIsCaught() throws {
        // Up to the demo's 300 s opening timeout after the clean run: on a loaded machine the
        // fault can lose the opening's outputs, and the opening then waits out its timeout.
        let chaos = try Bus.run(Self.shortProfile, environment: ["BUS_FAULT_INJECTION": "store-offsets-before-ack"], timeout: .seconds(350))
        let figures = try Figures(chaos.stdout)
        #expect(chaos.stdout.contains("fault injected into the workers (inherited): BUS_FAULT_INJECTION=store-offsets-before-ack"), "\(chaos)")
        // What the test claims is that the check catches the fault, asserted below; how the
        // fault got its chance is not. On a loaded machine it can lose outputs before the day
        // starts (a group that rebalances at opening drops state its early commits had passed):
        // the opening then never finishes and no kill is made. And under CI load (2 cores, the
        // suite in parallel) a worker can still be restarting when its window comes, so the
        // kills and the kills while outputs wait vary from run to run: printed, not asserted
        // (the short profile above asserts the plan's kills).
        print("chaos with the fault: kills \(figures.kills), kills while outputs wait \(figures.windowKills), lost \(figures.lost), "
              + (chaos.stdout.contains("opening did not finish") ? "the opening did not finish" : "the day ran"))
        #expect(chaos.status == 1, "the chaos run reconciled although the workers committed before their outputs were acknowledged:\n\(chaos)")
        #expect(figures.lost > 0, "no lost outputs reported:\n\(chaos)")
        // Every check holds without the fault, so every failing check of the outputs is the
        // fault's; "faults" is left out: it reports on the run's own plan (kills made, crashes),
        // not on what the workers wrote.
        // The checks with open findings are left out too (they can fail without the fault).
        let caught = chaos.stdout.split(separator: "\n").filter { line in
            line.hasPrefix("  FAIL ") && !line.hasPrefix("  FAIL faults") && !Self.openFindings.contains { line.hasPrefix("  FAIL \($0)") }
        }
        #expect(!caught.isEmpty, "no check of the outputs failed:\n\(chaos)")
    }
}

import BusSchema

/// One line of the reconciliation: what was checked, whether it holds, and what does not.
struct Check: Sendable {
    let name: String
    /// One sentence of counts (never personal data).
    let summary: String
    /// What does not reconcile, one item each (order numbers, SKUs, reasons).
    let failures: [String]
    /// Details worth a line each even when it holds (the bad inputs and their reasons).
    var details: [String] = []

    var passed: Bool { failures.isEmpty }
}

/// Compares what the bus made of the day with what the simulators know must be true:
/// each order once in the ERP with equal totals, each invoice lettered to the cent, the
/// site's availability equal to the ERP's stock, each sign-up linked, each bad input
/// dead-lettered or held with its reason, and nothing else dead-lettered or raised.
struct Reconciliation {
    let outcome: DemoOutcome
    var day: BusinessDay { outcome.day }
    var journal: BusJournal { outcome.journal }

    /// Every check, in the report's order.
    func checks() throws -> [Check] {
        [try orders(), firstOrders(), waits(), erpEnteredOrders(), onAccount(), creditLimit(), blockedAccount(), operatorDecisions(), corrections(), exchanges(), lifecycles(), partialCancellations(), notifications(), try payments(), try money(), try storeCredit(), availability(), availabilityQueries(), priceQueries(), catalogue(), customers(), badInputs(), unexpected(), partitions(), run()]
    }

    /// The run itself: the day finished, every record was accepted, no worker stopped.
    func run() -> Check {
        var failures: [String] = []
        if let unfinished = outcome.unfinished { failures.append(unfinished) }
        if outcome.publishFailures.count > 0 {
            failures.append("\(outcome.publishFailures.count) records refused by the cluster (first: \(outcome.publishFailures.first ?? "?"))")
        }
        failures += outcome.workerFailures
        if !outcome.journalGaps.isEmpty {
            failures.append("the journal did not read \(Reconciliation.count(outcome.journalGaps.count, "partition")) to its end: "
                            + outcome.journalGaps.prefix(4).map(\.description).joined(separator: ", "))
        }
        failures += outcome.site.problems
        let seconds = Double(outcome.elapsed.components.seconds) + Double(outcome.elapsed.components.attoseconds) / 1e18
        return Check(name: "run", summary: "the day settled, every record accepted, no worker stopped (\(String(format: "%.1f", seconds)) s)", failures: failures)
    }

    /// Percent-free count phrase: "1 order", "2 orders".
    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}

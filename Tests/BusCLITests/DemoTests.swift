import Foundation
import Testing

/// `bus demo` passes its own reconciliation on a shortened day: the built `bus` executable
/// (next to this test bundle) runs 40 orders with the default seed and must exit 0 with
/// every reconciliation line reading "ok".
@Suite("bus demo")
struct DemoTests {
    @Test("a shortened day reconciles", .timeLimit(.minutes(5)))
    func shortenedDayReconciles() throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("bus")
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build bus first (swift build)")
        let process = Process()
        process.executableURL = executable
        process.arguments = ["demo", "--orders", "40"]
        // The catalogue is read from the repository root, where the README runs the demo.
        process.currentDirectoryURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let report = String(decoding: data, as: UTF8.self)

        #expect(process.terminationStatus == 0, "bus demo failed:\n\(report)")
        for check in ["orders", "first orders", "waits", "erp orders", "on account", "credit limit", "blocked", "operator", "corrections", "exchanges", "lifecycles", "cancellations", "notifications", "invoices", "money", "store credit", "availability", "stock query", "price query", "catalogue", "customers", "bad inputs", "nothing else", "partitions", "run"] {
            #expect(report.contains("ok   \(check)"), "no passing '\(check)' line in:\n\(report)")
        }
        // New customers sign up during the day and order a second later: the day does not
        // wait for their links, and each order still reaches the ERP once, with no re-send.
        let firstOrders = report.split(separator: "\n").first { $0.contains("ok   first orders") }.map(String.init) ?? ""
        #expect(firstOrders.contains("2 new customers ordering a second after signing up: 2 in the ERP once"), "\(firstOrders)")
        // An order entered in the ERP for a web customer shows in that customer's history.
        #expect(report.contains("ok   erp orders    1 order entered in the ERP for a web customer: 3 tracking updates in their history, 3 notifications"), "\(report)")
        // An unpaid order has a way out (#17): cancelled after the payment delay, the site told.
        #expect(report.contains("ok   waits         1 unpaid order cancelled after days_before_cancel"), "\(report)")
        // Partial cancellations (#17): each case shown once, its money back on the bus's proposal.
        #expect(report.contains("ok   cancellations 1 line cancelled before preparation, 1 kept cancelled through a later change, 1 rest cancelled after a first parcel"), "\(report)")
        let money = report.split(separator: "\n").first { $0.contains("ok   money") }.map(String.init) ?? ""
        // Reported and refunded once payment-letterer's wait passed, else owed exactly the cancelled lines.
        #expect(money.contains("3 invoiced for less than captured after a partial cancellation:"), "\(money)")
        // Store credit (#17): the return's credit partly spent by the same customer, the rest kept.
        #expect(report.contains("ok   store credit  1 code issued; 1 spend taken from its balance, each balance told equal to its issue less its spends (1 partly spent, the rest kept)"), "\(report)")
        // B2B on account (#17): imported on the account's own terms; over the credit limit and
        // on a blocked account, held on purpose for a person.
        #expect(report.contains("ok   on account    1 company order paid by bank transfer on its invoice: in the ERP once, at once, on its account's terms (NET30, not PREPAID)"), "\(report)")
        #expect(report.contains("ok   credit limit  1 order over its account's credit limit: held credit_limit_exceeded, for a person (credit_limit 20.00 EUR,"), "\(report)")
        #expect(report.contains("ok   blocked       1 order of a blocked account: held blocked_account, for a person (account_status blocked)"), "\(report)")
        // Held orders have a way out (#17): the operator's release and cancel over bus.control, and the site's corrected re-send.
        #expect(report.contains("ok   operator      bus orders over bus.control: 1 held order released (in the ERP once, the site told accepted), 1 cancelled (never in the ERP, the site told cancelled)"), "\(report)")
        #expect(report.contains("ok   corrections   1 held order sent again corrected by the site: the held version superseded, in the ERP once without its stale line"), "\(report)")
        // Returns (#17): an exchange at no charge, and every return's status seen by the site.
        #expect(report.contains("ok   exchanges     1 return asking for an exchange: passed to the ERP with the article taken instead, not credited, the site told it is accepted;"), "\(report)")
        #expect(report.contains("RECONCILED: every check holds."))
    }
}

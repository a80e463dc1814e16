@testable import BusDemo
import BusSchema
import Foundation
@testable import OrderIngestFlow
import Testing

/// The chaos check compares the compacted topics with a clean run under another run id: what
/// only the run id makes different is never a finding, a real difference of content still is.
@Suite("chaos: compacted values normalised across run ids")
struct ChaosNormalizationTests {
    static let chaos = RunTag("K3Q7PZ")!
    static let clean = RunTag("AB23CD")!

    /// An order's tracking value as status-notifier writes it in a run tagged `run`: its return
    /// numbered by order-ingest from the run-tagged cancellation request (demo's "cxl-<serial>-1").
    static func tracking(_ run: RunTag, returnStatus: String = "received", returnNumber: String? = nil, updatedAt: String = "2026-06-12T09:00:00Z") -> String {
        let number = "WEB-100010-\(run.id)"
        let returned = returnNumber ?? OrderHandling.returnNumber(for: EventID("cxl-100010-\(run.id)-1")).rawValue
        return #"{"order_number":"\#(number)","email":"camille.\#(run.id.lowercased())@example.com","returns":[{"return_number":"\#(returned)","status":"\#(returnStatus)","updated_at":"\#(updatedAt)"}]}"#
    }

    @Test("a return number derived from the run-tagged request differs between the runs, and normalises away")
    func runTaggedReturnNumber() {
        let mine = Self.tracking(Self.chaos, updatedAt: "2026-06-12T09:00:03.5Z")
        let theirs = Self.tracking(Self.clean)
        #expect(Self.tracking(Self.chaos) != theirs.replacingOccurrences(of: Self.clean.id, with: Self.chaos.id).replacingOccurrences(of: Self.clean.id.lowercased(), with: Self.chaos.id.lowercased()),
                "the derived return number differs beyond the run id itself")
        #expect(ChaosChecks.normalize(mine, run: Self.chaos) == ChaosChecks.normalize(theirs, run: Self.clean))
        #expect(ChaosChecks.normalize("WEB-100010-\(Self.chaos.id)", run: Self.chaos) == ChaosChecks.normalize("WEB-100010-\(Self.clean.id)", run: Self.clean))
    }

    struct Difference: Sendable, CustomTestStringConvertible {
        let name: String
        let chaos: String
        var testDescription: String { name }
    }

    @Test("a real difference of content is still a difference", arguments: [
        Difference(name: "another return status", chaos: tracking(chaos, returnStatus: "refunded")),
        Difference(name: "a site's return number instead of order-ingest's", chaos: tracking(chaos, returnNumber: "RMA-100010-\(chaos.id)-1")),
        Difference(name: "another order", chaos: tracking(chaos).replacingOccurrences(of: "WEB-100010-", with: "WEB-100011-")),
        Difference(name: "no return", chaos: #"{"order_number":"WEB-100010-\#(chaos.id)","email":"camille.\#(chaos.id.lowercased())@example.com","returns":[]}"#),
    ])
    func realDifference(_ row: Difference) {
        #expect(ChaosChecks.normalize(row.chaos, run: Self.chaos) != ChaosChecks.normalize(Self.tracking(Self.clean), run: Self.clean))
    }

    @Test("only the deliberately conflicting account's keys may differ from the clean run: the forwarded side depends on which topic was read first")
    func conflictingEditRacesAcrossTopics() {
        let conflict = ChaosChecks.normalize("acc-n001-\(Self.chaos.id)", run: Self.chaos)
        let erpAccount = #"{"account_code":"C640744-RUN","phone":"+33611223344","site_account_id":"acc-n001-RUN","source":"bus"}"#
        #expect(ChaosChecks.racesAcrossTopics("C640744-RUN", erpAccount, nil, conflict: conflict))
        #expect(ChaosChecks.racesAcrossTopics("acc-n001-RUN", "{}", "{}", conflict: conflict))
        let other = #"{"account_code":"C640745-RUN","phone":"+33611223344","site_account_id":"acc-n002-RUN","source":"bus"}"#
        #expect(!ChaosChecks.racesAcrossTopics("C640745-RUN", other, nil, conflict: conflict), "another account's difference is still a finding")
        #expect(!ChaosChecks.racesAcrossTopics("acc-n0010-RUN", "{}", nil, conflict: conflict), "a key that only begins like it is still a finding")
        #expect(!ChaosChecks.racesAcrossTopics("C640744-RUN", erpAccount, nil, conflict: nil), "a day without the conflict leaves nothing out")
    }
}

import BusSchema
import Foundation
import StatusNotifierFlow
import Testing

/// "Orders entered in the ERP for a web customer appear in that customer's history on the site
/// with statuses and documents": the customer is found through the identity link of the ERP
/// account the status names.
@Suite("status-notifier: orders entered in the ERP")
struct ERPEnteredOrderTests {
    /// One identity link: site account, ERP contact, status.
    typealias Link = (site: String, contact: String?, status: LinkStatus)

    static func tables(_ links: [Link], account: String = "B2B-LUMIERE") throws -> StaticTables {
        var identity: [String: any BusMessage] = [:]
        var customers: [String: any BusMessage] = [:]
        for link in links {
            identity[link.site] = IdentityLink(siteAccountID: SiteAccountID(link.site), erpAccountCode: ERPAccountCode(account),
                                               erpContactID: link.contact.map { ERPContactID($0) }, status: link.status,
                                               matchedBy: .email, changedAt: Status.at(0))
            customers[link.site] = try Status.customer(link.site, language: link.site.hasSuffix("b") ? "it" : "de")
        }
        return StaticTables([Topics.customerIdentity: identity, Topics.shopCustomers: customers])
    }

    static func status(_ sequence: Int, _ status: OrderStatus, account: String? = "B2B-LUMIERE", contact: String? = nil) -> ERPOrderStatus {
        var update = Status.status(sequence, status, order: "CV-2024-044120", documents: sequence == 1 ? [Status.acknowledgement] : [])
        update.accountCode = account.map { ERPAccountCode($0) }
        update.contactID = contact.map { ERPContactID($0) }
        return update
    }

    @Test("the order's tracking names the site customer linked to the ordering account", arguments: [
        ([Link("acc_a", nil, .linked)], nil as String?, "B2B-LUMIERE" as String?, "acc_a" as String?),
        ([Link("acc_a", "K1", .linked), Link("acc_b", "K2", .linked)], "K2", "B2B-LUMIERE", "acc_b"),
        ([Link("acc_b", "K2", .linked), Link("acc_a", "K1", .linked)], nil, "B2B-LUMIERE", "acc_a"),
        ([Link("acc_a", nil, .unlinked)], nil, "B2B-LUMIERE", nil),
        ([Link("acc_a", nil, .linked)], nil, "C000999", nil),
        ([Link("acc_a", nil, .linked)], nil, nil, nil),
    ] as [([Link], String?, String?, String?)])
    func customer(_ links: [Link], _ contact: String?, _ account: String?, _ expected: String?) throws {
        let bench = NotifierBench()
        bench.tables = try Self.tables(links)
        try bench.send(Self.status(1, .validated, account: account, contact: contact), key: "CV-2024-044120")
        try bench.send(Self.status(2, .shipped, account: account, contact: contact), key: "CV-2024-044120")
        #expect(bench.tracking.map(\.siteAccountID?.rawValue) == [expected, expected])
        #expect(bench.tracking.first?.documents?.map(\.kind) == [.acknowledgement], "with its documents")
        #expect(bench.tracking.map(\.status) == [.confirmed, .shipped], "and its statuses")
        for update in bench.tracking { #expect(Status.codec.problems(TrackingUpdate.self, in: Status.codec.encode(update)).isEmpty) }
        // Notified in the customer's language when one is found, else the fallback.
        let language = expected.map { $0.hasSuffix("b") ? "it" : "de" } ?? "en"
        #expect(bench.notifications.map(\.language.tag) == [language, language])
        #expect(bench.notifications.map(\.siteAccountID?.rawValue) == [expected, expected])
    }

    @Test("an order the site placed keeps its own customer and its tracking names none")
    func siteOrder() throws {
        let bench = NotifierBench()
        bench.tables = try Self.tables([Link("acc_a", nil, .linked)])
        try bench.send(Status.siteOrder("CV-2024-044120", account: "acc_8f3k2m9q"), key: "CV-2024-044120")
        try bench.send(Self.status(1, .validated), key: "CV-2024-044120")
        #expect(bench.tracking.map(\.siteAccountID) == [nil])
        #expect(bench.notifications.map(\.siteAccountID) == ["acc_8f3k2m9q"])
    }
}

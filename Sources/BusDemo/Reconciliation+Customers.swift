import BusSchema

extension Reconciliation {
    /// Every sign-up is linked to the right ERP account (created for it, or matched by e-mail,
    /// as a company's contact where it is one); each side's edits reached the other; no side
    /// was sent changes without end.
    func customers() -> Check {
        var failures: [String] = []
        let identity = journal.latest(on: Topics.customerIdentity)
        var created = 0, matched = 0, contacts = 0
        for signUp in day.customers.signUps {
            let site = signUp.account.siteAccountID
            guard let link = identity[site.rawValue]?.message(as: IdentityLink.self), link.status == .linked else {
                failures.append("\(site) is not linked to an ERP account")
                continue
            }
            switch signUp.expected {
            case .createdInERP:
                if link.matchedBy == .createdInErp, link.erpAccountCode == outcome.erp.customers.codeBySite[site] {
                    created += 1
                } else {
                    failures.append("\(site) linked to \(link.erpAccountCode) (\(link.matchedBy.rawValue)), not to the account the ERP created for it")
                }
            case .matched(let code, let contact):
                if link.erpAccountCode == code, link.erpContactID == contact {
                    if contact == nil { matched += 1 } else { contacts += 1 }
                } else {
                    failures.append("\(site) linked to \(link.erpAccountCode)/\(link.erpContactID?.rawValue ?? "-"), \(code)/\(contact?.rawValue ?? "-") expected")
                }
            }
        }

        let toERP = journal.messages(ERPCustomerUpdate.self, on: Topics.erpCustomerUpdates).map(\.message)
        let toSite = journal.latest(on: Topics.shopCustomerUpdates)
        var edits = 0
        for timed in day.events {
            switch timed.event {
            case .phoneChangedOnSite(let site, let phone):
                if toERP.contains(where: { $0.siteAccountID == site && $0.action == .update && $0.phone == phone }) {
                    edits += 1
                } else {
                    failures.append("the phone \(site) changed on the site never reached the ERP")
                }
            case .termsChangedInERP(let code, let terms):
                for signUp in day.customers.signUps {
                    guard case .matched(code, _) = signUp.expected else { continue }
                    let update = toSite[signUp.account.siteAccountID.rawValue]?.message(as: SiteCustomerUpdate.self)
                    if update?.paymentTerms == terms {
                        edits += 1
                    } else {
                        // What the contact was last told, so a trace can tell a change never
                        // judged from one judged and overwritten.
                        let told = update.map { "last told \($0.paymentTerms?.rawValue ?? "no terms") as of \($0.changedAt)" } ?? "never told anything"
                        failures.append("\(signUp.account.siteAccountID) was not told \(code)'s new payment terms \(terms) (\(told))")
                    }
                }
            default:
                break
            }
        }
        failures += outcome.site.pingPong.sorted().map { "\($0): the site kept receiving changes after applying them" }
        failures += outcome.erp.customers.appliedUpdates.filter { $0.value > 5 }.keys.sorted().map { "\($0): the ERP kept receiving changes after applying them" }
        failures += outcome.erp.customers.refused.map { "ERP: \($0)" }
        return Check(name: "customers", summary: "\(day.customers.signUps.count) sign-ups linked (\(created) created in the ERP, \(matched) matched by e-mail, "
                     + "\(contacts) as company contacts); \(edits) edits synced across", failures: failures)
    }
}

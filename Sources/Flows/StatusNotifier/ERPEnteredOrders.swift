import BusSchema

/// Orders entered in the ERP (sales administration, phone orders) for a web customer: no site
/// order introduces them, so their site customer is found from the ERP account that ordered,
/// through `bus.customer-identity`; then they appear in that customer's history on the site
/// (the tracking update names the site account) and are notified in the customer's language.
extension StatusNotifier {
    /// Sets the site customer of an order no site order introduced, when the status names its
    /// ERP account and a site customer is linked to it: the one linked as `contactID` when the
    /// status names a contact, else the only one linked, else the first by site account id (so
    /// every replay picks the same). An order the site placed keeps its own customer.
    static func findCustomer(of status: ERPOrderStatus, for progress: inout OrderProgress, tables: any TableLookup) {
        guard !progress.orderKnown, progress.siteAccountID == nil, let account = status.accountCode else { return }
        let linked = tables.keys(in: Topics.customerIdentity).sorted().compactMap { key in
            tables.latest(IdentityLink.self, in: Topics.customerIdentity, key: key)
        }.filter { $0.erpAccountCode == account && $0.status == .linked }
        let chosen = status.contactID.flatMap { contact in linked.first { $0.erpContactID == contact } } ?? linked.first
        guard let chosen else { return }
        progress.siteAccountID = chosen.siteAccountID
        progress.enteredInERP = true
    }
}

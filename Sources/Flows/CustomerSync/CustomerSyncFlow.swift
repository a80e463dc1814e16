import BusSchema

/// customer-sync: customer accounts kept in step between the ERP and the site.
///
/// ## Where each customer is judged: re-keying through an internal topic
/// The two inputs are keyed differently (`erp.customers` by account code, `shop.customers`
/// by site account id), and which site account is which ERP account is exactly what this
/// flow finds out, by e-mail. The runtime gives a flow one state partition per input
/// partition number, so the two sides of one customer would land in different places.
/// Relying on the identity table instead (read whole, as a global table) would mean judging
/// against a table that lags this worker's own writes and that cannot be searched by e-mail
/// without a scan, and outputs would depend on timing.
///
/// So the flow re-keys, through `bus.customer-sync.rekey`, which it alone writes and reads.
/// Every input is first forwarded there under a key that names where it is judged:
/// - `site:<id>`, a site account's home: its latest version and its link;
/// - `account:<code>`, an ERP account's hub: the account, its links and their sync. A linked
///   site account's changes go from its home to this hub, so both sides of a customer meet here;
/// - `email:<pseudonym>`, the directory of one normalised e-mail: the ERP people (b2c
///   accounts, b2b contacts) with it, where unlinked site accounts are matched.
/// Links made by a hub go back to the home (so it knows where to send the account) on the
/// same topic; the public `bus.customer-identity` gets them too. Because every state key
/// lives on the internal topic, which only this worker's producer partitions, co-partitioning
/// never depends on another system's partitioner. The price is one or two extra hops per
/// change, which master data can afford.
///
/// Every decision is a function of the state and the input, and every output id is either
/// derived by the runtime from the input or (for updates and exceptions) from the content, so
/// a redelivered input gives the same records or, once the state holds its effect, none.
public struct CustomerSyncFlow: Flow {
    /// The state of one meeting point.
    public typealias State = CustomerSyncState

    /// "customer-sync".
    public let name = WorkerName.customerSync.rawValue
    /// The two sides' accounts, and the internal topic the flow re-keys them through.
    public let inputs = [Topics.erpCustomers, Topics.shopCustomers, CustomerRoute.topic]
    /// The rules this instance applies.
    public let rules: CustomerSyncRules

    /// The flow with `rules`.
    public init(rules: CustomerSyncRules = .defaults) {
        self.rules = rules
    }

    /// Forwards an outside record to where it is judged, or judges an internal one.
    public func handle(_ input: FlowInput, state: inout FlowState<CustomerSyncState>, tables: any TableLookup) throws -> [FlowOutput] {
        switch input.topic {
        case Topics.erpCustomers:
            let account = try expect(ERPCustomerAccount.self, in: input)
            return [CustomerRoute.account(account.accountCode).forward(account)]
        case Topics.shopCustomers:
            if let account = input.message(as: SiteCustomerAccount.self) {
                return [CustomerRoute.site(account.siteAccountID).forward(account)]
            }
            let erasure = try expect(ErasureRequest.self, in: input)
            return [CustomerRoute.site(erasure.siteAccountID).forward(erasure)]
        case CustomerRoute.topic:
            guard let key = input.key, let route = CustomerRoute(key: key) else {
                throw FlowRejection(field: nil, reason: "a record on \(CustomerRoute.topic) must be keyed site:<id>, account:<code> or email:<pseudonym>")
            }
            return try judge(input, at: route, state: &state)
        default:
            throw FlowRejection(field: nil, reason: "customer-sync does not read \(input.topic)")
        }
    }

    private func judge(_ input: FlowInput, at route: CustomerRoute, state: inout FlowState<CustomerSyncState>) throws -> [FlowOutput] {
        switch route {
        case .site(let id):
            var home = state[home: id] ?? SiteHome()
            let outputs: [FlowOutput]
            if let account = input.message(as: SiteCustomerAccount.self), account.siteAccountID == id {
                outputs = home.receive(account, rules: rules)
            } else if let erasure = input.message(as: ErasureRequest.self), erasure.siteAccountID == id {
                outputs = home.receive(erasure, site: id)
            } else if let link = input.message(as: IdentityLink.self), link.siteAccountID == id {
                outputs = home.receive(link, rules: rules)
            } else {
                throw misrouted(input)
            }
            state[home: id] = home
            return outputs

        case .account(let code):
            var hub = state[hub: code] ?? AccountHub()
            var outputs: [FlowOutput] = []
            if let account = input.message(as: ERPCustomerAccount.self), account.accountCode == code {
                outputs = hub.receive(account, rules: rules, cause: input)
            } else if let site = input.message(as: SiteCustomerAccount.self) {
                outputs = hub.receive(site, rules: rules, cause: input)
            } else if let erasure = input.message(as: ErasureRequest.self) {
                outputs = hub.receive(erasure, code: code)
            } else if let link = input.message(as: IdentityLink.self), link.erpAccountCode == code {
                hub.receive(link)
            } else {
                throw misrouted(input)
            }
            state[hub: code] = hub.isEmpty ? nil : hub
            return outputs

        case .email(let key):
            var directory = state[directory: key] ?? EmailDirectory()
            var outputs: [FlowOutput] = []
            if let account = input.message(as: ERPCustomerAccount.self) {
                directory.receive(account, key: key)
            } else if let site = input.message(as: SiteCustomerAccount.self) {
                outputs = directory.receive(site, key: key, cause: input)
            } else if let erasure = input.message(as: ErasureRequest.self) {
                directory.receive(erasure)
            } else if let unlinked = input.message(as: IdentityLink.self) {
                directory.receive(unlinked)
            } else {
                throw misrouted(input)
            }
            state[directory: key] = directory.isEmpty ? nil : directory
            return outputs
        }
    }

    private func expect<M: BusMessage>(_ type: M.Type, in input: FlowInput) throws -> M {
        guard let message = input.message(as: type) else {
            throw FlowRejection(field: nil, reason: "\(input.topic) does not carry \(input.envelope.type) messages")
        }
        return message
    }

    private func misrouted(_ input: FlowInput) -> FlowRejection {
        FlowRejection(field: nil, reason: "a \(input.envelope.type) message does not belong under this \(CustomerRoute.topic) key")
    }
}

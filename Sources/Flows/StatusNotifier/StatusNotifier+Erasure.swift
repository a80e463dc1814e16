import BusSchema

/// What status-notifier holds of a person is the recipient of its notifications: the site
/// account an order was placed from. An erasure takes it off every order of that account, so
/// the order pages go on but no later notification names the erased account; a site order
/// read after the erasure (a partition behind) is taken in without it.
extension StatusNotifier {
    /// Forgets the erased account on every order of the partition that names it.
    static func erase(_ notice: ErasureNotice, state: inout FlowState<OrderProgress>) {
        for key in state.keys {
            guard var progress = state[key], progress.siteAccountID == notice.siteAccountID else { continue }
            progress.siteAccountID = nil
            state[key] = progress
        }
    }

    /// Forgets the order's account when `bus.erasures` names it.
    static func forgetErased(_ progress: inout OrderProgress, tables: any TableLookup) {
        guard let account = progress.siteAccountID,
              tables.latest(ErasureNotice.self, in: Topics.erasures, key: account.rawValue) != nil else { return }
        progress.siteAccountID = nil
    }
}

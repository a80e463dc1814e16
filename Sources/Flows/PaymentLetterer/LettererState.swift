import BusSchema

/// What the payment-letterer keeps under one state key: an order's account (key: the order
/// number) or a credit code's balance (key: `credit:<code>`).
///
/// An account is written exactly as `OrderAccount` always was, so changelogs written before
/// balances existed restore unchanged; a balance is written as `{"credit_balance": {…}}`.
public enum LettererState: Codable, Sendable, Equatable {
    /// An order's payments, documents and what was sent for them.
    case account(OrderAccount)
    /// A store credit's or gift card's balance.
    case balance(CreditBalance)

    private enum CodingKeys: String, CodingKey {
        case creditBalance = "credit_balance"
    }

    /// Reads a balance when the value names one, else an account.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.creditBalance) {
            self = .balance(try container.decode(CreditBalance.self, forKey: .creditBalance))
        } else {
            self = .account(try OrderAccount(from: decoder))
        }
    }

    /// Writes an account as itself and a balance under `credit_balance`.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .account(let account):
            try account.encode(to: encoder)
        case .balance(let balance):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(balance, forKey: .creditBalance)
        }
    }
}

extension FlowState where Value == LettererState {
    /// The account of `order`; setting nil forgets it.
    subscript(account order: OrderNumber) -> OrderAccount? {
        get { if case .account(let account)? = self[order.rawValue] { return account } else { return nil } }
        set { self[order.rawValue] = newValue.map(LettererState.account) }
    }

    /// The balance of `code`; setting nil forgets it.
    subscript(balance code: CreditCode) -> CreditBalance? {
        get { if case .balance(let balance)? = self[CreditRoute.stateKey(of: code)] { return balance } else { return nil } }
        set { self[CreditRoute.stateKey(of: code)] = newValue.map(LettererState.balance) }
    }
}

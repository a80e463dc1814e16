import BusSchema

/// What order-ingest needs of an ERP account, carried on each of its identity links: the price
/// list it may buy at, and the payment terms, credit limit and status that decide whether it
/// may order on account. A change to any of them is written again to every link.
struct AccountTerms: Equatable {
    /// The account's price list.
    var priceList: PriceListCode?
    /// The account's payment terms.
    var paymentTerms: Code?
    /// The account's credit limit.
    var creditLimit: Money?
    /// Active, blocked or closed.
    var status: AccountStatus

    /// The terms of `account`.
    init(_ account: ERPCustomerAccount) {
        priceList = account.priceList
        paymentTerms = account.paymentTerms
        creditLimit = account.creditLimit
        status = account.status
    }
}

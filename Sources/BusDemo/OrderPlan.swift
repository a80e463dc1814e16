import BusSchema

/// What happens to an order after it is placed: the script both sides follow.
enum OrderFate: Sendable, Equatable {
    /// Prepared, shipped (maybe in two parcels), invoiced, delivered.
    case completed
    /// The customer lowers a quantity while the ERP has not started preparing it; the site
    /// refunds the difference.
    case changedBeforePreparation
    /// Cancelled before preparation: the ERP cancels it and the site refunds everything.
    case cancelledBeforePreparation
    /// Cancelled while in preparation: the bus refuses with a reason and the order ships.
    case cancelledInPreparation
    /// Cancelled once shipped: the bus turns it into a return of what was shipped.
    case cancelledAfterShipment
    /// Delivered, then one unit of the first line sent back, refunded this way.
    case returned(RefundMethod)
    /// Delivered, then one unit of the first line sent back in exchange for one unit of
    /// another article (`SiteOrders+Exchanges`): a new order line at no charge, linked to the
    /// return; nothing refunded; the site sees the return accepted.
    case exchanged(for: SKU)
    /// Its last line cancelled before preparation (`OrderPartialCancellations`): captured in
    /// full, invoiced for less; the site refunds nothing of its own accord, so payment-letterer
    /// reports the overpayment and proposes the refund, which the ERP's back office makes.
    case partlyCancelled
    /// Its last line cancelled before preparation, then changed: the next revision keeps the
    /// line cancelled; both are refunded together, on the bus's proposal.
    case partlyCancelledThenChanged
    /// Shipped in two parcels, the second never sent: after the first the customer cancels
    /// the rest, which the ERP cancels; refunded on the bus's proposal, as `partlyCancelled`.
    case restCancelledAfterPartialShipment
    /// Paid by bank transfer that never arrives, placed longer ago than the payment delay
    /// (`days_before_cancel`): order-ingest tells the site it awaits payment, then cancels it
    /// as its partition's clock is past the deadline, and tells the site why.
    case unpaidTimedOut

    /// Whether the ERP ends up cancelling the order.
    var endsCancelled: Bool { self == .cancelledBeforePreparation }
}

/// Who orders.
enum Buyer: Sendable, Equatable {
    /// A guest checkout (no site account); `number` picks made-up details.
    case guest(number: Int)
    /// A site account of the day's sign-ups.
    case account(SiteAccountID, business: Bool)

    var siteAccountID: SiteAccountID? {
        if case .account(let id, _) = self { return id }
        return nil
    }
}

/// How the customer pays at checkout.
enum PaymentPlan: Sendable, Equatable {
    /// Card, authorised at checkout and captured at once.
    case card(CardBrand)
    /// PayPal, authorised at checkout and captured at once.
    case paypal
    /// A gift card for part of it (captured at once), a card for the rest.
    case giftCardThenCard(giftCents: Int64)
    /// A gift card redeemed at checkout as a multi-purpose voucher (a voucher of kind
    /// `multi_purpose`, captured at once): a payment, not a discount; a card for the rest.
    case giftCardVoucherThenCard(giftCents: Int64)
    /// Bank transfer: pending at checkout; the money arrives later in the day.
    case bankTransfer
    /// Part of the store credit the return of order `from` gave (`spendCents`, decided by the
    /// site once it knows the code and balance: 0 until then), a card for the rest; placed
    /// once the customer has the code (`SiteOrders+StoreCredit`).
    case storeCreditThenCard(from: OrderNumber, spendCents: Int64)
}

/// Where it is delivered.
enum DeliveryChoice: Sendable, Equatable {
    case home
    case express
    /// A relay point, by its index in `SiteCheckout.relayPoints`.
    case relay(point: Int)
}

/// One line of a cart.
struct PlannedLine: Sendable, Equatable {
    let sku: SKU
    let quantity: Int
    /// A promotion on the line, in percent of its price.
    let discountPercent: Int?
}

/// One order of the day, decided from the seed before the day starts.
struct OrderPlan: Sendable {
    let number: OrderNumber
    /// When it is placed (for a store credit spend, known once the code is: see `payment`).
    var placedAt: Instant
    let buyer: Buyer
    let lines: [PlannedLine]
    let delivery: DeliveryChoice
    /// An order-level voucher, including tax.
    let voucherCents: Int64?
    var payment: PaymentPlan
    let fate: OrderFate
    /// Shipped in two parcels (the first lines, then the rest).
    let splitShipment: Bool
    /// For a bank transfer: when the money arrives.
    let paidAt: Instant?
    /// A line naming a SKU the catalogue does not sell (a stale page): the order must be held.
    let staleSKU: SKU?
    /// The B2B or operator case of #17 the order shows, if any (`AccountCase`).
    var accountCase: AccountCase? = nil

    /// Whether the bus must send it to the ERP: a stale line only once the site corrected it,
    /// never an order of a blocked account nor one never paid.
    var isValid: Bool {
        (staleSKU == nil || accountCase == .correctedResend) && fate != .unpaidTimedOut && accountCase != .blockedAccount
    }
}

/// The order cases of #17 that need a particular account or a person (one order each): the
/// day plans them so that the reconciliation can check each against its rule.
enum AccountCase: Sendable, Equatable {
    /// A company on `NET30` pays by bank transfer on its invoice: imported at once on its
    /// account's own payment terms, not the global `PREPAID`.
    case onAccount
    /// The same, on an account whose open amount with the order exceeds its credit limit:
    /// held `credit_limit_exceeded`, then released by the demo's operator (`bus orders release`).
    case overCreditLimit
    /// An order of an account the ERP has blocked: held `blocked_account`, then cancelled by
    /// the demo's operator (`bus orders cancel`); it never reaches the ERP.
    case blockedAccount
    /// A stale page's line (`staleSKU`): held `unknown_sku`, then sent again by the site
    /// without it (a corrected re-send), which supersedes the held version and reaches the ERP.
    case correctedResend
}

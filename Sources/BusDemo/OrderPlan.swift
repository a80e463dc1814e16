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
    let placedAt: Instant
    let buyer: Buyer
    let lines: [PlannedLine]
    let delivery: DeliveryChoice
    /// An order-level voucher, including tax.
    let voucherCents: Int64?
    let payment: PaymentPlan
    let fate: OrderFate
    /// Shipped in two parcels (the first lines, then the rest).
    let splitShipment: Bool
    /// For a bank transfer: when the money arrives.
    let paidAt: Instant?
    /// A line naming a SKU the catalogue does not sell (a stale page): the order must be held.
    let staleSKU: SKU?

    /// Whether the bus must send it to the ERP.
    var isValid: Bool { staleSKU == nil }
}

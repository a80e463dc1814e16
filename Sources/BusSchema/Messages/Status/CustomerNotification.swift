/// A message to send to a customer about an order, from status-notifier (topic `shop.notifications`, key: the order number).
/// The site or mailer renders the template in the language and finds the recipient from the order: no address travels here.
public struct CustomerNotification: BusMessage {
    /// "shop.customer-notification".
    public static let messageType = "shop.customer-notification"
    /// Version 1.
    public static let schemaVersion = 1
    /// A message to send to a customer about an order.
    public static let summary = "A message to send to a customer about an order."

    /// The notification's id: the mailer sends each id once.
    public var notificationID: EventID
    /// The order; the record key.
    public var orderNumber: OrderNumber
    /// The customer's site account; absent for a guest order.
    public var siteAccountID: SiteAccountID?
    /// The template key (order_shipped, order_delayed, ...).
    public var template: Code
    /// The language to render in.
    public var language: LanguageCode
    /// How to send it.
    public var channel: NotificationChannel
    /// The template's values by name (tracking_url, carrier, expected_on, ...).
    public var parameters: [String: String]
    /// When the event that causes it happened.
    public var createdAt: Instant

    /// A value with every field given; optional fields default to absent.
    public init(
        notificationID: EventID,
        orderNumber: OrderNumber,
        siteAccountID: SiteAccountID? = nil,
        template: Code,
        language: LanguageCode,
        channel: NotificationChannel,
        parameters: [String: String],
        createdAt: Instant
    ) {
        self.notificationID = notificationID
        self.orderNumber = orderNumber
        self.siteAccountID = siteAccountID
        self.template = template
        self.language = language
        self.channel = channel
        self.parameters = parameters
        self.createdAt = createdAt
    }

    private enum CodingKeys: String, CodingKey {
        case notificationID = "notification_id"
        case orderNumber = "order_number"
        case siteAccountID = "site_account_id"
        case template
        case language
        case channel
        case parameters
        case createdAt = "created_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("notification_id", .ref(.eventID), "The notification's id: the mailer sends each id once."),
        .required("order_number", .ref(.orderNumber), "The order; the record key."),
        .optional("site_account_id", .ref(.siteAccountID), "The customer's site account; absent for a guest order."),
        .required("template", .ref(.code), "The template key (order_shipped, order_delayed, ...)."),
        .required("language", .ref(.languageCode), "The language to render in."),
        .required("channel", .oneOf(NotificationChannel.self), "How to send it."),
        .required("parameters", .map(keys: StringRule(maximumLength: 64, pattern: "^[a-z][a-z0-9_]{0,63}$", patternName: "a parameter name such as tracking_url"), values: .text(maximumLength: 1000), minimumCount: 0), "The template's values by name (tracking_url, carrier, expected_on, ...)."),
        .required("created_at", .instant, "When the event that causes it happened.")
    )
}

/// How a notification reaches the customer.
public enum NotificationChannel: String, Codable, Sendable, Hashable, CaseIterable {
    /// E-mail.
    case email
    /// Text message.
    case sms
}
